import { describe, expect, it } from 'vitest'
import { availability } from '../../api/domain/availability.ts'
import type { BookingRules } from '../../api/domain/booking-rules.ts'

const hour = 3_600_000
// Monday 2027-03-01 00:00 in St. Petersburg; "now" is a week earlier.
const t0 = Date.parse('2027-03-01T00:00:00+03:00')
const h = (n: number) => t0 + n * hour
const rules: BookingRules = {
  minDurationMinutes: 60,
  maxDurationMinutes: 10_000,
  leadTimeMinutes: 0,
  horizonDays: 365,
  setupMinutes: 0,
  teardownMinutes: 0,
  openingHours: [],
}
const base = {
  range: { start: h(0), end: h(24) },
  rules,
  capacity: 1,
  holding: [],
  closures: [],
  now: h(-168),
  timeZone: 'Europe/Moscow',
}
const spans = (list: { start: number; end: number }[]) =>
  list.map((s) => [(s.start - t0) / hour, (s.end - t0) / hour])

describe('availability', () => {
  it('is all free when nothing holds the facility', () => {
    const { free, busy } = availability(base)
    expect(spans(free)).toEqual([[0, 24]])
    expect(busy).toEqual([])
  })

  it('keeps bookings, closures and closed hours out of free time, and says why', () => {
    const { free, busy } = availability({
      ...base,
      rules: { ...rules, openingHours: [{ weekday: 1, from: '08:00', to: '20:00' }] },
      holding: [{ start: h(10), end: h(12) }],
      closures: [{ start: h(15), end: h(16), reason: 'Inspection' }],
    })
    expect(spans(free)).toEqual([
      [8, 10],
      [12, 15],
      [16, 20],
    ])
    expect(busy.map((b) => [b.kind, (b.start - t0) / hour, (b.end - t0) / hour])).toEqual([
      ['closed', 0, 8],
      ['booking', 10, 12],
      ['closure', 15, 16],
      ['closed', 20, 24],
    ])
    expect(busy.find((b) => b.kind === 'closure')?.reason).toBe('Inspection')
  })

  it('shrinks free time by the setup and teardown a booking needs around it', () => {
    const { free } = availability({
      ...base,
      rules: { ...rules, setupMinutes: 60, teardownMinutes: 30 },
      holding: [{ start: h(10), end: h(12) }],
    })
    expect(spans(free)).toEqual([
      [1, 9.5],
      [13, 23.5],
    ])
  })

  it('stays free while capacity has room', () => {
    const { free, busy } = availability({
      ...base,
      capacity: 2,
      holding: [
        { start: h(2), end: h(6) },
        { start: h(4), end: h(8) },
      ],
    })
    expect(spans(free)).toEqual([
      [0, 4],
      [6, 24],
    ])
    expect(busy.map((b) => [b.kind, (b.start - t0) / hour, (b.end - t0) / hour])).toEqual([['booking', 4, 6]])
  })

  it('offers nothing inside the lead time or past the horizon, nor spans shorter than the minimum', () => {
    const { free } = availability({
      ...base,
      now: h(-2),
      rules: { ...rules, leadTimeMinutes: 5 * 60, minDurationMinutes: 120 },
      holding: [
        { start: h(6), end: h(10) },
        { start: h(11), end: h(12) },
      ],
    })
    // From 3 (now + lead time): 3–6 is long enough, 10–11 is not.
    expect(spans(free)).toEqual([
      [3, 6],
      [12, 24],
    ])
  })
})
