import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import type { BookingRules, Closure } from '../domain/booking-rules.ts'
import type { Interval } from '../domain/intervals.ts'
import type { facilityKinds } from '../domain/vocabulary.ts'
import { durationRulesOf, openingHoursOf } from './catalogue.ts'
import { closureOverlaps, isHolding, occupiedOverlaps } from './ranges.ts'

export interface FreeTimeFilter {
  minutes: number
  category?: string | undefined
  areaId?: string | undefined
  kind?: (typeof facilityKinds)[number] | undefined
  powerKwMin?: number | undefined
  connectivity?: readonly string[] | undefined
}

export interface FreeTimeFacility {
  id: string
  name: string
  areaId: string
  areaName: string
  capacity: number
  rules: BookingRules
}

/**
 * The facilities a free-time search looks at, in one statement: published, in a published area
 * that accepts the category, matching every filter given, and taking bookings of `minutes`.
 */
export async function freeTimeFacilities(db: Executor, filter: FreeTimeFilter): Promise<FreeTimeFacility[]> {
  let q = db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .selectAll('facilities')
    .select((eb) => ['areas.name as area_name', openingHoursOf(eb).as('opening_hours')])
    .where('facilities.published', '=', true)
    .where('areas.published', '=', true)
    .where('facilities.min_duration_minutes', '<=', filter.minutes)
    .where('facilities.max_duration_minutes', '>=', filter.minutes)
  if (filter.areaId) q = q.where('facilities.area_id', '=', filter.areaId)
  if (filter.kind) q = q.where('facilities.kind', '=', filter.kind)
  if (filter.powerKwMin !== undefined) q = q.where('facilities.power_kw', '>=', filter.powerKwMin)
  if (filter.connectivity && filter.connectivity.length > 0) {
    q = q.where(sql<boolean>`facilities.connectivity @> ${sql.val(filter.connectivity)}::text[]`)
  }
  const category = filter.category
  if (category) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('area_categories')
          .whereRef('area_categories.area_id', '=', 'facilities.area_id')
          .where('area_categories.category_id', '=', category)
          .select(sql`1`.as('one')),
      ),
    )
  }
  const rows = await q.orderBy('facilities.name').orderBy('facilities.id').execute()
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    areaId: row.area_id,
    areaName: row.area_name,
    capacity: row.capacity,
    rules: {
      ...durationRulesOf(row),
      openingHours: row.opening_hours as { weekday: number; from: string; to: string }[],
    },
  }))
}

export interface Occupancy {
  holding: Interval[]
  closures: Closure[]
}

/**
 * What occupies each of these facilities within a range, in one round trip: the occupied spans of
 * the bookings that hold them and the closures of each facility and of its area. Every facility
 * given gets an entry, empty when nothing occupies it.
 */
export async function occupancyOfFacilities(
  db: Executor,
  facilities: readonly { id: string; areaId: string }[],
  range: Interval,
): Promise<Map<string, Occupancy>> {
  const result = new Map<string, Occupancy>(facilities.map((f) => [f.id, { holding: [], closures: [] }]))
  if (facilities.length === 0) return result
  const from = new Date(range.start)
  const to = new Date(range.end)
  const ids = facilities.map((f) => f.id)
  const areaIds = [...new Set(facilities.map((f) => f.areaId))]
  const [bookings, closures] = await Promise.all([
    db
      .selectFrom('bookings')
      .select(['facility_id', 'occupied_from', 'occupied_to'])
      .where('facility_id', 'in', ids)
      .where(isHolding('bookings'))
      .where(occupiedOverlaps(from, to))
      .execute(),
    db
      .selectFrom('closures')
      .select(['facility_id', 'area_id', 'starts_at', 'ends_at', 'reason'])
      .where((eb) => eb.or([eb('facility_id', 'in', ids), eb('area_id', 'in', areaIds)]))
      .where(closureOverlaps(from, to))
      .execute(),
  ])
  for (const b of bookings) {
    result
      .get(b.facility_id)
      ?.holding.push({ start: b.occupied_from.getTime(), end: b.occupied_to.getTime() })
  }
  for (const c of closures) {
    const closure = { start: c.starts_at.getTime(), end: c.ends_at.getTime(), reason: c.reason }
    for (const f of facilities) {
      if (f.id === c.facility_id || f.areaId === c.area_id) result.get(f.id)?.closures.push(closure)
    }
  }
  return result
}
