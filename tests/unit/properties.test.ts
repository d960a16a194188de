import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { availability } from '../../api/domain/availability.ts'
import {
  type BookingRules,
  checkBookingRules,
  exceedsCapacity,
  occupiedSpan,
} from '../../api/domain/booking-rules.ts'
import { admitsDuration, freeSpans } from '../../api/domain/free-time.ts'
import type { WeeklyWindow } from '../../api/domain/opening-hours.ts'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
/** Runs per property: more in `npm run drill` (FC_RUNS), enough to find most bugs in `npm test`. */
const numRuns = Number(process.env.FC_RUNS ?? 150)
// Around the spring change in Madrid, so that days of 23 hours come up.
const base = Date.parse('2031-03-24T00:00:00+01:00')

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`)
const window = fc
  .record({ weekday: fc.integer({ min: 1, max: 7 }), from: hhmm, to: hhmm })
  .filter((w) => w.from !== w.to) as fc.Arbitrary<WeeklyWindow>
const rules: fc.Arbitrary<BookingRules> = fc
  .record({
    minDurationMinutes: fc.constantFrom(30, 60, 120),
    extra: fc.constantFrom(0, 60, 600, 3000),
    leadTimeMinutes: fc.constantFrom(0, 60, 1440),
    horizonDays: fc.integer({ min: 1, max: 20 }),
    setupMinutes: fc.constantFrom(0, 15, 60),
    teardownMinutes: fc.constantFrom(0, 30, 90),
    openingHours: fc.oneof(fc.constant([]), fc.array(window, { minLength: 1, maxLength: 8 })),
  })
  .map(({ extra, ...r }) => ({ ...r, maxDurationMinutes: r.minDurationMinutes + extra }))
const span = (from: number, to: number) =>
  fc
    .tuple(fc.integer({ min: from, max: to }), fc.integer({ min: 1, max: 48 * 4 }))
    .map(([start, quarters]) => ({
      start: base + start * 15 * minute,
      end: base + start * 15 * minute + quarters * 15 * minute,
    }))
const interval = span(0, 14 * 96)

describe('properties of the booking rules', () => {
  it('availability never offers a span that a request would then be refused for', () => {
    let checked = 0
    fc.assert(
      fc.property(
        rules,
        fc.array(interval, { maxLength: 12 }),
        fc.array(
          interval.map((i) => ({ ...i, reason: 'closed' })),
          { maxLength: 3 },
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: -2 * 96, max: 2 * 96 }),
        fc.integer({ min: 0, max: 7 * 96 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (r, holding, closures, capacity, nowQuarters, rangeStart, where, length) => {
          const now = base + nowQuarters * 15 * minute
          const range = {
            start: base + rangeStart * 15 * minute,
            end: base + rangeStart * 15 * minute + 7 * day,
          }
          const { free } = availability({
            range,
            rules: r,
            capacity,
            holding,
            closures,
            now,
            timeZone: 'Europe/Madrid',
          })
          for (const f of free) {
            // Any booking inside a free span, of an allowed length, on a whole minute.
            const longest = Math.min(f.end - f.start, r.maxDurationMinutes * minute)
            const duration = Math.max(
              r.minDurationMinutes * minute,
              Math.floor((longest * length) / minute) * minute,
            )
            if (duration > f.end - f.start) continue
            const start = f.start + Math.floor(((f.end - f.start - duration) * where) / minute) * minute
            const request = { start, end: start + duration }
            const refusal = checkBookingRules(request, r, {
              now,
              timeZone: 'Europe/Madrid',
              closures,
              categoryAccepted: true,
              published: true,
            })
            checked++
            expect(refusal).toBeUndefined()
            expect(exceedsCapacity(holding, occupiedSpan(request, r), capacity)).toBe(false)
          }
        },
      ),
      { numRuns },
    )
    // The property must have met free spans to say anything.
    expect(checked).toBeGreaterThan(numRuns)
  })

  it('free-time search offers only spans where a booking of the asked length passes anywhere', () => {
    const site = fc.record({
      rules,
      capacity: fc.integer({ min: 1, max: 3 }),
      holding: fc.array(interval, { maxLength: 10 }),
      closures: fc.array(
        interval.map((i) => ({ ...i, reason: 'closed' })),
        { maxLength: 3 },
      ),
    })
    let checked = 0
    fc.assert(
      fc.property(
        fc.array(site, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(15, 60, 120, 480, 1440),
        fc.boolean(),
        fc.integer({ min: -2 * 96, max: 2 * 96 }),
        fc.integer({ min: 0, max: 7 * 96 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (city, minutes, nightsOnly, nowQuarters, rangeStart, rangeDays, where) => {
          const now = base + nowQuarters * 15 * minute
          const start = base + rangeStart * 15 * minute
          const range = { start, end: start + rangeDays * day }
          for (const s of city.filter((s) => admitsDuration(s.rules, minutes))) {
            const spans = freeSpans({ ...s, range, minutes, nightsOnly, now, timeZone: 'Europe/Madrid' })
            for (const f of spans) {
              expect(f.start).toBeGreaterThanOrEqual(range.start)
              expect(f.end).toBeLessThanOrEqual(range.end)
              expect(f.end - f.start).toBeGreaterThanOrEqual(minutes * minute)
              const at =
                f.start + Math.floor(((f.end - f.start - minutes * minute) * where) / minute) * minute
              const request = { start: at, end: at + minutes * minute }
              const refusal = checkBookingRules(request, s.rules, {
                now,
                timeZone: 'Europe/Madrid',
                closures: s.closures,
                categoryAccepted: true,
                published: true,
              })
              checked++
              expect(refusal).toBeUndefined()
              expect(exceedsCapacity(s.holding, occupiedSpan(request, s.rules), s.capacity)).toBe(false)
            }
          }
        },
      ),
      { numRuns },
    )
    expect(checked).toBeGreaterThan(numRuns / 2)
  })
})
