import { describe, expect, it } from 'vitest'
import {
  isCancellable,
  isEditable,
  isReviewable,
  phaseOf,
  pilotPhase,
  stateFromDecisions,
} from '../../api/domain/lifecycle.ts'
import { renderNotification } from '../../api/domain/notifications.ts'

describe('booking lifecycle', () => {
  it.each([
    [['pending', 'pending'], 'pending'],
    [['approved', 'pending'], 'pending'],
    [['approved', 'approved'], 'approved'],
    [['approved', 'changes_requested'], 'changes_requested'],
    [['changes_requested', 'rejected'], 'rejected'],
    [['rejected', 'approved'], 'rejected'],
    [[], 'pending'],
  ] as const)('sign-offs %o make the booking %s', (decisions, state) => {
    expect(stateFromDecisions(decisions)).toBe(state)
  })

  it.each([
    ['pending', true, true, true],
    ['changes_requested', true, false, true],
    ['approved', false, false, true],
    ['rejected', false, false, false],
    ['cancelled', false, false, false],
  ] as const)(
    '%s: editable %s, reviewable %s, cancellable %s',
    (state, editable, reviewable, cancellable) => {
      expect(isEditable(state)).toBe(editable)
      expect(isReviewable(state)).toBe(reviewable)
      expect(isCancellable(state)).toBe(cancellable)
    },
  )

  it('follows the clock for approved bookings only, and a pilot is active while any booking is', () => {
    const span = { start: 100, end: 200 }
    expect(phaseOf('approved', span, 99)).toBe('upcoming')
    expect(phaseOf('approved', span, 100)).toBe('active')
    expect(phaseOf('approved', span, 200)).toBe('completed')
    expect(phaseOf('pending', span, 150)).toBeNull()
    expect(pilotPhase(['completed', 'active', 'upcoming'])).toBe('active')
    expect(pilotPhase(['completed', 'upcoming'])).toBe('upcoming')
    expect(pilotPhase(['completed', null])).toBe('completed')
    expect(pilotPhase([null])).toBeNull()
  })
})

describe('notification texts', () => {
  const facts = {
    pilotTitle: 'Adaptive lighting',
    facilityName: 'Pole P-01',
    start: '2027-03-01T07:00:00Z',
    end: '2027-03-01T09:00:00Z',
    timeZone: 'Europe/Moscow',
    departmentName: 'Urban Planning',
    note: 'Not during the festival.',
    link: 'https://testbed.city.example/bookings/1',
  }

  it('speak English with the city’s local times', () => {
    const { subject, body } = renderNotification('booking.rejected', 'en', facts)
    expect(subject).toBe('Rejected: Adaptive lighting at Pole P-01')
    expect(body).toContain('rejected by Urban Planning')
    expect(body).toContain('10:00') // 07:00 UTC is 10:00 in St. Petersburg
    expect(body).toContain('(Europe/Moscow)')
    expect(body).toContain('Reason: Not during the festival.')
    expect(body).toContain('Open: https://testbed.city.example/bookings/1')
  })

  it('speak Russian to Russian-speaking recipients', () => {
    const { subject, body } = renderNotification('booking.approved', 'ru', facts)
    expect(subject).toBe('Одобрено: Adaptive lighting, Pole P-01')
    expect(body).toContain('одобрена всеми службами')
    expect(body).toContain('Когда:')
    expect(body).toContain('10:00')
  })

  it('name the city when no department acts', () => {
    const { departmentName: _, ...withoutDepartment } = facts
    expect(renderNotification('booking.revoked', 'ru', withoutDepartment).body).toContain(
      'Администрация города',
    )
  })
})
