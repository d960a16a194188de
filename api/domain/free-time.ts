import { type AvailabilityInput, availability } from './availability.ts'
import { type Interval, intersect } from './intervals.ts'
import { openingSpans, type WeeklyWindow } from './opening-hours.ts'

const minute = 60_000

/** 22:00 to 06:00 every night, in the city's local time: the "nights only" filter. */
export const nightWindows: readonly WeeklyWindow[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
  weekday,
  from: '22:00',
  to: '06:00',
}))

export interface FreeTimeInput extends Omit<AvailabilityInput, 'range'> {
  /** The window asked about, [from, to). */
  range: Interval
  /** The length the applicant needs. */
  minutes: number
  /** Keep only the parts of each span between 22:00 and 06:00 city time. */
  nightsOnly: boolean
}

/**
 * The free spans of one facility for a free-time search: every maximal span inside `range`, at
 * least `minutes` long, in which a booking of `minutes` may start anywhere that leaves it room.
 * Computed by the same `availability` the availability page and the booking rules agree with,
 * over a range widened by the facility's setup and teardown so that the edges of the window
 * asked about are not cut short by buffers that lie outside it. The caller filters facilities
 * whose duration limits do not admit `minutes`, and supplies the bookings and closures of the
 * widened range.
 */
export function freeSpans(input: FreeTimeInput): Interval[] {
  const margin = (input.rules.setupMinutes + input.rules.teardownMinutes) * minute
  const wide = { start: input.range.start - margin, end: input.range.end + margin }
  const { free } = availability({ ...input, range: wide })
  let spans = intersect(free, [input.range])
  if (input.nightsOnly) spans = intersect(spans, openingSpans(nightWindows, input.range, input.timeZone))
  return spans.filter((s) => s.end - s.start >= input.minutes * minute)
}

/** Whether a facility's duration limits admit a booking of `minutes`. */
export function admitsDuration(
  rules: Pick<AvailabilityInput['rules'], 'minDurationMinutes' | 'maxDurationMinutes'>,
  minutes: number,
): boolean {
  return rules.minDurationMinutes <= minutes && minutes <= rules.maxDurationMinutes
}
