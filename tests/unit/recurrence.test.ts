import { describe, expect, it } from 'vitest'
import { maxOccurrences, occurrences, type Recurrence } from '../../api/domain/recurrence.ts'

const at = (iso: string) => Date.parse(iso)
const iso = (t: number) => new Date(t).toISOString()

function list(first: [string, string], recurrence: Recurrence, zone = 'Europe/Moscow') {
  const result = occurrences({ start: at(first[0]), end: at(first[1]) }, recurrence, zone)
  if ('problem' in result) throw new Error(`${result.problem.path} ${result.problem.message}`)
  return result.occurrences.map((o) => [iso(o.start), iso(o.end)])
}

describe('occurrences of a series', () => {
  it('repeats a night daily up to and including the until date', () => {
    const nights = list(['2031-06-02T22:00:00+03:00', '2031-06-03T06:00:00+03:00'], {
      frequency: 'daily',
      until: '2031-06-15',
    })
    expect(nights).toHaveLength(14)
    expect(nights[0]).toEqual(['2031-06-02T19:00:00.000Z', '2031-06-03T03:00:00.000Z'])
    expect(nights[13]).toEqual(['2031-06-15T19:00:00.000Z', '2031-06-16T03:00:00.000Z'])
  })

  it('keeps 22:00–06:00 by the city clock across the spring change (seven hours that night)', () => {
    // Madrid: 02:00 on Sunday 30 March 2031 becomes 03:00.
    const nights = list(
      ['2031-03-28T22:00:00+01:00', '2031-03-29T06:00:00+01:00'],
      { frequency: 'daily', until: '2031-03-30' },
      'Europe/Madrid',
    )
    expect(nights).toEqual([
      ['2031-03-28T21:00:00.000Z', '2031-03-29T05:00:00.000Z'],
      ['2031-03-29T21:00:00.000Z', '2031-03-30T04:00:00.000Z'],
      ['2031-03-30T20:00:00.000Z', '2031-03-31T04:00:00.000Z'],
    ])
  })

  it('repeats weekly on the chosen weekdays, every other week when asked', () => {
    // Monday 2 June 2031, 10:00–12:00; Mondays and Thursdays, every second week, for four weeks.
    const slots = list(['2031-06-02T10:00:00+03:00', '2031-06-02T12:00:00+03:00'], {
      frequency: 'weekly',
      interval: 2,
      weekdays: [1, 4],
      until: '2031-06-29',
    })
    expect(slots.map((s) => s[0])).toEqual([
      '2031-06-02T07:00:00.000Z',
      '2031-06-05T07:00:00.000Z',
      '2031-06-16T07:00:00.000Z',
      '2031-06-19T07:00:00.000Z',
    ])
  })

  it('repeats weekly on the first occurrence’s weekday when no weekdays are given', () => {
    const slots = list(['2031-06-04T10:00:00+03:00', '2031-06-04T11:00:00+03:00'], {
      frequency: 'weekly',
      until: '2031-06-25',
    })
    expect(slots.map((s) => s[0]?.slice(0, 10))).toEqual([
      '2031-06-04',
      '2031-06-11',
      '2031-06-18',
      '2031-06-25',
    ])
  })

  it('refuses an until before the first date, weekdays without the first one, and too many occurrences', () => {
    const first = { start: at('2031-06-02T10:00:00+03:00'), end: at('2031-06-02T11:00:00+03:00') }
    expect(occurrences(first, { frequency: 'daily', until: '2031-06-01' }, 'Europe/Moscow')).toMatchObject({
      problem: { path: 'recurrence.until', message: expect.stringContaining('before') },
    })
    expect(
      occurrences(first, { frequency: 'weekly', weekdays: [2], until: '2031-07-01' }, 'Europe/Moscow'),
    ).toMatchObject({
      problem: { path: 'recurrence.weekdays', message: expect.stringContaining('first occurrence') },
    })
    expect(occurrences(first, { frequency: 'daily', until: '2032-06-02' }, 'Europe/Moscow')).toMatchObject({
      problem: { path: 'recurrence.until', message: expect.stringContaining(`${maxOccurrences}`) },
    })
    const year = occurrences(first, { frequency: 'daily', until: '2032-06-01' }, 'Europe/Moscow')
    expect('occurrences' in year && year.occurrences.length).toBe(maxOccurrences)
  })
})
