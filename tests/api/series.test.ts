import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makeArea, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const hour = 3_600_000
const day = 24 * hour
// Monday 2 June 2031, 22:00 in Moscow; the clock stands a week before.
const firstNight = Date.parse('2031-06-02T22:00:00+03:00')
const now = new Date(firstNight - 7 * day)
const night = (n: number) => ({
  start: new Date(firstNight + n * day).toISOString(),
  end: new Date(firstNight + n * day + 8 * hour).toISOString(),
})

async function world() {
  const t = await testApp({ now })
  const lighting = await makeDepartment(t.db)
  const planning = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: lighting.id, categories: ['lighting'] })
  const site = await makeFacility(t.db, { areaId: area.id, signoffDepartmentIds: [planning.id] })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const official = await makeUser(t.db, 'official', { departmentId: lighting.id, sessionAt: now })
  const stranger = await makeUser(t.db, 'official', { sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.request(`/api/pilots/${pilot.id}/series`, {
      method: 'POST',
      headers: { ...company.headers, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const fortnight = {
    facilityId: site.id,
    ...night(0),
    recurrence: { frequency: 'daily', until: '2031-06-15' },
  }
  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('bookings')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('pilot_id', '=', pilot.id)
          .executeTakeFirstOrThrow()
      ).n,
    )
  /** Closes the site for "Cable works." on night `n`, from `fromHour` to `toHour` hours after 22:00. */
  const closeNight = (n: number, fromHour: number, toHour: number) =>
    t.db
      .insertInto('closures')
      .values({
        facility_id: site.id,
        starts_at: new Date(firstNight + n * day + fromHour * hour),
        ends_at: new Date(firstNight + n * day + toHour * hour),
        reason: 'Cable works.',
      })
      .execute()
  return {
    ...t,
    lighting,
    planning,
    area,
    site,
    company,
    official,
    stranger,
    pilot,
    post,
    fortnight,
    count,
    closeNight,
  }
}

describe('POST /api/pilots/:id/series', () => {
  it('requests fourteen nights as one series: fourteen pending bookings with its id', async () => {
    const w = await world()
    const res = await w.post({ ...w.fortnight, note: 'Two weeks of adaptive lighting' })
    expect(res.status).toBe(201)
    const series = await json(res)
    expect(series).toMatchObject({
      pilotId: w.pilot.id,
      facilityId: w.site.id,
      recurrence: { frequency: 'daily', interval: 1, weekdays: [], until: '2031-06-15' },
      note: 'Two weeks of adaptive lighting',
    })
    expect(series.bookings).toHaveLength(14)
    expect(series.bookings[13]).toMatchObject({ ...night(13), state: 'pending', seriesId: series.id })
    expect(series.bookings.every((b: { reviews: unknown[] }) => b.reviews.length === 2)).toBe(true)
    // Each occurrence is a booking of its own, with its own audit trail.
    const single = await json(
      await w.app.request(`/api/bookings/${series.bookings[3].id}`, { headers: w.company.headers }),
    )
    expect(single.seriesId).toBe(series.id)
    const events = await json(
      await w.app.request(`/api/bookings/${series.bookings[3].id}/events`, { headers: w.company.headers }),
    )
    expect(events.items.map((e: { action: string }) => e.action)).toEqual(['booking.requested'])
  })

  it('tells each official and the company once about the whole series, not once per night', async () => {
    const w = await world()
    const series = await json(await w.post(w.fortnight))
    const messages = await w.db
      .selectFrom('outbox')
      .select(['recipient_user_id', 'template', 'subject', 'body'])
      .where('payload', '@>', JSON.stringify({ seriesId: series.id }))
      .execute()
    const byTemplate: Record<string, typeof messages> = {}
    for (const m of messages) byTemplate[m.template] = [...(byTemplate[m.template] ?? []), m]
    expect(byTemplate['series.submitted']).toEqual([
      expect.objectContaining({ recipient_user_id: w.official.id }),
    ])
    expect(byTemplate['series.submitted']?.[0]?.body).toContain('on 14 occasions')
    // The company gets one receipt for the series, not fourteen.
    expect(byTemplate['series.received']).toEqual([
      expect.objectContaining({ recipient_user_id: w.company.id }),
    ])
    expect(byTemplate['series.received']?.[0]?.body).toContain('14 bookings')
    expect(Object.keys(byTemplate).sort()).toEqual(['series.received', 'series.submitted'])
  })

  it('creates nothing when the ninth night falls in a closure, and names that night', async () => {
    const w = await world()
    await w.closeNight(8, 2, 4)
    const res = await w.post(w.fortnight)
    expect(res.status).toBe(422)
    const problem = await json(res)
    expect(problem.code).toBe('in_closure')
    expect(problem.detail).toContain('1 of 14 occurrence cannot be booked')
    expect(problem.errors).toEqual([
      {
        path: 'occurrences/8',
        ...night(8),
        code: 'in_closure',
        message: expect.stringMatching(/^The site is closed 11 Jun 2031, 00:00\W+02:00: Cable works\.$/),
      },
    ])
    expect(await w.count()).toBe(0)
    expect(await w.db.selectFrom('series').select('id').where('pilot_id', '=', w.pilot.id).execute()).toEqual(
      [],
    )
  })

  it('answers 409 naming the nights the site is full, counting the series’ own nights', async () => {
    const w = await world()
    expect(
      (await w.post({ ...w.fortnight, recurrence: { frequency: 'daily', until: '2031-06-04' } })).status,
    ).toBe(201)
    const res = await w.post({ ...w.fortnight, recurrence: { frequency: 'daily', until: '2031-06-05' } })
    expect(res.status).toBe(409)
    const problem = await json(res)
    expect(problem.code).toBe('capacity_exceeded')
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      'occurrences/0',
      'occurrences/1',
      'occurrences/2',
    ])
    // Occurrences of one series meet each other too: two-day slots every day overlap.
    const overlapping = await w.post({
      facilityId: w.site.id,
      start: new Date(firstNight + 20 * day).toISOString(),
      end: new Date(firstNight + 22 * day).toISOString(),
      recurrence: { frequency: 'daily', until: '2031-06-24' },
    })
    expect(overlapping.status).toBe(409)
    expect((await json(overlapping)).errors.map((e: { path: string }) => e.path)).toEqual(['occurrences/1'])
  })

  it('refuses bad recurrences with 400 naming the field, and another organisation’s pilot with 404', async () => {
    const w = await world()
    const path = async (recurrence: unknown) => {
      const res = await w.post({ ...w.fortnight, recurrence })
      expect(res.status).toBe(400)
      return (await json(res)).errors.map((e: { path: string }) => e.path)
    }
    expect(await path({ frequency: 'hourly', until: '2031-06-15' })).toEqual(['recurrence.frequency'])
    expect(await path({ frequency: 'daily', until: '15.06.2031' })).toEqual(['recurrence.until'])
    expect(await path({ frequency: 'daily', until: '2031-02-30' })).toEqual(['recurrence.until'])
    expect(await path({ frequency: 'daily', until: '2031-06-01' })).toEqual(['recurrence.until'])
    expect(await path({ frequency: 'daily', until: '2033-01-01' })).toEqual(['recurrence.until'])
    expect(await path({ frequency: 'weekly', weekdays: [2, 3], until: '2031-06-15' })).toEqual([
      'recurrence.weekdays',
    ])
    expect(await path({ frequency: 'daily', weekdays: [1], until: '2031-06-15' })).toEqual([
      'recurrence.weekdays',
    ])
    expect(await path({ frequency: 'weekly', interval: 0, until: '2031-06-15' })).toEqual([
      'recurrence.interval',
    ])
    const rival = await makeUser(w.db, 'company', { sessionAt: now })
    const res = await w.app.request(`/api/pilots/${w.pilot.id}/series`, {
      method: 'POST',
      headers: { ...rival.headers, 'content-type': 'application/json' },
      body: JSON.stringify(w.fortnight),
    })
    expect(res.status).toBe(404)
    expect(await w.count()).toBe(0)
  })

  it('returns the first answer again for a retry with the same Idempotency-Key', async () => {
    const w = await world()
    const first = await json(await w.post(w.fortnight, { 'idempotency-key': 'series-1' }))
    const again = await w.post(w.fortnight, { 'idempotency-key': 'series-1' })
    expect(again.status).toBe(201)
    expect((await json(again)).id).toBe(first.id)
    expect(await w.count()).toBe(14)
  })
})

