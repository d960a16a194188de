import type { BookingRules, Closure } from './booking-rules.ts'
import { type Interval, intersect, merge, spansWithRoom, subtract } from './intervals.ts'
import { openingSpans } from './opening-hours.ts'

export type BusyKind = 'booking' | 'closure' | 'closed'

export interface BusySpan extends Interval {
  kind: BusyKind
  /** A closure's public reason. */
  reason?: string
}

export interface AvailabilityInput {
  range: Interval
  rules: BookingRules
  capacity: number
  /** Occupied spans (buffers included) of the bookings that hold the facility. */
  holding: readonly Interval[]
  closures: readonly Closure[]
  now: number
  timeZone: string
}

const minute = 60_000

/**
 * Free and busy time of a facility within a range.
 *
 * `free` lists where a booking may start and end: every booking inside one free span passes the
 * rules of time and room — its setup and teardown fit the opening windows, miss every closure and
 * find capacity; it starts after the lead time and before the horizon. Spans too short for the
 * minimum duration are left out. `busy` says why the rest is not free: `closed` (outside opening
 * hours), `closure` (with its public reason) or `booking` (the facility is full).
 */
export function availability(input: AvailabilityInput): { free: Interval[]; busy: BusySpan[] } {
  const { range, rules } = input
  const open = openingSpans(rules.openingHours, range, input.timeZone)
  const closed = subtract([range], open)
  const closureSpans = input.closures
    .flatMap((c) => intersect([c], [range]).map((i) => ({ ...i, reason: c.reason })))
    .flatMap((c) => subtract([c], closed).map((i) => ({ ...i, reason: c.reason })))
  const roomy = spansWithRoom(input.holding, input.capacity, range)
  const full = subtract(subtract(subtract([range], roomy), closed), closureSpans)

  const setup = rules.setupMinutes * minute
  const teardown = rules.teardownMinutes * minute
  const earliestStart = input.now + rules.leadTimeMinutes * minute
  const latestStart = input.now + rules.horizonDays * 24 * 60 * minute
  const occupiable = subtract(intersect(open, roomy), closureSpans)
  const free = merge(
    occupiable
      // A booking fits where its setup and teardown fit around it.
      .map((s) => ({ start: s.start + setup, end: s.end - teardown }))
      .map((s) => ({ start: Math.max(s.start, earliestStart), end: Math.min(s.end, latestStart) })),
  ).filter((s) => s.end - s.start >= rules.minDurationMinutes * minute)

  const busy: BusySpan[] = [
    ...closed.map((i) => ({ ...i, kind: 'closed' as const })),
    ...closureSpans.map((i) => ({ start: i.start, end: i.end, kind: 'closure' as const, reason: i.reason })),
    ...full.map((i) => ({ ...i, kind: 'booking' as const })),
  ].sort((a, b) => a.start - b.start || a.end - b.end)
  return { free, busy }
}
