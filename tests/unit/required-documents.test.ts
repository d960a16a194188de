import { describe, expect, it } from 'vitest'
import {
  daysBetween,
  documentStandings,
  documentsRefusal,
  lastDayNeeded,
  reminderDue,
  renderExpiryReminder,
  standingProblem,
} from '../../api/domain/required-documents.ts'

const moscow = 'Europe/Moscow'

describe('the city day a booking needs its documents until', () => {
  it.each([
    ['ends mid-afternoon', '2031-06-10T15:00:00+03:00', moscow, '2031-06-10'],
    ['ends at midnight: the day before is its last', '2031-06-11T00:00:00+03:00', moscow, '2031-06-10'],
    ['ends a minute after midnight', '2031-06-11T00:01:00+03:00', moscow, '2031-06-11'],
    ['ends 22:30 UTC: already the next day in Moscow', '2031-06-10T22:30:00Z', moscow, '2031-06-11'],
    ['the same instant in UTC', '2031-06-10T22:30:00Z', 'UTC', '2031-06-10'],
    ['half-hour zone', '2031-06-10T19:00:00Z', 'Asia/Kolkata', '2031-06-11'],
  ])('%s', (_, end, zone, day) => {
    expect(lastDayNeeded(Date.parse(end), zone)).toBe(day)
  })
})

describe('how each required kind stands', () => {
  const need = '2031-06-10'
  it.each([
    ['valid until the last day counts whole', [{ kind: 'insurance', validUntil: '2031-06-10' }], 'valid'],
    ['valid well past it', [{ kind: 'insurance', validUntil: '2032-01-01' }], 'valid'],
    ['ends the day before', [{ kind: 'insurance', validUntil: '2031-06-09' }], 'expires'],
    ['none held', [], 'missing'],
    ['only another kind held', [{ kind: 'permit', validUntil: '2040-01-01' }], 'missing'],
    ['no date never expires', [{ kind: 'insurance', validUntil: null }], 'valid'],
    [
      'the longest-valid of several counts',
      [
        { kind: 'insurance', validUntil: '2031-01-01' },
        { kind: 'insurance', validUntil: '2031-12-31' },
        { kind: 'insurance', validUntil: '2031-03-01' },
      ],
      'valid',
    ],
  ])('%s', (_, held, status) => {
    const [standing] = documentStandings(['insurance'], held, need)
    expect(standing?.status).toBe(status)
  })

  it('names the best date and keeps the order required, each kind once', () => {
    const held = [
      { kind: 'insurance', validUntil: '2031-06-01' },
      { kind: 'permit', validUntil: '2031-07-01' },
    ]
    expect(documentStandings(['permit', 'insurance', 'safety_plan', 'permit'], held, '2031-06-10')).toEqual([
      { kind: 'permit', validUntil: '2031-07-01', status: 'valid' },
      { kind: 'insurance', validUntil: '2031-06-01', status: 'expires' },
      { kind: 'safety_plan', validUntil: null, status: 'missing' },
    ])
  })

  it('requires nothing when the site requires nothing', () => {
    expect(documentStandings([], [{ kind: 'insurance', validUntil: '2000-01-01' }], '2031-06-10')).toEqual([])
  })

  it('does not change what it is given', () => {
    const required = Object.freeze(['insurance'])
    const held = Object.freeze([Object.freeze({ kind: 'insurance', validUntil: '2031-06-01' })])
    expect(() => documentStandings(required, held, '2031-06-10')).not.toThrow()
  })
})

describe('what a refusal says', () => {
  it('names each kind in both languages', () => {
    const failing = documentStandings(
      ['insurance', 'permit'],
      [{ kind: 'permit', validUntil: '2031-01-01' }],
      '2031-06-10',
    )
    const detail = documentsRefusal(failing)
    expect(detail.en).toContain('insurance, permit')
    expect(detail.ru).toContain('страховой полис, разрешение')
    expect(standingProblem(failing[0] as never, '2031-06-10')?.en).toBe(
      "The site requires the pilot's insurance; none is uploaded.",
    )
    expect(standingProblem(failing[1] as never, '2031-06-10')?.en).toContain('valid until 2031-01-01')
    expect(
      standingProblem({ kind: 'permit', validUntil: null, status: 'valid' }, '2031-06-10'),
    ).toBeUndefined()
  })
})

describe('expiry reminders', () => {
  const none = { reminded30: false, reminded7: false }
  it.each([
    ['31 days ahead: none yet', '2031-07-12', none, undefined],
    ['30 days ahead: the 30-day one', '2031-07-11', none, 30],
    ['8 days ahead: still the 30-day one', '2031-06-19', none, 30],
    ['8 days ahead, 30-day one sent: none', '2031-06-19', { reminded30: true, reminded7: false }, undefined],
    ['7 days ahead: the 7-day one', '2031-06-18', { reminded30: true, reminded7: false }, 7],
    ['5 days ahead, nothing sent: only the 7-day one', '2031-06-16', none, 7],
    ['today is the last day', '2031-06-11', none, 7],
    ['7-day one sent: none', '2031-06-14', { reminded30: true, reminded7: true }, undefined],
    ['expired yesterday: none', '2031-06-10', none, undefined],
  ])('%s', (_, validUntil, sent, due) => {
    expect(reminderDue(validUntil, '2031-06-11', sent)).toBe(due)
  })

  it('counts days across a month and a leap day', () => {
    expect(daysBetween('2032-02-28', '2032-03-01')).toBe(2)
    expect(daysBetween('2031-12-31', '2032-01-01')).toBe(1)
    expect(daysBetween('2031-06-11', '2031-06-10')).toBe(-1)
  })

  it('renders the message in the recipient’s language with the bookings that run past', () => {
    const facts = {
      pilotTitle: 'Smart poles',
      kind: 'insurance',
      title: 'Liability policy 2031',
      validUntil: '2031-06-20',
      daysLeft: 7,
      bookings: [{ facilityName: 'Pole P-07', end: '2031-07-01T15:00:00Z' }],
      timeZone: moscow,
      link: 'https://testbed.example/my/pilots/1',
    }
    const en = renderExpiryReminder('en', facts)
    expect(en.subject).toBe('Smart poles: the insurance expires in 7 days')
    expect(en.body).toContain('20 Jun 2031')
    expect(en.body).toContain('Pole P-07: 1 Jul 2031, 18:00')
    expect(en.body).toContain('Open: https://testbed.example/my/pilots/1')
    const ru = renderExpiryReminder('ru', facts)
    expect(ru.subject).toContain('страховой полис')
    expect(ru.body).toContain('20 июн')
    expect(ru.body).toContain('Открыть: https://testbed.example/my/pilots/1')
  })
})
