/**
 * The suite's one clock. Every test that depends on "now" takes it from here and moves it
 * forward itself; nothing in the suite reads the machine's clock, so the suite gives the same
 * answers on any day (`npm run test:dates` proves it under faketime).
 *
 * `TEST_NOW` (an ISO instant with an offset) moves the whole suite to another "now": the
 * 1st of a month, 29 February, New Year's Eve at 23:59 in the city. Without it the suite lives
 * on a fixed, ordinary Wednesday morning.
 */
import { TZDate } from '@date-fns/tz'

export const minute = 60_000
export const hour = 60 * minute
export const day = 24 * hour

const defaultNow = '2031-03-12T09:30:00+03:00'

function parseTestNow(text: string | undefined): Date {
  const value = text?.trim() || defaultNow
  const instant = new Date(value)
  if (Number.isNaN(instant.getTime()) || !/(Z|[+-]\d\d:?\d\d)$/.test(value)) {
    throw new Error(`TEST_NOW must be an ISO instant with an offset, such as ${defaultNow}; got ${value}`)
  }
  return instant
}

/** The instant the suite calls "now". */
export const testNow: Date = parseTestNow(process.env.TEST_NOW)

/** `ms` milliseconds after the suite's now (before it, when negative). */
export function fromNow(ms: number): Date {
  return new Date(testNow.getTime() + ms)
}

/** A clock a test owns: it starts at `start` and moves only when the test moves it. */
export interface TestClock {
  now: () => Date
  advance(ms: number): void
  set(instant: Date): void
}

export function testClock(start: Date = testNow): TestClock {
  let current = start.getTime()
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms
    },
    set(instant) {
      current = instant.getTime()
    },
  }
}

/** The city of the suite's tests. */
export const cityZone = 'Europe/Moscow'

/**
 * The first `weekday` (1 = Monday … 7 = Sunday) at local `time` ("HH:MM") in `zone` after
 * `after`: for tests whose story needs "a Monday morning" whatever day the suite runs on.
 */
export function nextCityTime(weekday: number, time: string, zone = cityZone, after: Date = testNow): Date {
  const [hours = 0, minutes = 0] = time.split(':').map(Number)
  const local = new TZDate(after.getTime(), zone)
  for (let days = 0; days <= 7; days++) {
    const candidate = new TZDate(
      local.getFullYear(),
      local.getMonth(),
      local.getDate() + days,
      hours,
      minutes,
      zone,
    )
    const isoWeekday = candidate.getDay() === 0 ? 7 : candidate.getDay()
    if (isoWeekday === weekday && candidate.getTime() > after.getTime()) return new Date(candidate.getTime())
  }
  throw new Error(`no weekday ${weekday} at ${time} in the week after ${after.toISOString()}`)
}

/** The city's calendar date ("YYYY-MM-DD") and ISO weekday `days` after the suite's now. */
export function cityDay(days: number, zone = cityZone, from: Date = testNow) {
  const local = new TZDate(from.getTime(), zone)
  const d = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + days, zone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    weekday: d.getDay() === 0 ? 7 : d.getDay(),
  }
}
