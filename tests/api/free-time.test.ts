import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const hour = 3_600_000
const day = 24 * hour
// Monday 2031-06-02 00:00 in Moscow (no daylight saving); the clock stands a week before it.
const monday = Date.parse('2031-06-02T00:00:00+03:00')
const now = new Date(monday - 7 * day)
const h = (n: number) => new Date(monday + n * hour)
const iso = (n: number) => h(n).toISOString()

/**
 * An area of its own (so that other tests' sites never show up) with two sites: a lamp post open
 * 08:00–20:00 on Mondays with a booking 10:00–12:00, and a rooftop open all the time.
 */
async function city(options: { categories?: string[]; timeZone?: string; at?: Date } = {}) {
  const t = await testApp({
    now: options.at ?? now,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, {
    departmentId: department.id,
    categories: options.categories ?? ['lighting'],
  })
  const post = await makeFacility(t.db, {
    areaId: area.id,
    name: 'B lamp post',
    openingHours: [{ weekday: 1, opens: '08:00', closes: '20:00' }],
    powerKw: 2,
    connectivity: ['lorawan'],
  })
  const roof = await makeFacility(t.db, { areaId: area.id, name: 'A rooftop', kind: 'rooftop', powerKw: 10 })
  const company = await makeUser(t.db, 'company', { sessionAt: options.at ?? now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  const book = (facilityId: string, from: number, to: number, state: 'approved' | 'pending' = 'approved') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId,
      start: h(from),
      end: h(to),
      state,
      departmentIds: [department.id],
    })
  const search = async (query: Record<string, string | number>, who = company.headers) => {
    const params = new URLSearchParams({
      areaId: area.id,
      ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
    })
    return t.app.request(`/api/free-time?${params}`, { headers: who })
  }
  const spans = async (query: Record<string, string | number>) => {
    const res = await search(query)
    expect(res.status).toBe(200)
    const body = await json(res)
    return body.items.map((s: { facilityName: string; start: string; end: string }) => [
      s.facilityName,
      s.start,
      s.end,
    ])
  }
  return { ...t, department, area, post, roof, company, pilot, book, search, spans }
}

describe('GET /api/free-time', () => {
  it('lists every maximal free span across the sites, by start and then site name', async () => {
    const c = await city()
    await c.book(c.post.id, 10, 12)
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 120 })).toEqual([
      ['A rooftop', iso(0), iso(24)],
      ['B lamp post', iso(8), iso(10)],
      ['B lamp post', iso(12), iso(20)],
    ])
    // Three hours: the two hours before the booking are too short.
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 180 })).toEqual([
      ['A rooftop', iso(0), iso(24)],
      ['B lamp post', iso(12), iso(20)],
    ])
  })

  it('names the site and its area, and gives instants in UTC', async () => {
    const c = await city()
    const body = await json(await c.search({ from: iso(0), to: iso(24), minutes: 60, kind: 'rooftop' }))
    expect(body).toEqual({
      items: [
        {
          facilityId: c.roof.id,
          facilityName: 'A rooftop',
          areaId: c.area.id,
          areaName: expect.any(String),
          start: '2031-06-01T21:00:00.000Z',
          end: '2031-06-02T21:00:00.000Z',
        },
      ],
      nextCursor: null,
    })
  })

  it('counts capacity: a site with room for two stays free beside one booking', async () => {
    const c = await city()
    const shared = await makeFacility(c.db, { areaId: c.area.id, name: 'C shared pole', capacity: 2 })
    await c.book(shared.id, 10, 12)
    const query = { from: iso(0), to: iso(24), minutes: 60, kind: 'lighting_pole', powerKwMin: 0 }
    expect(
      (await c.spans({ ...query, powerKwMin: 0 })).filter((s: string[]) => s[0] === 'C shared pole'),
    ).toEqual([])
    expect(
      (await c.spans({ from: iso(0), to: iso(24), minutes: 60 })).filter(
        (s: string[]) => s[0] === 'C shared pole',
      ),
    ).toEqual([['C shared pole', iso(0), iso(24)]])
    await c.book(shared.id, 11, 13, 'pending')
    expect(
      (await c.spans({ from: iso(0), to: iso(24), minutes: 60 })).filter(
        (s: string[]) => s[0] === 'C shared pole',
      ),
    ).toEqual([
      ['C shared pole', iso(0), iso(11)],
      ['C shared pole', iso(12), iso(24)],
    ])
  })

  it('keeps setup and teardown clear of other bookings and inside the opening hours', async () => {
    const c = await city()
    await c.db
      .updateTable('facilities')
      .set({ setup_minutes: 60, teardown_minutes: 30 })
      .where('id', '=', c.post.id)
      .execute()
    // Occupied 09:00–12:30 with its own buffers.
    await c.db
      .updateTable('bookings')
      .set({ occupied_from: h(9), occupied_to: new Date(h(12).getTime() + hour / 2) })
      .where('id', '=', await c.book(c.post.id, 10, 12))
      .execute()
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 60, kind: 'lighting_pole' })).toEqual([
      // 12:30 + one hour of setup; 20:00 less half an hour of teardown.
      [
        'B lamp post',
        new Date(h(13).getTime() + hour / 2).toISOString(),
        new Date(h(19).getTime() + hour / 2).toISOString(),
      ],
    ])
  })

  it('leaves out closures of the site and of its whole area', async () => {
    const c = await city()
    await c.db
      .insertInto('closures')
      .values({ facility_id: c.post.id, starts_at: h(14), ends_at: h(16), reason: 'Repairs.' })
      .execute()
    await c.db
      .insertInto('closures')
      .values({ area_id: c.area.id, starts_at: h(2), ends_at: h(4), reason: 'Marathon.' })
      .execute()
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 60 })).toEqual([
      ['A rooftop', iso(0), iso(2)],
      ['A rooftop', iso(4), iso(24)],
      ['B lamp post', iso(8), iso(14)],
      ['B lamp post', iso(16), iso(20)],
    ])
  })

  it('starts no earlier than the lead time and no later than the horizon allow', async () => {
    const c = await city({ at: h(-2) })
    await c.db
      .updateTable('facilities')
      .set({ lead_time_minutes: 240, horizon_days: 1 })
      .where('id', '=', c.roof.id)
      .execute()
    // Now is Sunday 22:00: the earliest start is 02:00, the latest Monday 22:00.
    expect(await c.spans({ from: iso(0), to: iso(48), minutes: 60, kind: 'rooftop' })).toEqual([
      ['A rooftop', iso(2), iso(22)],
    ])
  })

  it('offers only sites whose area accepts the category, whose duration limits admit the length, and that are published', async () => {
    const c = await city({ categories: ['tourism'] })
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 60, category: 'lighting' })).toEqual([])
    expect((await c.spans({ from: iso(0), to: iso(24), minutes: 60, category: 'tourism' })).length).toBe(2)
    await c.db
      .updateTable('facilities')
      .set({ max_duration_minutes: 120 })
      .where('id', '=', c.roof.id)
      .execute()
    await c.db
      .updateTable('facilities')
      .set({ min_duration_minutes: 240 })
      .where('id', '=', c.post.id)
      .execute()
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 180 })).toEqual([])
    expect((await c.spans({ from: iso(0), to: iso(24), minutes: 120 })).map((s: string[]) => s[0])).toEqual([
      'A rooftop',
    ])
    await c.db.updateTable('facilities').set({ published: false }).where('id', '=', c.roof.id).execute()
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 120 })).toEqual([])
  })

  it('filters by kind, power and connectivity', async () => {
    const c = await city()
    const names = async (q: Record<string, string | number>) =>
      (await c.spans({ from: iso(0), to: iso(24), minutes: 60, ...q })).map((s: string[]) => s[0])
    expect(await names({ kind: 'lighting_pole' })).toEqual(['B lamp post'])
    expect(await names({ powerKwMin: 5 })).toEqual(['A rooftop'])
    expect(await names({ connectivity: 'lorawan' })).toEqual(['B lamp post'])
    expect(await names({ connectivity: 'lorawan,5g' })).toEqual([])
  })

  it('keeps only the night (22:00–06:00 city time) when asked for nights only', async () => {
    const c = await city()
    expect(
      await c.spans({ from: iso(0), to: iso(48), minutes: 480, nightsOnly: 'true', kind: 'rooftop' }),
    ).toEqual([['A rooftop', iso(22), iso(30)]])
    expect(
      await c.spans({ from: iso(0), to: iso(48), minutes: 360, nightsOnly: 'true', kind: 'rooftop' }),
    ).toEqual([
      ['A rooftop', iso(0), iso(6)],
      ['A rooftop', iso(22), iso(30)],
    ])
  })

  it('measures a night across the spring change by the city clock: 22:00–06:00 is seven hours', async () => {
    // Madrid moves from +01:00 to +02:00 at 02:00 on Sunday 30 March 2031.
    const saturdayNoon = Date.parse('2031-03-29T12:00:00+01:00')
    const c = await city({ timeZone: 'Europe/Madrid', at: new Date(saturdayNoon - 7 * day) })
    const query = {
      from: new Date(saturdayNoon).toISOString(),
      to: new Date(saturdayNoon + 2 * day - hour).toISOString(),
      nightsOnly: 'true',
      kind: 'rooftop',
    }
    expect(await c.spans({ ...query, minutes: 420 })).toEqual([
      ['A rooftop', '2031-03-29T21:00:00.000Z', '2031-03-30T04:00:00.000Z'],
      ['A rooftop', '2031-03-30T20:00:00.000Z', '2031-03-31T04:00:00.000Z'],
    ])
    expect(await c.spans({ ...query, minutes: 480 })).toEqual([
      ['A rooftop', '2031-03-30T20:00:00.000Z', '2031-03-31T04:00:00.000Z'],
    ])
  })

  it('pages through every span exactly once', async () => {
    const c = await city()
    await c.book(c.post.id, 10, 12)
    await c.book(c.roof.id, 24, 26)
    await c.book(c.roof.id, 48, 50)
    const all = await c.spans({ from: iso(0), to: iso(24 * 7), minutes: 60 })
    expect(all.length).toBe(5)
    const seen: string[][] = []
    let cursor: string | null = null
    do {
      const body = await json(
        await c.search({
          from: iso(0),
          to: iso(24 * 7),
          minutes: 60,
          limit: 2,
          ...(cursor ? { cursor } : {}),
        }),
      )
      expect(body.items.length).toBeLessThanOrEqual(2)
      seen.push(
        ...body.items.map((s: { facilityName: string; start: string; end: string }) => [
          s.facilityName,
          s.start,
          s.end,
        ]),
      )
      cursor = body.nextCursor
    } while (cursor)
    expect(seen).toEqual(all)
  })

  it('returns spans that can be booked: requesting the first one is accepted', async () => {
    const c = await city()
    await c.book(c.post.id, 8, 12)
    const [first] = (
      await json(await c.search({ from: iso(0), to: iso(24), minutes: 120, kind: 'lighting_pole' }))
    ).items
    expect(first).toMatchObject({ start: iso(12), end: iso(20) })
    const res = await c.app.request(`/api/pilots/${c.pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...c.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ facilityId: first.facilityId, start: first.start, end: iso(14) }),
    })
    expect(res.status).toBe(201)
    expect(await c.spans({ from: iso(0), to: iso(24), minutes: 120, kind: 'lighting_pole' })).toEqual([
      ['B lamp post', iso(14), iso(20)],
    ])
  })

  it('answers 400 with the field for bad input, and 401 without an account', async () => {
    const c = await city()
    const problem = async (query: Record<string, string | number>) => {
      const res = await c.search(query)
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      return (await json(res)).errors.map((e: { path: string }) => e.path)
    }
    expect(await problem({ from: iso(0), to: iso(24) })).toEqual(['minutes'])
    expect(await problem({ minutes: 10 })).toEqual(['minutes'])
    expect(await problem({ minutes: 525_601 })).toEqual(['minutes'])
    expect(await problem({ minutes: 'an hour' })).toEqual(['minutes'])
    expect(await problem({ minutes: 60, from: iso(24), to: iso(0) })).toEqual(['to'])
    expect(
      await problem({ minutes: 60, from: iso(0), to: new Date(h(0).getTime() + 367 * day).toISOString() }),
    ).toEqual(['to'])
    expect(await problem({ minutes: 60, nightsOnly: 'maybe' })).toEqual(['nightsOnly'])
    expect(await problem({ minutes: 60, category: 'juggling' })).toEqual(['category'])
    expect(await problem({ minutes: 60, cursor: 'nonsense' })).toEqual(['cursor'])
    expect((await c.search({ minutes: 60 }, {})).status).toBe(401)
  })
})
