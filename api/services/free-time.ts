import type { Executor } from '../../db/types.ts'
import { admitsDuration, freeSpans } from '../domain/free-time.ts'
import type { Interval } from '../domain/intervals.ts'
import { decodeCursor, encodeCursor } from '../lib/cursor.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say } from '../lib/messages.ts'
import { type FreeTimeFilter, freeTimeFacilities, occupancyOfFacilities } from '../queries/free-time.ts'

const minute = 60_000

export interface FreeTimeSearch extends FreeTimeFilter {
  range: Interval
  nightsOnly: boolean
  limit: number
  cursor?: string | undefined
}

export interface FreeSpan {
  facilityId: string
  facilityName: string
  areaId: string
  areaName: string
  start: number
  end: number
}

/** The contract's order: by start, then facility name (then id, so that the order is total). */
function compareSpans(a: FreeSpan, b: FreeSpan): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.facilityName !== b.facilityName) return a.facilityName < b.facilityName ? -1 : 1
  return a.facilityId < b.facilityId ? -1 : a.facilityId > b.facilityId ? 1 : 0
}

function cursorOf(span: FreeSpan): string {
  return encodeCursor({ key: `${span.start}|${span.facilityName}`, id: span.facilityId })
}

/** The position a cursor stands for, as a span that sorts exactly where the page ended. */
function positionOf(cursor: string): FreeSpan {
  const { key, id } = decodeCursor(cursor)
  const bar = key.indexOf('|')
  const start = Number(key.slice(0, bar))
  if (bar < 0 || !Number.isFinite(start)) {
    throw new ApiError('validation_failed', say.badCursor, {
      errors: [{ path: 'cursor', message: field.badCursor }],
    })
  }
  return { facilityId: id, facilityName: key.slice(bar + 1), areaId: '', areaName: '', start, end: start }
}

/**
 * Free time across the city: every maximal span in the range, at least `minutes` long, where a
 * booking of `minutes` may go on a facility that matches the filters (docs/api.md, "Finding
 * time"). Two statements whatever the number of facilities: the facilities, then what occupies
 * them; the spans come from the same domain function as the availability of one facility.
 */
export async function findFreeTime(
  db: Executor,
  search: FreeTimeSearch,
  clock: { now: number; timeZone: string },
): Promise<{ items: FreeSpan[]; nextCursor: string | null }> {
  const after = search.cursor ? positionOf(search.cursor) : undefined
  const facilities = (await freeTimeFacilities(db, search)).filter((f) =>
    admitsDuration(f.rules, search.minutes),
  )
  const margin = Math.max(
    0,
    ...facilities.map((f) => (f.rules.setupMinutes + f.rules.teardownMinutes) * minute),
  )
  const wide = { start: search.range.start - margin, end: search.range.end + margin }
  const occupancy = await occupancyOfFacilities(db, facilities, wide)
  const spans: FreeSpan[] = []
  for (const f of facilities) {
    const { holding, closures } = occupancy.get(f.id) ?? { holding: [], closures: [] }
    const free = freeSpans({
      ...clock,
      range: search.range,
      rules: f.rules,
      capacity: f.capacity,
      holding,
      closures,
      minutes: search.minutes,
      nightsOnly: search.nightsOnly,
    })
    for (const s of free) {
      spans.push({ facilityId: f.id, facilityName: f.name, areaId: f.areaId, areaName: f.areaName, ...s })
    }
  }
  spans.sort(compareSpans)
  const rest = after ? spans.filter((s) => compareSpans(s, after) > 0) : spans
  const items = rest.slice(0, search.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rest.length > search.limit && last ? cursorOf(last) : null }
}
