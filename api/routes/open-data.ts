import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../lib/context.ts'
import type { CachedRead } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { CategoryId } from '../schemas/catalogue.ts'
import { Id, PageQuery } from '../schemas/common.ts'
import { PilotResults } from '../schemas/residents.ts'
import { mapFeatures, openPilots } from '../services/open-data.ts'

/** The licence of everything the open-data endpoints publish. */
export const openDataLicence = {
  id: 'CC-BY-4.0',
  name: 'Creative Commons Attribution 4.0 International',
  url: 'https://creativecommons.org/licenses/by/4.0/',
}

const Licence = z.object({ id: z.string(), name: z.string(), url: z.string() }).openapi('Licence')

const ActivePilot = z.object({
  id: Id,
  title: z.string(),
  organisation: z.string(),
  start: z.string(),
  end: z.string(),
  url: z.string(),
  results: PilotResults.nullable().openapi({ description: 'Its published results, or null' }),
})

const MapFeature = z
  .object({
    type: z.literal('Feature'),
    id: Id,
    geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }),
    properties: z.object({
      featureType: z.enum(['area', 'facility']),
      name: z.string(),
      address: z.string().nullable().openapi({ description: 'Street address, in the city’s language' }),
      url: z.string(),
      areaId: Id.optional(),
      kind: z.string().optional(),
      categories: z.array(CategoryId).optional(),
      activePilots: z.array(ActivePilot).optional(),
    }),
  })
  .openapi('MapFeature')

/** Public cache: the map and open data publish what is public anyway, the same for everyone. */
export const openDataCached: CachedRead[] = [
  { path: /^\/api\/map\.geojson$/, why: 'published areas and sites with the pilots running on them' },
  { path: /^\/api\/open-data\/[^/]+$/, why: 'public pilots under CC BY 4.0' },
]

const mapRoute = createRoute({
  method: 'get',
  path: '/map.geojson',
  tags: ['Public calendar and feeds'],
  summary: 'Published areas and facilities as GeoJSON (RFC 7946), each facility with its active pilots',
  responses: {
    200: {
      description: 'A FeatureCollection, WGS 84 longitude/latitude',
      content: {
        'application/geo+json': {
          schema: z
            .object({ type: z.literal('FeatureCollection'), features: z.array(MapFeature) })
            .openapi('MapCollection'),
        },
      },
    },
  },
})

const OpenBooking = z.object({
  id: Id.openapi({ description: 'Stable booking id' }),
  facilityId: Id,
  facilityName: z.string(),
  areaId: Id,
  areaName: z.string(),
  start: z.string().openapi({ description: 'ISO 8601, UTC' }),
  end: z.string(),
  phase: z.enum(['upcoming', 'active', 'completed']),
})

const OpenPilot = z
  .object({
    id: Id.openapi({ description: 'Stable pilot id; the public page is /pilots/{id}' }),
    title: z.string(),
    summary: z.string(),
    category: CategoryId,
    organisation: z.string().openapi({ description: 'The company running the pilot' }),
    cluster: z
      .string()
      .nullable()
      .openapi({ description: 'The organisation’s industry cluster id (GET /api/clusters)' }),
    publicDescription: z.string().openapi({ description: 'What is tested and why' }),
    dataCollected: z
      .string()
      .openapi({ description: 'What data the pilot collects and how it is protected' }),
    website: z.string().nullable(),
    url: z.string().openapi({ description: 'The pilot’s public page' }),
    results: PilotResults.nullable().openapi({
      description: 'Its published results (summary, findings, data), or null',
    }),
    bookings: z.array(OpenBooking).openapi({ description: 'Approved bookings: where and when' }),
  })
  .openapi('OpenDataPilot')

const openPilotsRoute = createRoute({
  method: 'get',
  path: '/open-data/pilots',
  tags: ['Open data'],
  summary: 'Every public pilot, for a city open-data portal',
  description:
    'Pilots with at least one approved booking, by stable id, paginated with `limit` and `cursor`. ' +
    `Published under ${openDataLicence.name} (${openDataLicence.id}).`,
  request: { query: PageQuery },
  responses: {
    200: {
      description: 'A page of pilots with the licence',
      content: {
        'application/json': {
          schema: z
            .object({
              licence: Licence,
              generatedAt: z.string(),
              items: z.array(OpenPilot),
              nextCursor: z.string().nullable(),
            })
            .openapi('OpenDataPilots'),
        },
      },
    },
  },
})

/** The public address links point to: PUBLIC_URL, else the address the request came to. */
const originOf = (c: Context<AppEnv>) =>
  c.get('config').publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin

export const openData = createRouter()
  .openapi(mapRoute, async (c) => {
    const map = await mapFeatures(c.get('db'), { now: c.get('now')(), origin: originOf(c) })
    return c.json(map, 200, { 'content-type': 'application/geo+json; charset=utf-8' })
  })
  .openapi(openPilotsRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const page = await openPilots(c.get('db'), { now: c.get('now')(), origin: originOf(c), limit, cursor })
    return c.json({ licence: openDataLicence, ...page }, 200)
  })
