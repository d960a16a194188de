import { createRoute } from '@hono/zod-openapi'
import { ApiError } from '../lib/errors.ts'
import { createRouter } from '../lib/validation.ts'
import { findFacility, listFacilities } from '../queries/catalogue.ts'
import { Facility, FacilityListQuery } from '../schemas/catalogue.ts'
import { IdParam, page, problemResponses } from '../schemas/common.ts'

const listFacilitiesRoute = createRoute({
  method: 'get',
  path: '/facilities',
  tags: ['Catalogue'],
  summary: 'Test sites, searchable by their technical specs',
  description:
    'Published facilities in published areas, by name. Every filter given must hold: area, accepted category, kind, ' +
    'words in name or description, minimum power, load and height, indoor or outdoor, and connectivity.',
  request: { query: FacilityListQuery },
  responses: {
    200: { description: 'A page of facilities', content: { 'application/json': { schema: page(Facility) } } },
    ...problemResponses(400),
  },
})

const getFacilityRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}',
  tags: ['Catalogue'],
  summary: 'One facility with its specs and booking rules',
  request: { params: IdParam },
  responses: {
    200: { description: 'The facility', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 404),
  },
})

export const facilities = createRouter()
  .openapi(listFacilitiesRoute, async (c) => {
    return c.json(await listFacilities(c.var.db, c.req.valid('query')), 200)
  })
  .openapi(getFacilityRoute, async (c) => {
    const facility = await findFacility(c.var.db, c.req.valid('param').id)
    if (!facility) throw new ApiError('not_found', 'No facility with this id.')
    return c.json(facility, 200)
  })
