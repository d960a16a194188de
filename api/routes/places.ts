import { createRoute } from '@hono/zod-openapi'
import { createRouter } from '../lib/validation.ts'
import { problemResponses } from '../schemas/common.ts'
import { PlacesQuery, PlacesResponse } from '../schemas/residents.ts'
import { findPlaces, maxPlaceResults } from '../services/places.ts'

const placesRoute = createRoute({
  method: 'get',
  path: '/places',
  tags: ['Residents'],
  summary: 'Find a street, square or site by name or address',
  description:
    'Published areas and facilities whose name, street address or area name contain every word of `q` ' +
    '(case-insensitive, ё read as е; Russian or English): areas first, then facilities, each by name, at ' +
    `most ${maxPlaceResults}. \`point\` is the place’s centroid, for "pilots near here" ` +
    '(`GET /api/pilots?near=<lat>,<lng>`).',
  request: { query: PlacesQuery },
  responses: {
    200: { description: 'Matching places', content: { 'application/json': { schema: PlacesResponse } } },
    ...problemResponses(400),
  },
})

export const places = createRouter().openapi(placesRoute, async (c) => {
  return c.json(await findPlaces(c.get('db'), c.req.valid('query').q), 200)
})
