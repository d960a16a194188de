import { describe, expect, it } from 'vitest'
import { affects, type ChangeScope } from '../../api/lib/public-cache.ts'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, nextCityTime, testClock, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const now = testNow
const monday = nextCityTime(1, '00:00').getTime()
const h = (n: number) => new Date(monday + n * hour)

/** Two sites, a pending request in each of two weeks on the first, and the reads visitors make. */
async function setting() {
  const clock = testClock(now)
  const t = await testApp({ clock: clock.now, publicCacheSeconds: 60 })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const site = await makeFacility(t.db, { areaId: area.id, capacity: 2 })
  const other = await makeFacility(t.db, { areaId: area.id, capacity: 2 })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const official = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  const booking = (facilityId: string, start: number, state: 'approved' | 'pending') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId,
      start: h(start),
      end: h(start + 2),
      state,
      departmentIds: [department.id],
    })
  const week = (n: number) =>
    `/api/calendar?start=${h(n * 168).toISOString()}&end=${h((n + 1) * 168).toISOString()}&facilityId=${site.id}`
  const availability = (id: string) =>
    `/api/facilities/${id}/availability?from=${h(0).toISOString()}&to=${h(48).toISOString()}`
  const hit = async (url: string) => (await t.app.request(url)).headers.get('x-cache') === 'hit'
  const approve = async (id: string) => {
    const res = await t.app.request(`/api/bookings/${id}/reviews`, {
      method: 'POST',
      headers: { ...official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    })
    expect(res.status).toBe(200)
  }
  return { ...t, clock, site, other, company, official, booking, week, availability, hit, approve }
}

describe('what empties the public cache', () => {
  it('keeps every stored answer when someone signs in, out, or changes their profile', async () => {
    const s = await setting()
    const reads = [s.week(0), s.availability(s.site.id), '/api/facilities']
    for (const url of reads) await s.app.request(url)
    const login = await s.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: s.company.email, password: testPassword }),
    })
    expect(login.status).toBe(200)
    const profile = await s.app.request('/api/me', {
      method: 'PATCH',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Someone else' }),
    })
    expect(profile.status).toBe(200)
    for (const url of reads) expect(await s.hit(url)).toBe(true)
  })

  it('drops the calendar of the week a decision falls in, and keeps the other weeks', async () => {
    const s = await setting()
    const first = await s.booking(s.site.id, 10, 'pending')
    const second = await s.booking(s.site.id, 168 + 72, 'pending')
    await s.app.request(s.week(0))
    await s.app.request(s.week(1))
    await s.approve(second)
    expect(await s.hit(s.week(0))).toBe(true)
    const fresh = await s.app.request(s.week(1))
    expect(fresh.headers.get('x-cache')).toBeNull()
    expect((await json(fresh)).map((e: { id: string }) => e.id)).toEqual([second])
    await s.approve(first)
    expect((await json(await s.app.request(s.week(0)))).map((e: { id: string }) => e.id)).toEqual([first])
  })

  it('keeps the visitors’ calendar while requests come and go, and drops it when one is approved', async () => {
    const s = await setting()
    const pilot = await makePilot(s.db, s.company.organisationId as string)
    await s.app.request(s.week(0))
    await s.app.request(s.availability(s.site.id))
    const requested = await s.app.request(`/api/pilots/${pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ facilityId: s.site.id, start: h(30).toISOString(), end: h(32).toISOString() }),
    })
    expect(requested.status).toBe(201)
    const { id } = await json(requested)
    // Visitors see approved bookings only: a request changes the site's free time, not the calendar.
    expect(await s.hit(s.week(0))).toBe(true)
    expect(await s.hit(s.availability(s.site.id))).toBe(false)
    await s.approve(id)
    const fresh = await s.app.request(s.week(0))
    expect(fresh.headers.get('x-cache')).toBeNull()
    expect((await json(fresh)).map((e: { id: string }) => e.id)).toEqual([id])
    const withdrawn = await s.app.request(`/api/bookings/${id}/cancel`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    })
    expect(withdrawn.status).toBe(200)
    expect(await json(await s.app.request(s.week(0)))).toEqual([])
  })

  it('drops the free and busy time of the site a request is made for, and keeps the other site’s', async () => {
    const s = await setting()
    const pilot = await makePilot(s.db, s.company.organisationId as string)
    await s.app.request(s.availability(s.site.id))
    await s.app.request(s.availability(s.other.id))
    const requested = await s.app.request(`/api/pilots/${pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ facilityId: s.site.id, start: h(30).toISOString(), end: h(32).toISOString() }),
    })
    expect(requested.status).toBe(201)
    expect(await s.hit(s.availability(s.other.id))).toBe(true)
    const fresh = await s.app.request(s.availability(s.site.id))
    expect(fresh.headers.get('x-cache')).toBeNull()
    expect(fresh.status).toBe(200)
  })

  it('drops everything on a change of the catalogue, the site list included', async () => {
    const s = await setting()
    const search = '/api/facilities?q=Renamed'
    const reads = [s.week(0), s.availability(s.other.id), '/api/facilities', search]
    for (const url of reads) await s.app.request(url)
    const admin = await makeUser(s.db, 'admin', { sessionAt: now })
    const renamed = await s.app.request(`/api/facilities/${s.site.id}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed site' }),
    })
    expect(renamed.status).toBe(200)
    for (const url of reads) expect(await s.hit(url)).toBe(false)
    // A search the visitor made before the rename: the shared test database has more sites than
    // one page of the plain list holds.
    const names = (await json(await s.app.request(search))).items.map((f: { name: string }) => f.name)
    expect(names).toContain('Renamed site')
  })

  it('answers the site list to visitors from the cache, gzipped, and never to staff', async () => {
    const s = await setting()
    await s.app.request('/api/facilities')
    const again = await s.app.request('/api/facilities', { headers: { 'accept-encoding': 'gzip' } })
    expect(again.headers.get('x-cache')).toBe('hit')
    expect(again.headers.get('content-encoding')).toBe('gzip')
    const staff = await s.app.request('/api/facilities', { headers: s.official.headers })
    expect(staff.headers.get('x-cache')).toBeNull()
  })
})

describe('whether a change may show in a read', () => {
  const change: ChangeScope = { kind: 'bookings', facilityId: 'a', start: 10 * day, end: 11 * day }
  it('is a matter of site and overlapping times', () => {
    expect(affects(change, { start: 0, end: 10 * day })).toBe(false)
    expect(affects(change, { start: 0, end: 10 * day + 1 })).toBe(true)
    expect(affects(change, { facilityId: 'b', start: -Infinity, end: Infinity })).toBe(false)
    expect(affects(change, { facilityId: 'a', start: -Infinity, end: Infinity })).toBe(true)
    expect(affects(change, { start: 0, end: 0 })).toBe(false)
    expect(affects({ kind: 'catalogue' }, { start: 0, end: 0 })).toBe(true)
  })
  it('leaves reads of approved bookings alone when no approved booking came or went', () => {
    const visitors = { start: 0, end: 20 * day, approvedOnly: true }
    expect(affects({ ...change, approved: false }, visitors)).toBe(false)
    expect(affects({ ...change, approved: true }, visitors)).toBe(true)
    expect(affects(change, visitors)).toBe(true)
    expect(affects({ ...change, approved: false }, { start: 0, end: 20 * day })).toBe(true)
  })
})
