import { createRoute, z } from '@hono/zod-openapi'
import { sql } from 'kysely'
import { phaseOf } from '../domain/lifecycle.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { createRouter } from '../lib/validation.ts'
import { listAreas, listFacilities } from '../queries/catalogue.ts'
import { CategoryId } from '../schemas/catalogue.ts'
import { Id, PageQuery } from '../schemas/common.ts'

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
})

const MapFeature = z
  .object({
    type: z.literal('Feature'),
    id: Id,
    geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }),
    properties: z.object({
      featureType: z.enum(['area', 'facility']),
      name: z.string(),
      url: z.string(),
      areaId: Id.optional(),
      kind: z.string().optional(),
      categories: z.array(CategoryId).optional(),
      activePilots: z.array(ActivePilot).optional(),
    }),
  })
  .openapi('MapFeature')

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

export const openData = createRouter()
  .openapi(mapRoute, async (c) => {
    const origin = c.get('config').publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin
    const db = c.get('db')
    const now = c.get('now')()
    const [areas, facilities, active] = await Promise.all([
      listAreas(db, { limit: 500 }),
      listFacilities(db, { limit: 2000 }),
      db
        .selectFrom('bookings')
        .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
        .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
        .select([
          'bookings.facility_id',
          'bookings.starts_at',
          'bookings.ends_at',
          'pilots.id',
          'pilots.title',
          'organisations.name',
        ])
        .where('bookings.state', '=', 'approved')
        .where('bookings.starts_at', '<=', now)
        .where('bookings.ends_at', '>', now)
        .execute(),
    ])
    const features = [
      ...areas.items.map((a) => ({
        type: 'Feature' as const,
        id: a.id,
        geometry: a.geometry,
        properties: {
          featureType: 'area' as const,
          name: a.name,
          url: `${origin}/sites?areaId=${a.id}`,
          categories: a.categories,
        },
      })),
      ...facilities.items.map((f) => ({
        type: 'Feature' as const,
        id: f.id,
        geometry: f.geometry,
        properties: {
          featureType: 'facility' as const,
          name: f.name,
          url: `${origin}/sites/${f.id}`,
          areaId: f.areaId,
          kind: f.kind,
          activePilots: active
            .filter((b) => b.facility_id === f.id)
            .map((b) => ({
              id: b.id,
              title: b.title,
              organisation: b.name,
              start: b.starts_at.toISOString(),
              end: b.ends_at.toISOString(),
              url: `${origin}/pilots/${b.id}`,
            })),
        },
      })),
    ]
    return c.json({ type: 'FeatureCollection' as const, features }, 200, {
      'content-type': 'application/geo+json; charset=utf-8',
    })
  })
  .openapi(openPilotsRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query')
    const db = c.get('db')
    const origin = c.get('config').publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin
    let q = db
      .selectFrom('pilots')
      .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
      .selectAll('pilots')
      .select(['organisations.name as organisation_name', 'organisations.cluster_id'])
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('bookings')
            .whereRef('bookings.pilot_id', '=', 'pilots.id')
            .where('bookings.state', '=', 'approved')
            .select(sql`1`.as('one')),
        ),
      )
    if (cursor) {
      const after = decodeCursor(cursor)
      q = q.where(sql<boolean>`(pilots.id::text, pilots.id) > (${after.key}, ${after.id}::uuid)`)
    }
    const rows = await q
      .orderBy('pilots.id')
      .limit(limit + 1)
      .execute()
    const { rows: pageRows, nextCursor } = paginate(rows, limit, (r) => r.id)
    const bookings =
      pageRows.length === 0
        ? []
        : await db
            .selectFrom('bookings')
            .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
            .innerJoin('areas', 'areas.id', 'facilities.area_id')
            .select([
              'bookings.id',
              'bookings.pilot_id',
              'bookings.starts_at',
              'bookings.ends_at',
              'facilities.id as facility_id',
              'facilities.name as facility_name',
              'areas.id as area_id',
              'areas.name as area_name',
            ])
            .where('bookings.state', '=', 'approved')
            .where(
              'bookings.pilot_id',
              'in',
              pageRows.map((r) => r.id),
            )
            .orderBy('bookings.starts_at')
            .execute()
    const now = c.get('now')().getTime()
    const items = pageRows.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      category: r.category_id as z.infer<typeof CategoryId>,
      organisation: r.organisation_name,
      cluster: r.cluster_id,
      publicDescription: r.public_description,
      dataCollected: r.data_collected,
      website: r.website,
      url: `${origin}/pilots/${r.id}`,
      bookings: bookings
        .filter((b) => b.pilot_id === r.id)
        .map((b) => ({
          id: b.id,
          facilityId: b.facility_id,
          facilityName: b.facility_name,
          areaId: b.area_id,
          areaName: b.area_name,
          start: b.starts_at.toISOString(),
          end: b.ends_at.toISOString(),
          phase:
            phaseOf('approved', { start: b.starts_at.getTime(), end: b.ends_at.getTime() }, now) ??
            'upcoming',
        })),
    }))
    return c.json(
      { licence: openDataLicence, generatedAt: new Date(now).toISOString(), items, nextCursor },
      200,
    )
  })
