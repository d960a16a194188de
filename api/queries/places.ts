import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import type { BoundingBox, LngLat, PlaceGeometry } from '../domain/geo.ts'
import { representativePoint } from '../domain/geo.ts'
import { placeSearchText } from '../domain/text-search.ts'

/**
 * The columns derived from a place's name, address and geometry: its representative point (for
 * "near" searches, indexed by `<table>_point_idx`) and its normalised search text. Written on
 * every create and edit of an area or facility, so that they never drift from what they derive from.
 */
export function derivedPlaceColumns(name: string, address: string | null, geometry: unknown) {
  const [lng, lat] = representativePoint(geometry as PlaceGeometry)
  return { point_lng: lng, point_lat: lat, search_text: placeSearchText(name, address) }
}

/** Recomputes an area's or facility's derived columns from what it now holds (after any edit). */
export async function refreshPlaceColumns(db: Executor, table: 'areas' | 'facilities', id: string) {
  const row = await db
    .selectFrom(table)
    .select(['name', 'address', 'geometry'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return
  await db
    .updateTable(table)
    .set(derivedPlaceColumns(row.name, row.address, row.geometry))
    .where('id', '=', id)
    .execute()
}

/** A place a resident may look up: a published area or a published facility of a published area. */
export interface PlaceRow {
  type: 'area' | 'facility'
  id: string
  name: string
  address: string | null
  area_name: string
  point_lng: number | null
  point_lat: number | null
}

/** `strpos` rather than LIKE: a word is matched as typed, `%` and `_` included. */
function containsEvery(column: ReturnType<typeof sql>, words: readonly string[]) {
  return sql<boolean>`${sql.join(
    words.map((w) => sql`strpos(${column}, ${w}) > 0`),
    sql` and `,
  )}`
}

/**
 * Published areas and facilities whose name, address or area name contain every word (already
 * normalised by `searchWords`), areas first, then by name: at most `limit`.
 */
export async function searchPlaces(
  db: Executor,
  words: readonly string[],
  limit: number,
): Promise<PlaceRow[]> {
  if (words.length === 0) return []
  const areas = await db
    .selectFrom('areas')
    .select([
      sql<'area'>`'area'`.as('type'),
      'areas.id',
      'areas.name',
      'areas.address',
      'areas.name as area_name',
      'areas.point_lng',
      'areas.point_lat',
    ])
    .where('areas.published', '=', true)
    .where(containsEvery(sql`areas.search_text`, words))
    .orderBy('areas.name')
    .orderBy('areas.id')
    .limit(limit)
    .execute()
  const facilities = await db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select([
      sql<'facility'>`'facility'`.as('type'),
      'facilities.id',
      'facilities.name',
      'facilities.address',
      'areas.name as area_name',
      'facilities.point_lng',
      'facilities.point_lat',
    ])
    .where('facilities.published', '=', true)
    .where('areas.published', '=', true)
    .where(containsEvery(sql`(facilities.search_text || ${'\n'} || areas.search_text)`, words))
    .orderBy('facilities.name')
    .orderBy('facilities.id')
    .limit(Math.max(0, limit - areas.length))
    .execute()
  return [...areas, ...facilities]
}

/**
 * Published facilities (of published areas) whose representative point lies in a box: the
 * indexed prefilter of a "near" search, which `haversineM` then makes exact.
 */
export async function facilitiesInBox(db: Executor, box: BoundingBox) {
  return db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select(['facilities.id', 'facilities.point_lng', 'facilities.point_lat'])
    .where('facilities.published', '=', true)
    .where('areas.published', '=', true)
    .where('facilities.point_lat', '>=', box.minLat)
    .where('facilities.point_lat', '<=', box.maxLat)
    .where('facilities.point_lng', '>=', box.minLng)
    .where('facilities.point_lng', '<=', box.maxLng)
    .execute()
}

/** A representative point as the API gives it, `[lng, lat]`; null for a place never located. */
export function pointOf(row: { point_lng: number | null; point_lat: number | null }): LngLat | null {
  return row.point_lng === null || row.point_lat === null ? null : [row.point_lng, row.point_lat]
}

/** What the residents' pages show of a pilot beside its bookings: where and from when to when. */
export interface PilotWhereWhen {
  places: { facilityId: string; name: string; address: string | null; point: LngLat | null }[]
  start: string | null
  end: string | null
  /** The end of its last approved booking, for the overdue-results rule. */
  lastEnd: Date | null
}

/**
 * The sites and span of the approved bookings of some pilots, in one statement: each site once,
 * by its first use; `within` keeps only those sites (a "near" search). Pilots without approved
 * bookings get no places and null times.
 */
export async function pilotsWhereWhen(
  db: Executor,
  pilotIds: readonly string[],
  within?: ReadonlySet<string>,
): Promise<Map<string, PilotWhereWhen>> {
  const facts = new Map<string, PilotWhereWhen>()
  if (pilotIds.length === 0) return facts
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .select((eb) => [
      'bookings.pilot_id',
      'bookings.facility_id',
      'facilities.name',
      'facilities.address',
      'facilities.point_lng',
      'facilities.point_lat',
      eb.fn.min('bookings.starts_at').as('first_start'),
      eb.fn.max('bookings.ends_at').as('last_end'),
    ])
    .where('bookings.pilot_id', 'in', [...pilotIds])
    .where('bookings.state', '=', 'approved')
    .groupBy([
      'bookings.pilot_id',
      'bookings.facility_id',
      'facilities.name',
      'facilities.address',
      'facilities.point_lng',
      'facilities.point_lat',
    ])
    .orderBy('first_start')
    .orderBy('facilities.name')
    .execute()
  for (const row of rows) {
    const first = new Date(row.first_start)
    const last = new Date(row.last_end)
    const entry = facts.get(row.pilot_id) ?? { places: [], start: null, end: null, lastEnd: null }
    if (entry.start === null || first.toISOString() < entry.start) entry.start = first.toISOString()
    if (entry.lastEnd === null || last > entry.lastEnd) {
      entry.lastEnd = last
      entry.end = last.toISOString()
    }
    if (!within || within.has(row.facility_id)) {
      entry.places.push({
        facilityId: row.facility_id,
        name: row.name,
        address: row.address,
        point: pointOf(row),
      })
    }
    facts.set(row.pilot_id, entry)
  }
  return facts
}
