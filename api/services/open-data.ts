import type { z } from '@hono/zod-openapi'
import type { Executor } from '../../db/types.ts'
import { phaseOf } from '../domain/lifecycle.ts'
import { listAreas, listFacilities } from '../queries/catalogue.ts'
import { activePilotsAt, approvedBookingsOf, publicPilotsPage } from '../queries/open-data.ts'
import { resultsOf } from '../queries/results.ts'
import type { CategoryId } from '../schemas/catalogue.ts'

/** Where links in open data point: the public address of the web app. */
interface Published {
  now: Date
  origin: string
}

/** The published areas and sites as GeoJSON features, each site with the pilots running on it now. */
export async function mapFeatures(db: Executor, { now, origin }: Published) {
  const [areas, facilities, active] = await Promise.all([
    listAreas(db, { limit: 500 }),
    listFacilities(db, { limit: 2000 }),
    activePilotsAt(db, now),
  ])
  const results = await resultsOf(
    db,
    active.map((b) => b.id),
  )
  const features = [
    ...areas.items.map((a) => ({
      type: 'Feature' as const,
      id: a.id,
      geometry: a.geometry,
      properties: {
        featureType: 'area' as const,
        name: a.name,
        address: a.address,
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
        address: f.address,
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
            results: results.get(b.id) ?? null,
          })),
      },
    })),
  ]
  return { type: 'FeatureCollection' as const, features }
}

/** A page of every public pilot with where and when it runs, for an open-data portal. */
export async function openPilots(
  db: Executor,
  { now, origin, limit, cursor }: Published & { limit: number; cursor?: string | undefined },
) {
  const { rows: pageRows, nextCursor } = await publicPilotsPage(db, { limit, cursor })
  const bookings = await approvedBookingsOf(
    db,
    pageRows.map((r) => r.id),
  )
  const results = await resultsOf(
    db,
    pageRows.map((r) => r.id),
  )
  const nowMs = now.getTime()
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
    results: results.get(r.id) ?? null,
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
          phaseOf('approved', { start: b.starts_at.getTime(), end: b.ends_at.getTime() }, nowMs) ??
          'upcoming',
      })),
  }))
  return { generatedAt: now.toISOString(), items, nextCursor }
}
