import { TZDate } from '@date-fns/tz'
import { type Interval, intersect, merge } from './intervals.ts'

/** A weekly window in the city's local time; `to` not after `from` runs past midnight. */
export interface WeeklyWindow {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number
  /** 'HH:MM' */
  from: string
  /** 'HH:MM' */
  to: string
}

const day = 24 * 60 * 60 * 1000

function minutesOf(hhmm: string): [number, number] {
  const [h = '0', m = '0'] = hhmm.split(':')
  return [Number(h), Number(m)]
}

/**
 * The instants within `range` when a facility is open, as sorted, disjoint intervals. Windows
 * are local wall-clock times in `timeZone`, so a window from 08:00 to 20:00 is twelve hours on
 * most days, eleven on the day clocks spring forward and thirteen on the day they fall back;
 * a boundary inside a skipped hour moves forward by the gap. No windows means always open.
 */
export function openingSpans(
  windows: readonly WeeklyWindow[],
  range: Interval,
  timeZone: string,
): Interval[] {
  if (range.start >= range.end) return []
  if (windows.length === 0) return [{ start: range.start, end: range.end }]
  const spans: Interval[] = []
  // Start a day early: a window that opened yesterday evening may still be open.
  const first = new TZDate(range.start - day, timeZone)
  for (let offset = 0; ; offset++) {
    const date = new TZDate(first.getFullYear(), first.getMonth(), first.getDate() + offset, timeZone)
    if (date.getTime() >= range.end) break
    const weekday = date.getDay() === 0 ? 7 : date.getDay()
    for (const w of windows) {
      if (w.weekday !== weekday) continue
      const [fromH, fromM] = minutesOf(w.from)
      const [toH, toM] = minutesOf(w.to)
      const crossesMidnight = toH * 60 + toM <= fromH * 60 + fromM
      const y = date.getFullYear()
      const m = date.getMonth()
      const d = date.getDate()
      const start = new TZDate(y, m, d, fromH, fromM, timeZone).getTime()
      const end = new TZDate(y, m, d + (crossesMidnight ? 1 : 0), toH, toM, timeZone).getTime()
      spans.push({ start, end })
    }
  }
  return intersect(merge(spans), [range])
}
