import { TZDate } from '@date-fns/tz'
import { type Localized, recurrenceTexts } from '../lib/messages.ts'
import type { Interval } from './intervals.ts'

/** How a series repeats (the contract's `recurrence`). */
export interface Recurrence {
  frequency: 'daily' | 'weekly'
  /** Every `interval` days or weeks; 1 when absent. */
  interval?: number | undefined
  /** Weekly only: ISO weekdays (1 = Monday … 7 = Sunday); the first occurrence's weekday when absent. */
  weekdays?: readonly number[] | undefined
  /** The last date (city calendar, YYYY-MM-DD) an occurrence may start on. */
  until: string
}

export const maxOccurrences = 366

/** Why a recurrence gives no series; `path` names the field to change. */
export interface RecurrenceProblem {
  path: string
  /** In English, as the web's Repeat fields show it. */
  message: string
  /** In every language the API answers in. */
  text: Localized
}

function problemAt(path: string, text: Localized): { problem: RecurrenceProblem } {
  return { problem: { path, message: text.en, text } }
}

interface LocalDateTime {
  y: number
  m: number
  d: number
  h: number
  min: number
}

function local(instant: number, timeZone: string): LocalDateTime {
  const t = new TZDate(instant, timeZone)
  return { y: t.getFullYear(), m: t.getMonth(), d: t.getDate(), h: t.getHours(), min: t.getMinutes() }
}

/** The instant of a local date and time `days` later; a time inside a skipped hour moves forward. */
function shifted(at: LocalDateTime, days: number, timeZone: string): number {
  return new TZDate(at.y, at.m, at.d + days, at.h, at.min, timeZone).getTime()
}

/** ISO weekday of a local date `days` after `at`. */
function weekdayOf(at: LocalDateTime, days: number): number {
  const day = new Date(Date.UTC(at.y, at.m, at.d + days)).getUTCDay()
  return day === 0 ? 7 : day
}

/** Whole days from the local date `at` to the date `until` (YYYY-MM-DD), by the calendar. */
function daysUntil(at: LocalDateTime, until: string): number {
  const [y, m, d] = until.split('-').map(Number) as [number, number, number]
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(at.y, at.m, at.d)) / 86_400_000)
}

/** The day offsets from the first occurrence's date at which the series has an occurrence. */
function dayOffsets(first: LocalDateTime, recurrence: Recurrence, lastDay: number): number[] {
  const interval = recurrence.interval ?? 1
  const offsets: number[] = []
  if (recurrence.frequency === 'daily') {
    for (let day = 0; day <= lastDay && offsets.length <= maxOccurrences; day += interval) offsets.push(day)
    return offsets
  }
  const weekdays = new Set(recurrence.weekdays?.length ? recurrence.weekdays : [weekdayOf(first, 0)])
  // Weeks run Monday to Sunday; every `interval`-th week from the first occurrence's week counts.
  const mondayOffset = 1 - weekdayOf(first, 0)
  for (let day = 0; day <= lastDay && offsets.length <= maxOccurrences; day++) {
    const week = Math.floor((day - mondayOffset) / 7)
    if (week % interval === 0 && weekdays.has(weekdayOf(first, day))) offsets.push(day)
  }
  return offsets
}

/**
 * Every occurrence of a series, in order: the first is `first`, the others repeat its local
 * start and end times on the days the recurrence gives, up to and including the date `until`,
 * in the city's time zone — so 22:00–06:00 stays 22:00–06:00 across a change of the clocks (and
 * lasts an hour less or more). A problem instead when the recurrence gives no valid series.
 */
export function occurrences(
  first: Interval,
  recurrence: Recurrence,
  timeZone: string,
): { occurrences: Interval[] } | { problem: RecurrenceProblem } {
  const start = local(first.start, timeZone)
  const end = local(first.end, timeZone)
  const lastDay = daysUntil(start, recurrence.until)
  if (lastDay < 0) {
    return problemAt('recurrence.until', recurrenceTexts.untilBeforeFirst)
  }
  if (recurrence.frequency === 'weekly' && recurrence.weekdays?.length) {
    if (!recurrence.weekdays.includes(weekdayOf(start, 0))) {
      return problemAt('recurrence.weekdays', recurrenceTexts.weekdayOfFirst)
    }
  }
  const endDays = daysUntil(start, `${end.y}-${end.m + 1}-${end.d}`)
  const offsets = dayOffsets(start, recurrence, lastDay)
  if (offsets.length > maxOccurrences) {
    return problemAt('recurrence.until', recurrenceTexts.tooManyOccurrences(maxOccurrences))
  }
  return {
    occurrences: offsets.map((day) => ({
      start: shifted(start, day, timeZone),
      end: shifted({ ...end, y: start.y, m: start.m, d: start.d }, day + endDays, timeZone),
    })),
  }
}
