/**
 * Review deadlines in the city's calendar (issue 17). A department decides a request within its
 * review period, counted in working days after the day it was submitted: weekends (Saturday and
 * Sunday) and the public holidays (table `public_holidays`) do not count. The deadline is a city
 * date: the request is due by the end of that day.
 */

const dayMs = 86_400_000

// Building an Intl.DateTimeFormat costs far more than formatting with one: one per zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar date, `YYYY-MM-DD`, an instant falls on in the zone. */
export function cityDate(at: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormats.set(timeZone, format)
  }
  return format.format(at)
}

function isWorkingDay(date: string, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !holidays.has(date)
}

/** The date `days` working days after `date` (a weekend or holiday `date` counts from the next working day). */
export function addWorkingDays(
  date: string,
  days: number,
  holidays: ReadonlySet<string> = new Set(),
): string {
  let at = new Date(`${date}T00:00:00Z`).getTime()
  let left = days
  while (left > 0) {
    at += dayMs
    if (isWorkingDay(new Date(at).toISOString().slice(0, 10), holidays)) left--
  }
  return new Date(at).toISOString().slice(0, 10)
}

/** When a department must decide a request submitted at `submittedAt`: a city date. */
export function decideBy(
  submittedAt: Date,
  periodDays: number,
  timeZone: string,
  holidays: ReadonlySet<string> = new Set(),
): string {
  return addWorkingDays(cityDate(submittedAt, timeZone), periodDays, holidays)
}
