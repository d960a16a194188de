import { createRoute } from '@hono/zod-openapi'
import { ApiError } from '../lib/errors.ts'
import { createRouter } from '../lib/validation.ts'
import { findArea, listAreas } from '../queries/catalogue.ts'
import { Area, AreaListQuery } from '../schemas/catalogue.ts'
import { IdParam, page, problemResponses } from '../schemas/common.ts'

const listAreasRoute = createRoute({
  method: 'get',
  path: '/areas',
  tags: ['Catalogue'],
  summary: 'Test areas',
  description: 'Published areas, by name. Filter by accepted category or managing department.',
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

export const areas = createRouter()
  .openapi(listAreasRoute, async (c) => {
    return c.json(await listAreas(c.var.db, c.req.valid('query')), 200)
  })
  .openapi(getAreaRoute, async (c) => {
    const area = await findArea(c.var.db, c.req.valid('param').id)
    if (!area) throw new ApiError('not_found', 'No area with this id.')
    return c.json(area, 200)
  })
