import { createRoute, z } from '@hono/zod-openapi'
import { managesDepartment, unpublishedScope } from '../domain/permissions.ts'
import { requireRole, roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { createRouter } from '../lib/validation.ts'
import { findDepartment } from '../queries/accounts.ts'
import { findArea, listAreas } from '../queries/catalogue.ts'
import { insertArea, lockArea, updateArea } from '../queries/catalogue-writes.ts'
import { createClosure, listClosures } from '../queries/closures.ts'
import { recordEvent } from '../queries/events.ts'
import {
  Area,
  AreaListQuery,
  Closure,
  ClosureBody,
  ClosureListQuery,
  CreateAreaBody,
  UpdateAreaBody,
} from '../schemas/catalogue.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'

const staff = roles('official', 'admin')

const listAreasRoute = createRoute({
  method: 'get',
  path: '/areas',
  tags: ['Catalogue'],
  summary: 'Test areas',
  description:
    'Published areas, by name; officials also see their department’s drafts, admins every draft. ' +
    'Filter by accepted category or managing department.',
  request: { query: AreaListQuery },
  responses: {
    200: { description: 'A page of areas', content: { 'application/json': { schema: page(Area) } } },
    ...problemResponses(400),
  },
})

const getAreaRoute = createRoute({
  method: 'get',
  path: '/areas/{id}',
  tags: ['Catalogue'],
  summary: 'One area',
  request: { params: IdParam },
  responses: {
    200: { description: 'The area', content: { 'application/json': { schema: Area } } },
    ...problemResponses(400, 404),
  },
})

const createAreaRoute = createRoute({
  method: 'post',
  path: '/areas',
  tags: ['Catalogue'],
  summary: 'Create an area (admin, or an official for their own department)',
  middleware: staff,
  request: { body: jsonBody(CreateAreaBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Area } } },
    ...problemResponses(400, 401, 403),
  },
})

const updateAreaRoute = createRoute({
  method: 'patch',
  path: '/areas/{id}',
  tags: ['Catalogue'],
  summary: 'Change an area (admin, or an official of its department)',
  middleware: staff,
  request: { params: IdParam, body: jsonBody(UpdateAreaBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: Area } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const listAreaClosuresRoute = createRoute({
  method: 'get',
  path: '/areas/{id}/closures',
  tags: ['Catalogue'],
  summary: 'Closures of a whole area, with their public reasons',
  request: { params: IdParam, query: ClosureListQuery },
  responses: {
    200: {
      description: 'Closures, by start',
      content: {
        'application/json': { schema: z.object({ items: z.array(Closure), nextCursor: z.null() }) },
      },
    },
    ...problemResponses(400, 404),
  },
})

const createAreaClosureRoute = createRoute({
  method: 'post',
  path: '/areas/{id}/closures',
  tags: ['Catalogue'],
  summary: 'Close a whole area for a period (admin, or an official of its department)',
  middleware: staff,
  request: { params: IdParam, body: jsonBody(ClosureBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Closure } } },
    ...problemResponses(400, 401, 403, 404),
  },
})

async function assertDepartmentExists(db: Parameters<typeof findDepartment>[0], id: string, path: string) {
  if (!(await findDepartment(db, id))) {
    throw new ApiError('validation_failed', `${path} names no department.`, {
      errors: [{ path, message: 'names no department' }],
    })
  }
}

export const areas = createRouter()
  .openapi(listAreasRoute, async (c) => {
    return c.json(await listAreas(c.get('db'), c.req.valid('query'), unpublishedScope(c.get('user'))), 200)
  })
  .openapi(getAreaRoute, async (c) => {
    const area = await findArea(c.get('db'), c.req.valid('param').id, unpublishedScope(c.get('user')))
    if (!area) throw new ApiError('not_found', 'No area with this id.')
    return c.json(area, 200)
  })
  .openapi(createAreaRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const body = c.req.valid('json')
    const departmentId = body.departmentId ?? user.departmentId
    if (!departmentId) {
      throw new ApiError('validation_failed', 'Say which department manages the area.', {
        errors: [{ path: 'departmentId', message: 'is required' }],
      })
    }
    if (!managesDepartment(user, departmentId)) {
      throw new ApiError('forbidden', 'Officials create areas for their own department only.')
    }
    await assertDepartmentExists(c.get('db'), departmentId, 'departmentId')
    const now = c.get('now')()
    const area = await c
      .get('db')
      .transaction()
      .execute(async (tx) => {
        const id = await insertArea(tx, { ...body, departmentId }, now)
        const created = await findArea(tx, id, { kind: 'all' })
        await recordEvent(
          tx,
          { actorId: user.id, action: 'area.created', subjectType: 'area', subjectId: id, after: created },
          now,
        )
        return created
      })
    return c.json(area as Area, 201)
  })
  .openapi(updateAreaRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const now = c.get('now')()
    if (body.departmentId !== undefined)
      await assertDepartmentExists(c.get('db'), body.departmentId, 'departmentId')
    const area = await c
      .get('db')
      .transaction()
      .execute(async (tx) => {
        const row = await lockArea(tx, id)
        if (!row || !(row.published || managesDepartment(user, row.department_id))) {
          throw new ApiError('not_found', 'No area with this id.')
        }
        if (!managesDepartment(user, row.department_id)) {
          throw new ApiError('forbidden', 'Only officials of the managing department may change this area.')
        }
        if (
          body.departmentId !== undefined &&
          body.departmentId !== row.department_id &&
          user.role !== 'admin'
        ) {
          throw new ApiError('forbidden', 'Only an admin may hand an area to another department.')
        }
        if (body.version !== undefined && body.version !== row.version) {
          throw new ApiError(
            'version_conflict',
            `The area was changed since you read it (version ${row.version}, yours ${body.version}); reload and try again.`,
          )
        }
        const before = await findArea(tx, id, { kind: 'all' })
        await updateArea(tx, id, body, now)
        const after = await findArea(tx, id, { kind: 'all' })
        await recordEvent(
          tx,
          { actorId: user.id, action: 'area.updated', subjectType: 'area', subjectId: id, before, after },
          now,
        )
        return after
      })
    return c.json(area as Area, 200)
  })
  .openapi(listAreaClosuresRoute, async (c) => {
    const { id } = c.req.valid('param')
    const area = await findArea(c.get('db'), id, unpublishedScope(c.get('user')))
    if (!area) throw new ApiError('not_found', 'No area with this id.')
    return c.json(
      { items: await listClosures(c.get('db'), { areaId: id }, c.req.valid('query')), nextCursor: null },
      200,
    )
  })
  .openapi(createAreaClosureRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const area = await findArea(c.get('db'), id, unpublishedScope(user))
    if (!area) throw new ApiError('not_found', 'No area with this id.')
    if (!managesDepartment(user, area.departmentId)) {
      throw new ApiError('forbidden', 'Only officials of the managing department may close this area.')
    }
    const now = c.get('now')()
    const closure = await createClosure(c.get('db'), { ...body, areaId: id, createdBy: user.id }, now)
    return c.json(closure, 201)
  })
