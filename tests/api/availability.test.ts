import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const hour = 3_600_000
// Monday 2031-06-02 00:00 in St. Petersburg; the clock stands a week before it.
const monday = Date.parse('2031-06-02T00:00:00+03:00')
const now = new Date(monday - 7 * 24 * hour)
const h = (n: number) => new Date(monday + n * hour)
const iso = (n: number) => h(n).toISOString()

async function setting() {
  const t = await testApp({ now })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, {
    areaId: area.id,
    capacity: 1,
    setupMinutes: 60,
    openingHours: [{ weekday: 1, opens: '08:00', closes: '20:00' }],
  })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const rival = await makeUser(t.db, 'company', { sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  // Approved 10:00–12:00 (occupied from 09:00 with setup) and pending 14:00–15:00.
  const approved = await makeBooking(t.db, {
    pilotId: pilot.id,
    facilityId: facility.id,
    start: h(9),
    end: h(12),
    state: 'approved',
    departmentIds: [department.id],
  })
  await t.db
    .updateTable('bookings')
    .set({ starts_at: h(10) })
    .where('id', '=', approved)
    .execute()
  const pending = await makeBooking(t.db, {
    pilotId: pilot.id,
    facilityId: facility.id,
    start: h(13),
    end: h(15),
    state: 'pending',
    departmentIds: [department.id],
  })
  await t.db
    .updateTable('bookings')
    .set({ starts_at: h(14) })
    .where('id', '=', pending)
    .execute()
  return { ...t, department, area, facility, company, rival, pilot, approved, pending }
}

describe('free/busy of a facility', () => {
  it('answers where a booking fits, and why the rest does not, without pilot details', async () => {
    const s = await setting()
    const res = await s.app.request(
      `/api/facilities/${s.facility.id}/availability?from=${iso(0)}&to=${iso(24)}`,
    )
    expect(res.status).toBe(200)
    const body = await json(res)
    // Room is left 08–09, 12–13 and 15–20; a booking needs its hour of setup inside that room,
    // so it may only run 16–20 (the one-hour gaps leave no time for the booking itself).
    expect(body.free).toEqual([{ start: iso(16), end: iso(20) }])
    expect(body.busy).toEqual([
      { start: iso(0), end: iso(8), kind: 'closed' },
      { start: iso(9), end: iso(12), kind: 'booking' },
      { start: iso(13), end: iso(15), kind: 'booking' },
      { start: iso(20), end: iso(24), kind: 'closed' },
    ])
    expect(JSON.stringify(body)).not.toContain(s.pilot.id)
  })

  it('shows the site’s closures and its whole area’s as busy, with their reasons', async () => {
    const s = await setting()
    await s.db
      .insertInto('closures')
      .values([
        { facility_id: s.facility.id, starts_at: h(16), ends_at: h(17), reason: 'Pole repainted.' },
        { area_id: s.area.id, starts_at: h(18), ends_at: h(19), reason: 'City marathon.' },
      ])
      .execute()
    const res = await s.app.request(
      `/api/facilities/${s.facility.id}/availability?from=${iso(0)}&to=${iso(24)}`,
    )
    const body = await json(res)
    expect(body.busy).toContainEqual({
      start: iso(16),
      end: iso(17),
      kind: 'closure',
      reason: 'Pole repainted.',
    })
    expect(body.busy).toContainEqual({
      start: iso(18),
      end: iso(19),
      kind: 'closure',
      reason: 'City marathon.',
    })
    // Room is left 15–16, 17–18 and 19–20 only: each hour would go to setup alone.
    expect(body.free).toEqual([])
  })

  it('shows a draft site’s time to its own department only', async () => {
    const s = await setting()
    const draft = await makeFacility(s.db, { areaId: s.area.id, published: false })
    const official = await makeUser(s.db, 'official', { departmentId: s.department.id, sessionAt: now })
    const stranger = await makeUser(s.db, 'official', { sessionAt: now })
    const path = `/api/facilities/${draft.id}/availability?from=${iso(0)}&to=${iso(24)}`
    expect((await s.app.request(path)).status).toBe(404)
    expect((await s.app.request(path, { headers: s.company.headers })).status).toBe(404)
    expect((await s.app.request(path, { headers: stranger.headers })).status).toBe(404)
    expect((await s.app.request(path, { headers: official.headers })).status).toBe(200)
  })

  it('refuses a range that is backwards or longer than a year', async () => {
    const s = await setting()
    for (const query of [
      `from=${iso(5)}&to=${iso(1)}`,
      `from=${iso(0)}&to=${iso(24 * 400)}`,
      'from=yesterday',
    ]) {
      const res = await s.app.request(`/api/facilities/${s.facility.id}/availability?${query}`)
      expect(res.status, query).toBe(400)
    }
  })
})

describe('searching facilities by availability', () => {
  it('keeps only facilities with room for the whole interval', async () => {
    const s = await setting()
    const other = await makeFacility(s.db, { areaId: s.area.id })
    const search = async (from: number, to: number) =>
      (
        await json(
          await s.app.request(
            `/api/facilities?areaId=${s.area.id}&availableFrom=${iso(from)}&availableTo=${iso(to)}`,
          ),
        )
      ).items
        .map((f: { id: string }) => f.id)
        .sort()
    expect(await search(16, 18)).toEqual([s.facility.id, other.id].sort())
    expect(await search(11, 12)).toEqual([other.id]) // booked
    expect(await search(19, 21)).toEqual([other.id]) // closes at 20:00
    expect(await search(12, 13)).toEqual([other.id]) // its setup hour 11–12 is taken
  })

  it('wants both ends of the interval', async () => {
    const s = await setting()
    const res = await s.app.request(`/api/facilities?availableFrom=${iso(1)}`)
    expect(res.status).toBe(400)
    expect((await json(res)).errors[0].path).toBe('availableTo')
  })
})

describe('the calendar feed', () => {
  it('shows visitors approved bookings only, in FullCalendar’s event format', async () => {
    const s = await setting()
    const events = await json(
      await s.app.request(`/api/calendar?start=${iso(0)}&end=${iso(24)}&facilityId=${s.facility.id}`),
    )
    expect(events).toEqual([
      {
        id: s.approved,
        title: expect.stringContaining(s.pilot.title),
        start: iso(10),
        end: iso(12),
        extendedProps: expect.objectContaining({
          state: 'approved',
          phase: 'upcoming',
          facilityId: s.facility.id,
          pilotId: s.pilot.id,
        }),
      },
    ])
  })

  it('adds the caller’s own pending bookings, marked with their state, and not others’', async () => {
    const s = await setting()
    const url = `/api/calendar?start=${iso(0)}&end=${iso(24)}&facilityId=${s.facility.id}`
    const own = await json(await s.app.request(url, { headers: s.company.headers }))
    expect(own.map((e: { extendedProps: { state: string } }) => e.extendedProps.state)).toEqual([
      'approved',
      'pending',
    ])
    const rival = await json(await s.app.request(url, { headers: s.rival.headers }))
    expect(rival).toHaveLength(1)
  })

  it('reads dates without an offset in the requested or the city’s time zone', async () => {
    const s = await setting()
    const local = await json(
      await s.app.request(`/api/calendar?start=2031-06-02&end=2031-06-03&facilityId=${s.facility.id}`),
    )
    expect(local).toHaveLength(1)
    // In Vladivostok (UTC+10) 2 June 00:00 is 1 June 17:00 Moscow, and 10:00–12:00 Moscow is 17:00–19:00 there.
    const east = await json(
      await s.app.request(
        `/api/calendar?start=2031-06-02T18:00:00&end=2031-06-03&timeZone=Asia/Vladivostok&facilityId=${s.facility.id}`,
      ),
    )
    expect(east).toEqual([expect.objectContaining({ start: iso(10) })])
    const later = await json(
      await s.app.request(
        `/api/calendar?start=2031-06-02T19:00:00&end=2031-06-03&timeZone=Asia/Vladivostok&facilityId=${s.facility.id}`,
      ),
    )
    expect(later).toEqual([])
  })

  it.each([
    'start=2031-06-02',
    'start=tomorrow&end=2031-06-03',
    'start=2031-02-30&end=2031-03-03',
    'start=2031-06-03&end=2031-06-02',
    'start=2031-01-01&end=2032-06-01',
    'start=2031-06-02&end=2031-06-03&timeZone=Mars/Base',
  ])('refuses %s with 400', async (query) => {
    const s = await setting()
    const res = await s.app.request(`/api/calendar?${query}`)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/problem\+json/)
  })
})
