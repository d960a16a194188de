import { describe, expect, it } from 'vitest'
import { type CityPlan, planCity } from '../../bench/seed-city.ts'
import { day, testNow } from '../helpers/clock.ts'

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}

/** The benchmark's city (bench/seed-city.ts) must be one the app could have made. */
describe('the benchmark city', () => {
  const plan = planCity({ bookings: 10_000, now: testNow })
  const facilityOf = new Map(plan.facilities.map((f) => [f.id, f]))
  const active = new Set(['pending', 'changes_requested', 'approved'])

  it('has the size asked for, over three years around now, in every state', () => {
    expect(plan.bookings).toHaveLength(10_000)
    expect(planCity({ bookings: 1000, now: testNow }).bookings).toHaveLength(1000)
    expect(plan.facilities).toHaveLength(60)
    expect(new Set(plan.facilities.map((f) => f.area_id)).size).toBeGreaterThanOrEqual(6)
    expect(plan.facilities.some((f) => (f.capacity ?? 1) > 1)).toBe(true)
    expect(plan.facilities.some((f) => (f.setup_minutes ?? 0) > 0)).toBe(true)
    const starts = plan.bookings.map((b) => new Date(b.starts_at).getTime())
    const now = testNow.getTime()
    expect(Math.min(...starts)).toBeLessThan(now - 700 * day)
    expect(Math.max(...starts)).toBeGreaterThan(now + 300 * day)
    expect(Math.max(...starts)).toBeLessThan(now + 400 * day)
    const states = new Set(plan.bookings.map((b) => b.state))
    expect([...states].sort()).toEqual(['approved', 'cancelled', 'changes_requested', 'pending', 'rejected'])
    const actions = new Set(plan.events.map((e) => e.action))
    for (const a of ['booking.requested', 'booking.withdrawn', 'booking.expired', 'booking.revoked'])
      expect(actions).toContain(a)
  })

  it('never holds more active bookings at once than a facility has room for', () => {
    const byFacility = groupBy(
      plan.bookings.filter((b) => active.has(b.state as string)),
      (b) => b.facility_id,
    )
    for (const [facilityId, bookings] of byFacility) {
      const edges = bookings.flatMap((b) => [
        [new Date(b.occupied_from).getTime(), 1],
        [new Date(b.occupied_to).getTime(), -1],
      ])
      // Ends before starts at the same instant: intervals are half-open.
      edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number))
      let open = 0
      let most = 0
      for (const [, step] of edges) {
        open += step as number
        most = Math.max(most, open)
      }
      expect(most, facilityId).toBeLessThanOrEqual(facilityOf.get(facilityId)?.capacity ?? 1)
    }
  })

  it('keeps each booking within the rules it was made under', () => {
    const accepts = new Set(plan.area_categories.map((c) => `${c.area_id} ${c.category_id}`))
    const pilots = new Map(plan.pilots.map((p) => [p.id, p]))
    for (const b of plan.bookings) {
      const f = facilityOf.get(b.facility_id) as CityPlan['facilities'][number]
      const start = new Date(b.starts_at).getTime()
      const end = new Date(b.ends_at).getTime()
      expect(end - start).toBeGreaterThanOrEqual(30 * 60_000)
      expect(start - new Date(b.occupied_from).getTime()).toBe((f.setup_minutes ?? 0) * 60_000)
      expect(new Date(b.occupied_to).getTime() - end).toBe((f.teardown_minutes ?? 0) * 60_000)
      expect(accepts.has(`${f.area_id} ${pilots.get(b.pilot_id)?.category_id}`)).toBe(true)
      expect(new Date(b.created_at as Date).getTime()).toBeLessThanOrEqual(testNow.getTime())
      // Waiting requests are younger than the expiry period, so no sweep cancels them mid-run.
      if (b.state === 'pending')
        expect(testNow.getTime() - new Date(b.created_at as Date).getTime()).toBeLessThan(30 * day)
    }
  })

  it('has a review per signing department, agreeing with the state', () => {
    const signoffs = groupBy(plan.facility_signoff_departments, (s) => s.facility_id)
    const reviews = groupBy(plan.reviews, (r) => r.booking_id)
    for (const b of plan.bookings) {
      const own = reviews.get(b.id) ?? []
      const f = facilityOf.get(b.facility_id) as CityPlan['facilities'][number]
      expect(own.map((r) => r.department_id).sort()).toEqual(
        [f.department_id, ...(signoffs.get(f.id) ?? []).map((s) => s.department_id)].sort(),
      )
      if (b.state === 'approved') expect(own.every((r) => r.decision === 'approved')).toBe(true)
      if (b.state === 'rejected') expect(own.some((r) => r.decision === 'rejected')).toBe(true)
      if (b.state === 'pending') expect(own.some((r) => r.decision === 'pending')).toBe(true)
    }
  })

  it('puts a fifth of the bookings in weekly series and a few companies far ahead', () => {
    const starts = new Map(plan.bookings.map((b) => [b.id, b]))
    const inSeries = plan.series.reduce((n, s) => n + s.bookingIds.length, 0)
    expect(inSeries).toBeGreaterThan(1500)
    for (const s of plan.series) {
      const occurrences = s.bookingIds.map((id) => starts.get(id) as CityPlan['bookings'][number])
      expect(new Set(occurrences.map((b) => `${b.pilot_id} ${b.facility_id} ${b.state}`)).size).toBe(1)
      for (let i = 1; i < occurrences.length; i++)
        expect(
          new Date(occurrences[i]?.starts_at as Date).getTime() -
            new Date(occurrences[i - 1]?.starts_at as Date).getTime(),
        ).toBe(7 * day)
    }
    const perPilot = groupBy(plan.bookings, (b) => b.pilot_id)
    expect(perPilot.get(plan.actors.pilotId)?.length).toBe(
      Math.max(...[...perPilot.values()].map((v) => v.length)),
    )
    expect(perPilot.get(plan.actors.pilotId)?.length).toBeGreaterThan(300)
    expect(plan.bookings.filter((b) => b.facility_id === plan.busyFacilityId)).toHaveLength(1000)
  })

  it('is the same city for the same size and seed', () => {
    const again = planCity({ bookings: 10_000, now: testNow })
    expect(again.bookings.slice(0, 50)).toEqual(plan.bookings.slice(0, 50))
    expect(again.events.length).toBe(plan.events.length)
  })
})
