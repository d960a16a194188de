import { covers, type Interval, maxOverlap, overlaps } from './intervals.ts'
import { openingSpans, type WeeklyWindow } from './opening-hours.ts'

/** A facility's booking rules, as docs/design.md lists them. */
export interface BookingRules {
  minDurationMinutes: number
  maxDurationMinutes: number
  leadTimeMinutes: number
  horizonDays: number
  setupMinutes: number
  teardownMinutes: number
  /** Empty: always open. */
  openingHours: readonly WeeklyWindow[]
}

export interface Closure extends Interval {
  reason: string
}

/** Everything a rule needs besides the request: the clock, the zone and the facility's state. */
export interface RuleContext {
  now: number
  timeZone: string
  closures: readonly Closure[]
  /** The pilot's category is among the area's accepted ones. */
  categoryAccepted: boolean
  /** The facility and its area are published. */
  published: boolean
}

export type RuleCode =
  | 'duration'
  | 'lead_time'
  | 'horizon'
  | 'outside_opening_hours'
  | 'in_closure'
  | 'category_not_accepted'
  | 'not_published'

/** A failed rule: its stable code and a sentence telling the applicant what to change. */
export interface RuleViolation {
  code: RuleCode
  detail: string
}

const minute = 60_000

/** "90 minutes", "5 hours", "2 days", "1 day and 6 hours": durations as people say them. */
export function describeMinutes(total: number): string {
  const minutes = Math.round(total)
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (minutes < 120) return plural(minutes, 'minute')
  if (minutes % (24 * 60) === 0) return plural(minutes / (24 * 60), 'day')
  if (minutes < 72 * 60) {
    const hours = Math.floor(minutes / 60)
    const rest = minutes % 60
    return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} and ${plural(rest, 'minute')}`
  }
  const days = Math.floor(minutes / (24 * 60))
  const hours = Math.round((minutes % (24 * 60)) / 60)
  return hours === 0 ? plural(days, 'day') : `${plural(days, 'day')} and ${plural(hours, 'hour')}`
}

/** The span a booking occupies the facility: setup before it, teardown after it. */
export function occupiedSpan(
  request: Interval,
  rules: Pick<BookingRules, 'setupMinutes' | 'teardownMinutes'>,
): Interval {
  return {
    start: request.start - rules.setupMinutes * minute,
    end: request.end + rules.teardownMinutes * minute,
  }
}

/**
 * Checks a request against every booking rule but capacity, in the order docs/design.md gives them,
 * and returns the first that fails, or undefined when all pass. `start < end` is the caller's
 * validation.
 */
export function checkBookingRules(
  request: Interval,
  rules: BookingRules,
  ctx: RuleContext,
): RuleViolation | undefined {
  const minutes = (request.end - request.start) / minute
  if (minutes < rules.minDurationMinutes) {
    return {
      code: 'duration',
      detail: `The booking lasts ${describeMinutes(minutes)}; this site takes bookings of at least ${describeMinutes(rules.minDurationMinutes)}.`,
    }
  }
  if (minutes > rules.maxDurationMinutes) {
    return {
      code: 'duration',
      detail: `The booking lasts ${describeMinutes(minutes)}; this site takes bookings of at most ${describeMinutes(rules.maxDurationMinutes)}.`,
    }
  }
  const notice = (request.start - ctx.now) / minute
  if (notice < rules.leadTimeMinutes) {
    const when = notice <= 0 ? 'is in the past' : `starts in ${describeMinutes(Math.floor(notice))}`
    return {
      code: 'lead_time',
      detail: `The booking ${when}; this site needs ${describeMinutes(rules.leadTimeMinutes)}' notice.`,
    }
  }
  if (request.start > ctx.now + rules.horizonDays * 24 * 60 * minute) {
    return {
      code: 'horizon',
      detail: `The booking starts more than ${describeMinutes(rules.horizonDays * 24 * 60)} ahead; this site takes bookings up to ${describeMinutes(rules.horizonDays * 24 * 60)} ahead.`,
    }
  }
  const occupied = occupiedSpan(request, rules)
  if (rules.openingHours.length > 0) {
    const open = openingSpans(rules.openingHours, occupied, ctx.timeZone)
    if (!covers(open, occupied)) {
      const buffers = rules.setupMinutes + rules.teardownMinutes > 0 ? ', setup and teardown included,' : ''
      return {
        code: 'outside_opening_hours',
        detail: `The booking${buffers} falls outside the site's opening hours; choose a time within them.`,
      }
    }
  }
  const closure = ctx.closures.find((c) => overlaps(c, occupied))
  if (closure) {
    return { code: 'in_closure', detail: `The site is closed then: ${closure.reason}` }
  }
  if (!ctx.categoryAccepted) {
    return {
      code: 'category_not_accepted',
      detail: "The area does not accept pilots of this pilot's category.",
    }
  }
  if (!ctx.published) {
    return { code: 'not_published', detail: 'The site is not open for bookings.' }
  }
  return undefined
}

/**
 * Capacity: with the new booking's occupied span added to the spans of the bookings that hold
 * the facility, the largest overlap at any instant must not exceed the capacity.
 */
export function exceedsCapacity(
  holding: readonly Interval[],
  requested: Interval,
  capacity: number,
): boolean {
  return maxOverlap([...holding.filter((h) => overlaps(h, requested)), requested]) > capacity
}
