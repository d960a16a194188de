import type { Executor } from '../../db/types.ts'
import { availability } from '../domain/availability.ts'
import { covers, type Interval } from '../domain/intervals.ts'
import {
  type BookableFacility,
  facilityForBooking,
  facilityWithOccupancy,
  occupancy,
} from '../queries/bookings.ts'

const minute = 60_000

/** Free and busy time of a facility over a range, from its rules, bookings and closures. */
export async function facilityAvailability(
  db: Executor,
  facility: BookableFacility,
  range: Interval,
  clock: { now: number; timeZone: string },
) {
  // Bookings and closures just outside the range still shape it through setup and teardown.
  const margin = (facility.rules.setupMinutes + facility.rules.teardownMinutes) * minute
  const wide = { start: range.start - margin, end: range.end + margin }
  const { holding, closures } = await occupancy(db, facility, wide)
  return availability({
    range,
    rules: facility.rules,
    capacity: facility.capacity,
    holding,
    closures,
    now: clock.now,
    timeZone: clock.timeZone,
  })
}

/**
 * A facility and its free and busy time over a range, read in one round trip (the public read
 * of a site's time); undefined when there is no such facility. The caller decides who may see it.
 */
export async function facilityAndAvailability(
  db: Executor,
  facilityId: string,
  range: Interval,
  clock: { now: number; timeZone: string },
) {
  const found = await facilityWithOccupancy(db, facilityId, range)
  if (!found) return undefined
  const { facility, holding, closures } = found
  const spans = availability({
    range,
    rules: facility.rules,
    capacity: facility.capacity,
    holding,
    closures,
    now: clock.now,
    timeZone: clock.timeZone,
  })
  return { facility, ...spans }
}

/** Of these facilities, the ones where a booking of exactly `span` would find room, in the same order. */
export async function withRoomFor<T extends { id: string }>(
  db: Executor,
  facilities: readonly T[],
  span: Interval,
  clock: { now: number; timeZone: string },
): Promise<T[]> {
  const kept: T[] = []
  for (const f of facilities) {
    const facility = await facilityForBooking(db, f.id, { lock: false })
    if (!facility) continue
    const range = {
      start: span.start - facility.rules.setupMinutes * minute,
      end: span.end + facility.rules.teardownMinutes * minute,
    }
    const { free } = await facilityAvailability(db, facility, range, clock)
    if (covers(free, span)) kept.push(f)
  }
  return kept
}
