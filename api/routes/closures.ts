import { createRoute } from '@hono/zod-openapi'
import { managesDepartment } from '../domain/permissions.ts'
import { requireRole, roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { createRouter } from '../lib/validation.ts'
import { deleteClosure, findClosure } from '../queries/closures.ts'
import { recordEvent } from '../queries/events.ts'
import { IdParam, problemResponses } from '../schemas/common.ts'

const deleteClosureRoute = createRoute({
  method: 'delete',
  path: '/closures/{id}',
  tags: ['Catalogue'],
  summary: 'Lift a closure (admin, or an official of the department that manages what it closes)',
  middleware: roles('official', 'admin'),
  request: { params: IdParam },
  responses: { 204: { description: 'Lifted' }, ...problemResponses(400, 401, 403, 404) },
})

export const closures = createRouter().openapi(deleteClosureRoute, async (c) => {
  const user = requireRole(c, 'official', 'admin')
  const { id } = c.req.valid('param')
  const now = c.get('now')()
  await c
    .get('db')
    .transaction()
    .execute(async (tx) => {
      const found = await findClosure(tx, id)
      if (!found) throw new ApiError('not_found', 'No closure with this id.')
      if (!managesDepartment(user, found.departmentId)) {
        throw new ApiError('forbidden', 'Only officials of the managing department may lift this closure.')
      }
      await deleteClosure(tx, id)
      await recordEvent(
        tx,
        {
          actorId: user.id,
          action: 'closure.deleted',
          subjectType: 'closure',
          subjectId: id,
          before: found.closure,
        },
        now,
      )
    })
  return c.body(null, 204)
})
