import { createRoute } from '@hono/zod-openapi'
import { unpublishedScope } from '../domain/permissions.ts'
import { requireRole, roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { Area, AreaListQuery, CreateAreaBody, UpdateAreaBody } from '../schemas/catalogue.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'
import { changeArea, createArea, findArea, listAreas } from '../services/catalogue.ts'

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

export const areas = createRouter()
  .openapi(listAreasRoute, async (c) => {
    return c.json(await listAreas(c.get('db'), c.req.valid('query'), unpublishedScope(c.get('user'))), 200)
  })
  .openapi(getAreaRoute, async (c) => {
    const area = await findArea(c.get('db'), c.req.valid('param').id, unpublishedScope(c.get('user')))
    if (!area) throw new ApiError('not_found', say.noArea)
    return c.json(area, 200)
  })
  .openapi(createAreaRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const body = c.req.valid('json')
    const area = await createArea(c.get('db'), user, body, c.get('now')())
    return c.json(area as Area, 201)
  })
  .openapi(updateAreaRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const area = await changeArea(c.get('db'), user, id, body, c.get('now')())
    return c.json(area as Area, 200)
  })
