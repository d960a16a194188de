import { describe, expect, it } from 'vitest'
import { addWorkingDays, cityDate, decideBy } from '../../api/domain/deadlines.ts'

// 2027-03-05 is a Friday, 2027-03-08 a Monday.
describe('review deadlines in working days', () => {
  it('skips the weekend: Friday + 1 working day is Monday', () => {
    expect(addWorkingDays('2027-03-05', 1)).toBe('2027-03-08')
  })

  it('counts ten working days as two calendar weeks', () => {
    expect(addWorkingDays('2027-03-01', 10)).toBe('2027-03-15')
  })

  it('skips public holidays', () => {
    expect(addWorkingDays('2027-03-05', 1, new Set(['2027-03-08']))).toBe('2027-03-09')
  })

  it('counts a weekend submission from the next working day', () => {
    expect(addWorkingDays('2027-03-06', 1)).toBe('2027-03-08')
    expect(addWorkingDays('2027-03-07', 2)).toBe('2027-03-09')
  })

  it('takes the submission date in the city zone, not in UTC', () => {
    // 22:30 UTC on Thursday is already Friday in Moscow (UTC+3).
    const submitted = new Date('2027-03-04T22:30:00Z')
    expect(cityDate(submitted, 'Europe/Moscow')).toBe('2027-03-05')
    expect(decideBy(submitted, 1, 'Europe/Moscow')).toBe('2027-03-08')
    expect(decideBy(submitted, 1, 'UTC')).toBe('2027-03-05')
  })
})