describe('GET /api/series/:id', () => {
  it('shows the series to its organisation and its officials, and is a 404 to others', async () => {
    const w = await world()
    const created = await json(await w.post(w.fortnight))
    for (const who of [w.company, w.official]) {
      const res = await w.app.request(`/api/series/${created.id}`, { headers: who.headers })
      expect(res.status).toBe(200)
      expect((await json(res)).bookings).toHaveLength(14)
    }
    expect((await w.app.request(`/api/series/${created.id}`, { headers: w.stranger.headers })).status).toBe(
      404,
    )
    expect((await w.app.request(`/api/series/${created.id}`)).status).toBe(401)
  })
})

describe('reviewing and cancelling a series', () => {
  async function requested() {
    const w = await world()
    const planner = await makeUser(w.db, 'official', { departmentId: w.planning.id, sessionAt: now })
    const series = await json(await w.post(w.fortnight))
    const send = (who: { headers: Record<string, string> }, path: string, body: unknown) =>
      w.app.request(`/api/series/${series.id}/${path}`, {
        method: 'POST',
        headers: { ...who.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const messages = async (template: string) =>
      w.db
        .selectFrom('outbox')
        .select(['recipient_user_id', 'body'])
        .where('template', '=', template)
        .where('payload', '@>', JSON.stringify({ seriesId: series.id }))
        .execute()
    return { ...w, planner, series, send, messages }
  }

  it('approves every night in one action per department, then tells the company once', async () => {
    const s = await requested()
    const first = await s.send(s.official, 'reviews', { decision: 'approve' })
    expect(first.status).toBe(200)
    const afterFirst = await json(first)
    expect(afterFirst.decided).toBe(14)
    // The other department still signs off: the nights stay pending, and the company hears nothing yet.
    expect(afterFirst.series.bookings.every((b: { state: string }) => b.state === 'pending')).toBe(true)
    expect(await s.messages('series.approved')).toEqual([])
    const second = await json(await s.send(s.planner, 'reviews', { decision: 'approve' }))
    expect(second.series.bookings.map((b: { state: string }) => b.state)).toEqual(Array(14).fill('approved'))
    const told = await s.messages('series.approved')
    expect(told).toEqual([expect.objectContaining({ recipient_user_id: s.company.id })])
    expect(told[0]?.body).toContain('14 bookings')
    // Each night keeps its own trail; nothing is left to decide.
    const events = await json(
      await s.app.request(`/api/bookings/${s.series.bookings[5].id}/events`, { headers: s.company.headers }),
    )
    expect(events.items.map((e: { action: string }) => e.action)).toEqual([
      'booking.requested',
      'review.approved',
      'review.approved',
    ])
    expect((await s.send(s.planner, 'reviews', { decision: 'approve' })).status).toBe(409)
  })

  it('approves none when a closure made since covers a night; that night is rejected alone, then the rest approved', async () => {
    const s = await requested()
    await s.closeNight(4, 1, 3)
    const refused = await s.send(s.official, 'reviews', { decision: 'approve' })
    expect(refused.status).toBe(422)
    expect(await json(refused)).toMatchObject({
      code: 'in_closure',
      detail: expect.stringContaining('Cable works.'),
    })
    const undecided = await s.db
      .selectFrom('reviews')
      .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
      .select('reviews.decision')
      .where('bookings.series_id', '=', s.series.id)
      .where('reviews.department_id', '=', s.lighting.id)
      .execute()
    expect(undecided.every((r) => r.decision === 'pending')).toBe(true)
    const fifth = await s.app.request(`/api/bookings/${s.series.bookings[4].id}/reviews`, {
      method: 'POST',
      headers: { ...s.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', note: 'The site is closed that night.' }),
    })
    expect(fifth.status).toBe(200)
    expect((await json(await s.send(s.official, 'reviews', { decision: 'approve' }))).decided).toBe(13)
  })

  it('decides only the nights still waiting for the department, and a stranger’s department gets 404', async () => {
    const s = await requested()
    // One night was decided on its own first.
    await s.app.request(`/api/bookings/${s.series.bookings[0].id}/reviews`, {
      method: 'POST',
      headers: { ...s.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'reject', note: 'Not that night.' }),
    })
    const res = await json(await s.send(s.official, 'reviews', { decision: 'approve' }))
    expect(res.decided).toBe(13)
    expect(res.series.bookings[0].state).toBe('rejected')
    expect((await s.send(s.stranger, 'reviews', { decision: 'approve' })).status).toBe(404)
    expect((await s.send(s.official, 'reviews', { decision: 'reject' })).status).toBe(400)
    expect((await s.send(s.official, 'reviews', { decision: 'reject', note: 'Too late.' })).status).toBe(409)
    expect((await s.send(s.official, 'reviews', { decision: 'maybe' })).status).toBe(400)
  })

  it('withdraws every night not yet over, tells the officials once, and keeps the past ones', async () => {
    const s = await requested()
    // Five days into the fortnight: the first nights are over.
    const later = await testApp({ now: new Date(firstNight + 5 * day) })
    const res = await later.app.request(`/api/series/${s.series.id}/cancel`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'The lamps arrive late.' }),
    })
    expect(res.status).toBe(200)
    const states = (await json(res)).bookings.map((b: { state: string }) => b.state)
    expect(states).toEqual([...Array(5).fill('pending'), ...Array(9).fill('cancelled')])
    const told = await s.messages('series.withdrawn')
    expect(told.map((m) => m.recipient_user_id).sort()).toEqual([s.official.id, s.planner.id].sort())
    expect(told[0]?.body).toContain('9 bookings')
    expect(await s.messages('booking.withdrawn')).toEqual([])
    const again = await later.app.request(`/api/series/${s.series.id}/cancel`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(again.status).toBe(409)
  })

  it('lets a signing department revoke a series only with a reason, and tells the company', async () => {
    const s = await requested()
    expect((await s.send(s.official, 'cancel', {})).status).toBe(400)
    expect((await s.send(s.stranger, 'cancel', { reason: 'No.' })).status).toBe(404)
    const res = await s.send(s.official, 'cancel', { reason: 'Road works on the embankment.' })
    expect(res.status).toBe(200)
    expect((await json(res)).bookings.every((b: { state: string }) => b.state === 'cancelled')).toBe(true)
    const told = await s.messages('series.revoked')
    expect(told).toEqual([expect.objectContaining({ recipient_user_id: s.company.id })])
    expect(told[0]?.body).toContain('Road works on the embankment.')
  })
})
