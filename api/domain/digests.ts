/**
 * Review mail (issue 17): whether an official hears of each request or reads one digest a day,
 * when the day's digest is due, and what it says. Pure: the clock, the zone and the data come in.
 */
import type { ReviewMail } from '../../db/types.ts'
import { addWorkingDays, cityDate } from './deadlines.ts'

/** What an official chose: a mode, or `auto` (the department's load decides). */
export type ReviewMailChoice = ReviewMail | 'auto'

/** With more requests than this waiting for a department, its `auto` officials get the digest. */
export const autoDigestAbove = 10

/** The mode that applies now: `auto` is a digest above {@link autoDigestAbove} pending, else each request. */
export function effectiveReviewMail(choice: ReviewMailChoice, pending: number): ReviewMail {
  if (choice !== 'auto') return choice
  return pending > autoDigestAbove ? 'digest' : 'each'
}

const hourFormats = new Map<string, Intl.DateTimeFormat>()

/** The hour of the day (0–23) on the city's clocks at an instant. */
export function cityHour(at: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })
    hourFormats.set(timeZone, format)
  }
  return Number(format.format(at))
}

/**
 * The city date whose digest is due at `now`, or undefined before `digestHour` on the city's
 * clocks. "From the hour on" rather than "at the hour": a day whose clocks skip that hour (daylight
 * saving) still gets its digest, and a run that was missed sends it late rather than never.
 */
export function digestDay(now: Date, timeZone: string, digestHour: number): string | undefined {
  return cityHour(now, timeZone) >= digestHour ? cityDate(now, timeZone) : undefined
}

/**
 * The first submission date that is not yet overdue on `today`: a request submitted before it
 * had to be decided by a day before today. Deadlines never fall earlier for a later submission.
 */
export function overdueBefore(today: string, periodDays: number, holidays: ReadonlySet<string>): string {
  let day = today
  for (;;) {
    const previous = shiftDate(day, -1)
    if (addWorkingDays(previous, periodDays, holidays) < today) return day
    day = previous
  }
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** One line of a digest: a request waiting, nearest deadline first. */
export interface DigestItem {
  pilotTitle: string
  organisationName: string
  facilityName: string
  start: string
  end: string
  occurrences: number
  decideBy: string
  overdue: boolean
}

/** What a department's digest tells. */
export interface DigestFacts {
  waiting: number
  overdue: number
  items: readonly DigestItem[]
  timeZone: string
  link?: string | undefined
}
