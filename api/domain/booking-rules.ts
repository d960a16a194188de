import type { Language } from '../lib/language.ts'
import { durationText, type Localized, ruleTexts, spanText } from '../lib/messages.ts'
import { covers, type Interval, maxOverlap, overlaps, spansWithRoom, subtract } from './intervals.ts'
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

/** A failed rule: its stable code and a sentence, in every language, telling the applicant what to change. */
export interface RuleViolation {
  code: RuleCode
  detail: Localized
  /** `in_closure`: the closure the booking meets, for a client to word in its own language. */
  closure?: Closure | undefined
}

/** "3 Mar 2031, 10:00 – 5 Mar 2031, 18:00" in the city's zone: when a closure or a taken slot is. */
export function describeSpan(span: Interval, timeZone: string, language: Language = 'en'): string {
  return spanText(span, timeZone)[language]
}

const minute = 60_000

/** "90 minutes", "5 hours", "2 days", "1 day and 6 hours": durations as people say them. */
export function describeMinutes(total: number, language: Language = 'en'): string {
  return durationText(total)[language]
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
      detail: ruleTexts.tooShort(durationText(minutes), durationText(rules.minDurationMinutes)),
    }
  }
  if (minutes > rules.maxDurationMinutes) {
    return {
      code: 'duration',
      detail: ruleTexts.tooLong(durationText(minutes), durationText(rules.maxDurationMinutes)),
    }
  }
  const notice = (request.start - ctx.now) / minute
  if (notice < rules.leadTimeMinutes) {
    const needed = durationText(rules.leadTimeMinutes)
    return {
      code: 'lead_time',
      detail:
        notice <= 0
          ? ruleTexts.inThePast(needed)
          : ruleTexts.tooSoon(durationText(Math.floor(notice)), needed),
    }
  }
  if (request.start > ctx.now + rules.horizonDays * 24 * 60 * minute) {
    return { code: 'horizon', detail: ruleTexts.tooFarAhead(durationText(rules.horizonDays * 24 * 60)) }
  }
  const occupied = occupiedSpan(request, rules)
  if (rules.openingHours.length > 0) {
    const open = openingSpans(rules.openingHours, occupied, ctx.timeZone)
    if (!covers(open, occupied)) {
      return {
        code: 'outside_opening_hours',
        detail: ruleTexts.outsideOpeningHours(rules.setupMinutes + rules.teardownMinutes > 0),
      }
    }
  }
  const closure = ctx.closures.find((c) => overlaps(c, occupied))
  if (closure) {
    return {
      code: 'in_closure',
      detail: ruleTexts.closed(spanText(closure, ctx.timeZone), closure.reason),
      closure,
    }
  }
  if (!ctx.categoryAccepted) {
    return { code: 'category_not_accepted', detail: ruleTexts.categoryNotAccepted }
  }
  if (!ctx.published) {
    return { code: 'not_published', detail: ruleTexts.notPublished }
  }
  return undefined
}

/**
 * Capacity: with the new booking's occupied span added to the spans of the bookings that hold
 * the facility, the largest overlap at any instant must not exceed the capacity.
 */
/** The parts of `requested` where the bookings already fill the facility: the times that are taken. */
export function takenSpans(holding: readonly Interval[], requested: Interval, capacity: number): Interval[] {
  return subtract([requested], spansWithRoom(holding, capacity, requested))
}

export function exceedsCapacity(
  holding: readonly Interval[],
  requested: Interval,
  capacity: number,
): boolean {
  return maxOverlap([...holding.filter((h) => overlaps(h, requested)), requested]) > capacity
}
