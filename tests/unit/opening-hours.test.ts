import { describe, expect, it } from 'vitest'
import { openingSpans, type WeeklyWindow } from '../../api/domain/opening-hours.ts'

const ms = (iso: string) => Date.parse(iso)
const range = (from: string, to: string) => ({ start: ms(from), end: ms(to) })
const iso = (spans: { start: number; end: number }[]) =>
  spans.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()])
const w = (weekday: number, from: string, to: string): WeeklyWindow => ({ weekday, from, to })

describe('openingSpans', () => {
  it.each<[string, string, WeeklyWindow[], [string, string], [string, string][]]>([
    [
      'St. Petersburg (no DST): weekday office hours',
      'Europe/Moscow',
      [1, 2, 3, 4, 5].map((d) => w(d, '09:00', '18:00')),
      ['2027-03-01T00:00:00+03:00', '2027-03-03T00:00:00+03:00'],
      [
        ['2027-03-01T06:00:00.000Z', '2027-03-01T15:00:00.000Z'],
        ['2027-03-02T06:00:00.000Z', '2027-03-02T15:00:00.000Z'],
      ],
    ],
    [
      'Madrid, the day clocks spring forward: 08:00–20:00 is 12 hours of CEST',
      'Europe/Madrid',
      [w(6, '08:00', '20:00'), w(7, '08:00', '20:00')],
      ['2027-03-27T00:00:00Z', '2027-03-29T00:00:00Z'],
      [
        ['2027-03-27T07:00:00.000Z', '2027-03-27T19:00:00.000Z'],
        ['2027-03-28T06:00:00.000Z', '2027-03-28T18:00:00.000Z'],
      ],
    ],
    [
      'Madrid, a night window across the spring change is 7 hours long',
      'Europe/Madrid',
      [w(6, '22:00', '06:00')],
      ['2027-03-27T00:00:00Z', '2027-03-29T00:00:00Z'],
      [['2027-03-27T21:00:00.000Z', '2027-03-28T04:00:00.000Z']],
    ],
    [
      'Madrid, a night window across the autumn change is 9 hours long',
      'Europe/Madrid',
      [w(6, '22:00', '06:00')],
      ['2027-10-30T00:00:00Z', '2027-11-01T00:00:00Z'],
      [['2027-10-30T20:00:00.000Z', '2027-10-31T05:00:00.000Z']],
    ],
    [
      'Madrid, a window opening in the skipped hour opens when the clocks resume',
      'Europe/Madrid',
      [w(7, '02:30', '05:00')],
      ['2027-03-28T00:00:00Z', '2027-03-29T00:00:00Z'],
      [['2027-03-28T01:30:00.000Z', '2027-03-28T03:00:00.000Z']],
    ],
    [
      'Adelaide, a half-hour zone in summer time',
      'Australia/Adelaide',
      [w(1, '09:00', '17:00')],
      ['2027-02-28T00:00:00Z', '2027-03-02T00:00:00Z'],
      [['2027-02-28T22:30:00.000Z', '2027-03-01T06:30:00.000Z']],
    ],
    [
      'a window ending at 00:00 runs to midnight',
      'Europe/Moscow',
      [w(5, '18:00', '00:00')],
      ['2027-03-05T00:00:00+03:00', '2027-03-07T00:00:00+03:00'],
      [['2027-03-05T15:00:00.000Z', '2027-03-05T21:00:00.000Z']],
    ],
    [
      'a Sunday-night window carries into Monday, and a window open at the start of the range counts',
      'Europe/Moscow',
      [w(7, '23:00', '06:00')],
      ['2027-03-08T00:00:00+03:00', '2027-03-08T12:00:00+03:00'],
      [['2027-03-07T21:00:00.000Z', '2027-03-08T03:00:00.000Z']],
    ],
    [
      'touching windows join into one span',
      'Europe/Moscow',
      [w(1, '08:00', '12:00'), w(1, '12:00', '16:00')],
      ['2027-03-01T00:00:00+03:00', '2027-03-02T00:00:00+03:00'],
      [['2027-03-01T05:00:00.000Z', '2027-03-01T13:00:00.000Z']],
    ],
    [
      'no windows means always open',
      'Europe/Moscow',
      [],
      ['2027-03-01T00:00:00Z', '2027-03-02T00:00:00Z'],
      [['2027-03-01T00:00:00.000Z', '2027-03-02T00:00:00.000Z']],
    ],
  ])('%s', (_name, timeZone, windows, [from, to], expected) => {
    expect(iso(openingSpans(windows, range(from, to), timeZone))).toEqual(expected)
  })

  it('clips spans to the range asked about', () => {
    const spans = openingSpans(
      [w(1, '09:00', '18:00')],
      range('2027-03-01T12:00:00+03:00', '2027-03-01T13:00:00+03:00'),
      'Europe/Moscow',
    )
    expect(iso(spans)).toEqual([['2027-03-01T09:00:00.000Z', '2027-03-01T10:00:00.000Z']])
  })
})
