import { describe, expect, it } from 'vitest'
import {
  type BookingRules,
  checkBookingRules,
  describeMinutes,
  exceedsCapacity,
  occupiedSpan,
  type RuleContext,
} from '../../api/domain/booking-rules.ts'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
// A fixed "now": a Monday, 10:00 in St. Petersburg. Every date below is derived from it.
const now = Date.parse('2027-03-01T10:00:00+03:00')

const rules: BookingRules = {
  minDurationMinutes: 60,
  maxDurationMinutes: 7 * 24 * 60,
  leadTimeMinutes: 48 * 60,
  horizonDays: 90,
  setupMinutes: 30,
  teardownMinutes: 30,
  openingHours: [],
}
const ctx: RuleContext = {
  now,
  timeZone: 'Europe/Moscow',
  closures: [],
  categoryAccepted: true,
  published: true,
}
const at = (offset: number, length: number) => ({ start: now + offset, end: now + offset + length })

describe('checkBookingRules', () => {
  it.each<
    [
      string,
      { start: number; end: number },
      Partial<BookingRules>,
      Partial<RuleContext>,
      string | undefined,
      RegExp?,
    ]
  >([
    ['a request that meets every rule', at(3 * day, 2 * hour), {}, {}, undefined],
    ['too short', at(3 * day, 30 * minute), {}, {}, 'duration', /lasts 30 minutes; .* at least 60 minutes/],
    ['exactly the minimum', at(3 * day, hour), {}, {}, undefined],
    ['too long', at(3 * day, 8 * day), {}, {}, 'duration', /lasts 8 days; .* at most 7 days/],
    [
      'too little notice',
      at(3 * hour, 2 * hour),
      {},
      {},
      'lead_time',
      /starts in 3 hours; this site needs 2 days' notice/,
    ],
    ['in the past', at(-2 * hour, hour), {}, {}, 'lead_time', /is in the past/],
    ['exactly the lead time', at(2 * day, hour), {}, {}, undefined],
    ['beyond the horizon', at(91 * day, hour), {}, {}, 'horizon', /up to 90 days ahead/],
    ['exactly at the horizon', at(90 * day, hour), {}, {}, undefined],
    [
      'inside opening hours, buffers included',
      { start: Date.parse('2027-03-04T09:30:00+03:00'), end: Date.parse('2027-03-04T17:30:00+03:00') },
      { openingHours: [{ weekday: 4, from: '09:00', to: '18:00' }] },
      {},
      undefined,
    ],
    [
      'the setup buffer starts before opening',
      { start: Date.parse('2027-03-04T09:00:00+03:00'), end: Date.parse('2027-03-04T12:00:00+03:00') },
      { openingHours: [{ weekday: 4, from: '09:00', to: '18:00' }] },
      {},
      'outside_opening_hours',
      /setup and teardown included/,
    ],
    [
      'spanning two days across a closed night',
      { start: Date.parse('2027-03-04T10:00:00+03:00'), end: Date.parse('2027-03-05T10:00:00+03:00') },
      { openingHours: [4, 5].map((weekday) => ({ weekday, from: '09:00', to: '18:00' })) },
      {},
      'outside_opening_hours',
    ],
    [
      'a night window running past midnight',
      { start: Date.parse('2027-03-04T23:30:00+03:00'), end: Date.parse('2027-03-05T05:00:00+03:00') },
      { openingHours: [{ weekday: 4, from: '23:00', to: '06:00' }] },
      {},
      undefined,
    ],
    [
      'overlapping a closure by its teardown only',
      at(3 * day, 2 * hour),
      {},
      {
        closures: [
          { start: now + 3 * day + 2 * hour + 10 * minute, end: now + 4 * day, reason: 'Festival.' },
        ],
      },
      'in_closure',
      /closed .*: Festival\./,
    ],
    [
      'touching a closure without overlapping it',
      at(3 * day, 2 * hour),
      {},
      {
        closures: [
          { start: now + 3 * day + 2 * hour + 30 * minute, end: now + 4 * day, reason: 'Festival.' },
        ],
      },
      undefined,
    ],
    [
      'a category the area does not accept',
      at(3 * day, 2 * hour),
      {},
      { categoryAccepted: false },
      'category_not_accepted',
    ],
    ['an unpublished site', at(3 * day, 2 * hour), {}, { published: false }, 'not_published'],
  ])('%s', (_name, request, ruleChanges, ctxChanges, code, detail) => {
    const violation = checkBookingRules(request, { ...rules, ...ruleChanges }, { ...ctx, ...ctxChanges })
    expect(violation?.code).toBe(code)
    if (detail) expect(violation?.detail.en).toMatch(detail)
  })

  it('checks opening hours in the city zone across the spring change (Europe/Madrid)', () => {
    // Sunday 2027-03-28: clocks go from 02:00 to 03:00. The site opens 08:00–20:00 local time.
    const madrid = { ...ctx, now: Date.parse('2027-03-01T10:00:00+01:00'), timeZone: 'Europe/Madrid' }
    const open = {
      ...rules,
      setupMinutes: 0,
      teardownMinutes: 0,
      openingHours: [{ weekday: 7, from: '08:00', to: '20:00' }],
    }
    const inSummerTime = {
      start: Date.parse('2027-03-28T08:00:00+02:00'),
      end: Date.parse('2027-03-28T20:00:00+02:00'),
    }
    expect(checkBookingRules(inSummerTime, open, madrid)).toBeUndefined()
    // 08:00–20:00 computed with the winter offset ends at 21:00 summer time: after closing.
    const inWinterTime = {
      start: Date.parse('2027-03-28T08:00:00+01:00'),
      end: Date.parse('2027-03-28T20:00:00+01:00'),
    }
    expect(checkBookingRules(inWinterTime, open, madrid)?.code).toBe('outside_opening_hours')
  })
})

describe('capacity', () => {
  const span = (from: number, to: number) => ({ start: from * hour, end: to * hour })
  it.each([
    [[], span(0, 2), 1, false],
    [[span(0, 2)], span(2, 4), 1, false],
    [[span(0, 2)], span(1, 3), 1, true],
    [[span(0, 2)], span(1, 3), 2, false],
    [[span(0, 2), span(1, 3)], span(1, 2), 2, true],
    [[span(0, 2), span(2, 4)], span(1, 3), 2, false],
    [[span(0, 10), span(0, 10), span(20, 30)], span(5, 25), 3, false],
    [[span(0, 10), span(0, 10), span(8, 30)], span(5, 25), 3, true],
  ])('holding %o, requesting %o at capacity %i: exceeds %s', (holding, requested, capacity, expected) => {
    expect(exceedsCapacity(holding, requested, capacity)).toBe(expected)
  })

  it('counts buffers in the occupied span', () => {
    expect(
      occupiedSpan({ start: 10 * hour, end: 12 * hour }, { setupMinutes: 60, teardownMinutes: 30 }),
    ).toEqual({
      start: 9 * hour,
      end: 12.5 * hour,
    })
  })
})

describe('describeMinutes', () => {
  it.each([
    [1, '1 minute'],
    [90, '90 minutes'],
    [120, '2 hours'],
    [150, '2 hours and 30 minutes'],
    [24 * 60, '1 day'],
    [48 * 60, '2 days'],
    [50 * 60, '50 hours'],
    [4 * 24 * 60 + 360, '4 days and 6 hours'],
  ])('%i → %s', (minutes, words) => {
    expect(describeMinutes(minutes)).toBe(words)
  })
})
