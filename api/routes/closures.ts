import { createRoute, z } from '@hono/zod-openapi'
import { requireRole, roles } from '../lib/auth.ts'
import { createRouter } from '../lib/validation.ts'
import {
  Closure,
  ClosureBody,
  ClosureListQuery,
  ClosureOverview,
  ClosureOverviewQuery,
  ClosurePatchBody,
} from '../schemas/catalogue.ts'
import { ClosureOverlaps, ClosureOverlapsQuery, maxOverlapItems } from '../schemas/closures.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'
import {
  close,
  closureOverlaps,
  closuresOf,
  closuresOverview,
  editClosure,
  liftClosure,
} from '../services/closures.ts'

/** The closures of an area or a facility: `GET` and `POST /{areas|facilities}/{id}/closures`. */
function closureRoutes<P extends 'areas' | 'facilities'>(plural: P, words: { list: string; create: string }) {
  const path = `/${plural}/{id}/closures` as `/${P}/{id}/closures`
  return {
    list: createRoute({
      method: 'get',
      path,
      tags: ['Catalogue'],
      summary: words.list,
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
    }),
    create: createRoute({
      method: 'post',
      path,
      tags: ['Catalogue'],
      summary: words.create,
      middleware: roles('official', 'admin'),
      request: { params: IdParam, body: jsonBody(ClosureBody) },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: Closure } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
  }
}

const areaClosures = closureRoutes('areas', {
  list: 'Closures of a whole area, with their public reasons',
  create: 'Close a whole area for a period (admin, or an official of its department)',
})
const facilityClosures = closureRoutes('facilities', {
  list: 'Closures of a facility, its own and its area’s, with their public reasons',
  create: 'Close a facility for a period (admin, or an official of its department)',
})

const deleteClosureRoute = createRoute({
  method: 'delete',
  path: '/closures/{id}',
  tags: ['Catalogue'],
  summary: 'Lift a closure (admin, or an official of the department that manages what it closes)',
  middleware: roles('official', 'admin'),
  request: { params: IdParam },
  responses: { 204: { description: 'Lifted' }, ...problemResponses(400, 401, 403, 404) },
})

const overviewRoute = createRoute({
  method: 'get',
  path: '/closures',
  tags: ['Catalogue'],
  summary: 'Every closure, area-wide and per facility, with what it closes, by start',
  description:
    'Closures of published areas and facilities (officials also see their department’s drafts, admins all). ' +
    '`from`/`to` keep those meeting the window; `areaId` those of an area and its facilities; `facilityId` ' +
    'those that close a facility, its own and its area’s.',
  request: { query: ClosureOverviewQuery },
  responses: {
    200: {
      description: 'Closures, by start',
      content: { 'application/json': { schema: page(ClosureOverview) } },
    },
    ...problemResponses(400),
  },
})

const patchClosureRoute = createRoute({
  method: 'patch',
  path: '/closures/{id}',
  tags: ['Catalogue'],
  summary: 'Move or reword a closure (admin, or an official of the department that manages what it closes)',
  middleware: roles('official', 'admin'),
  request: { params: IdParam, body: jsonBody(ClosurePatchBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: Closure } } },
    ...problemResponses(400, 401, 403, 404),
  },
})

const overlapsRoute = createRoute({
  method: 'get',
  path: '/closures/overlaps',
  tags: ['Catalogue'],
  summary: 'The bookings a closure would meet, before it is saved (whoever may save it)',
  description:
    'Bookings pending, with changes requested or approved whose occupied span (setup and teardown ' +
    'included) meets [`start`, `end`) on the facility, or on any facility of the area, by start: at most ' +
    `${maxOverlapItems}, \`total\` counts all. Saving the closure anyway leaves them as they are. ` +
    'Allowed to admins and officials of the managing department, as creating the closure is.',
  middleware: roles('official', 'admin'),
  request: { query: ClosureOverlapsQuery },
  responses: {
    200: { description: 'Bookings, by start', content: { 'application/json': { schema: ClosureOverlaps } } },
    ...problemResponses(400, 401, 403, 404),
  },
})

export const closures = createRouter()
  .openapi(overlapsRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    return c.json(await closureOverlaps(c.get('db'), user, c.req.valid('query')), 200)
  })
  .openapi(overviewRoute, async (c) => {
    return c.json(await closuresOverview(c.get('db'), c.get('user'), c.req.valid('query')), 200)
  })
  .openapi(patchClosureRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const closure = await editClosure(c.get('db'), user, id, c.req.valid('json'), c.get('now')())
    return c.json(closure, 200)
  })
  .openapi(areaClosures.list, async (c) => {
    const { id } = c.req.valid('param')
    const items = await closuresOf(c.get('db'), 'area', id, c.get('user'), c.req.valid('query'))
    return c.json({ items, nextCursor: null }, 200)
  })
  .openapi(facilityClosures.list, async (c) => {
    const { id } = c.req.valid('param')
    const items = await closuresOf(c.get('db'), 'facility', id, c.get('user'), c.req.valid('query'))
    return c.json({ items, nextCursor: null }, 200)
  })
  .openapi(areaClosures.create, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const closure = await close(
      c.get('db'),
      'area',
      c.req.valid('param').id,
      user,
      c.req.valid('json'),
      c.get('now')(),
    )
    return c.json(closure, 201)
  })
  .openapi(facilityClosures.create, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const id = c.req.valid('param').id
    const closure = await close(c.get('db'), 'facility', id, user, c.req.valid('json'), c.get('now')())
    return c.json(closure, 201)
  })
  .openapi(deleteClosureRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    await liftClosure(c.get('db'), user, c.req.valid('param').id, c.get('now')())
    return c.body(null, 204)
  })
