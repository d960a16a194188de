import { describe, expect, it } from 'vitest'
import { addWorkingDays } from '../../api/domain/deadlines.ts'
import { cityHour, digestDay, effectiveReviewMail, overdueBefore } from '../../api/domain/digests.ts'
import { renderDigest } from '../../api/domain/notifications.ts'

describe('effectiveReviewMail', () => {
  it.each([
    ['each', 500, 'each'],
    ['digest', 0, 'digest'],
    ['auto', 0, 'each'],
    ['auto', 10, 'each'],
    ['auto', 11, 'digest'],
  ] as const)('%s with %i waiting → %s', (choice, pending, mode) => {
    expect(effectiveReviewMail(choice, pending)).toBe(mode)
  })
})

describe('digestDay: from the hour on the city’s clocks, daylight saving included', () => {
  it.each([
    // Moscow keeps UTC+3 all year.
    ['2031-03-12T04:59:00Z', 'Europe/Moscow', 8, undefined],
    ['2031-03-12T05:00:00Z', 'Europe/Moscow', 8, '2031-03-12'],
    ['2031-03-12T20:59:00Z', 'Europe/Moscow', 8, '2031-03-12'],
    ['2031-03-12T21:00:00Z', 'Europe/Moscow', 8, undefined], // 00:00 on the 13th
    // Berlin, 30 March 2031: clocks jump from 02:00 to 03:00; a 02:00 digest goes at 03:00.
    ['2031-03-30T00:59:00Z', 'Europe/Berlin', 2, undefined],
    ['2031-03-30T01:00:00Z', 'Europe/Berlin', 2, '2031-03-30'],
    // 8:00 is 07:00 UTC in winter, 06:00 UTC in summer.
    ['2031-03-29T06:30:00Z', 'Europe/Berlin', 8, undefined],
    ['2031-03-29T07:00:00Z', 'Europe/Berlin', 8, '2031-03-29'],
    ['2031-03-31T06:00:00Z', 'Europe/Berlin', 8, '2031-03-31'],
    // Berlin, 26 October 2031: 02:00–03:00 comes twice; both are the same day (claimed once).
    ['2031-10-26T00:30:00Z', 'Europe/Berlin', 2, '2031-10-26'],
    ['2031-10-26T01:30:00Z', 'Europe/Berlin', 2, '2031-10-26'],
    // A half-hour zone: 08:00 in Kolkata is 02:30 UTC.
    ['2031-03-12T02:29:00Z', 'Asia/Kolkata', 8, undefined],
    ['2031-03-12T02:30:00Z', 'Asia/Kolkata', 8, '2031-03-12'],
  ] as const)('%s in %s, hour %i → %s', (at, zone, hour, day) => {
    expect(digestDay(new Date(at), zone, hour)).toBe(day)
  })

  it('reads midnight as hour 0', () => {
    expect(cityHour(new Date('2031-03-12T21:00:00Z'), 'Europe/Moscow')).toBe(0)
  })
})

describe('overdueBefore: the first submission day not yet overdue', () => {
  const cases: [string, number, string[]][] = [
    ['2031-03-12', 10, []],
    ['2031-03-12', 1, []],
    ['2031-03-10', 3, []], // a Monday: Friday's requests are due today
    ['2031-03-12', 10, ['2031-03-03', '2031-03-04']],
  ]
  it.each(cases)('today %s, %i working days, holidays %j', (today, period, holidayList) => {
    const holidays = new Set(holidayList)
    const cutoff = overdueBefore(today, period, holidays)
    // Every submission day in the six weeks before today is overdue exactly when it comes before the cutoff.
    for (let back = 0; back < 42; back++) {
      const day = new Date(Date.parse(`${today}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10)
      expect(day < cutoff, day).toBe(addWorkingDays(day, period, holidays) < today)
    }
  })

  it('ten working days before Wednesday 12 March 2031: due today counts as not overdue', () => {
    expect(overdueBefore('2031-03-12', 10, new Set())).toBe('2031-02-26')
  })
})

describe('renderDigest', () => {
  const item = {
    pilotTitle: 'Smart bench',
    organisationName: 'Acme',
    facilityName: 'Pole 7',
    start: '2031-03-20T07:00:00.000Z',
    end: '2031-03-20T08:00:00.000Z',
    occurrences: 1,
    decideBy: '2031-03-10',
    overdue: true,
  }
  const facts = {
    waiting: 3,
    overdue: 1,
    items: [item, { ...item, occurrences: 4, decideBy: '2031-03-20', overdue: false }],
    timeZone: 'Europe/Moscow',
    link: 'https://city.example/review',
  }

  it('in English: counts, each item with its deadline, the overdue marked, the rest counted, the link', () => {
    const { subject, body } = renderDigest('en', facts)
    expect(subject).toBe('Requests to review today: 3 waiting, 1 overdue')
    expect(body.split('\n')).toEqual([
      "3 requests wait for your department's decision; 1 is past the date to decide by.",
      '',
      'The 2 nearest deadlines:',
      '- Smart bench (Acme), Pole 7: 20 Mar 2031, 10:00 – 20 Mar 2031, 11:00 (Europe/Moscow); decide by 10 Mar 2031 — OVERDUE',
      '- Smart bench (Acme), Pole 7 (series of 4): 20 Mar 2031, 10:00 – 20 Mar 2031, 11:00 (Europe/Moscow); decide by 20 Mar 2031',
      '… and 1 more in the queue.',
      '',
      'Open the review queue: https://city.example/review',
      '',
    ])
  })

  it('in Russian', () => {
    const { subject, body } = renderDigest('ru', { ...facts, overdue: 0 })
    expect(subject).toBe('Заявки на рассмотрение: ожидают 3')
    expect(body).toContain('ПРОСРОЧЕНО')
    expect(body).toContain('решить до')
    expect(body).toContain('серия, бронирований: 4')
    expect(body).toContain('Открыть очередь заявок: https://city.example/review')
    for (const english of ['decide by', 'OVERDUE', 'series of', 'more in the queue', 'Open the']) {
      expect(body).not.toContain(english)
    }
  })
})
