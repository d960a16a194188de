import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { type ChangeChannel, openChangeChannel } from '../../db/notify.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { hour, nextCityTime, testClock, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const monday = nextCityTime(1, '00:00').getTime()
const now = testNow
const h = (n: number) => new Date(monday + n * hour)

async function setting(publicCacheSeconds?: number) {
  // The cache's age is read from the app's clock: a test moves it instead of waiting.
  const clock = testClock(now)
  const t = await testApp({
    clock: clock.now,
    ...(publicCacheSeconds === undefined ? {} : { publicCacheSeconds }),
  })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, { areaId: area.id, capacity: 2 })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const official = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  const booking = (start: number, state: 'approved' | 'pending') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId: facility.id,
      start: h(start),
      end: h(start + 2),
      state,
      departmentIds: [department.id],
    })
  const approved = await booking(10, 'approved')
  const pending = await booking(14, 'pending')
  const calendar = `/api/calendar?start=${h(0).toISOString()}&end=${h(24).toISOString()}&facilityId=${facility.id}`
  const ids = async (res: Response) => (await json(res)).map((e: { id: string }) => e.id).sort()
  return { ...t, clock, facility, company, official, pilot, booking, approved, pending, calendar, ids }
}

describe('the cache of public reads', () => {
  it('serves a visitor the same answer again without building it anew', async () => {
    const s = await setting()
    for (const start of [0, 2, 4, 6]) await s.booking(start, 'approved') // over a kilobyte of events
    const first = await s.app.request(s.calendar)
    const second = await s.app.request(s.calendar)
    expect(first.headers.get('x-cache')).toBeNull()
    expect(second.headers.get('x-cache')).toBe('hit')
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'))
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'))
    const text = await first.text()
    expect(await second.text()).toBe(text)
    // Browsers accept gzip: they get the stored answer compressed, the same once unpacked.
    const zipped = await s.app.request(s.calendar, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toContain('accept-encoding')
    const unpacked = zipped.body?.pipeThrough(new DecompressionStream('gzip'))
    expect(await new Response(unpacked).text()).toBe(text)
  })

  it('shows a decision to visitors as soon as it is answered', async () => {
    const s = await setting()
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved])
    const decided = await s.app.request(`/api/bookings/${s.pending}/reviews`, {
      method: 'POST',
      headers: { ...s.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    })
    expect(decided.status).toBe(200)
    const after = await s.app.request(s.calendar)
    expect(after.headers.get('x-cache')).toBeNull()
    expect(await s.ids(after)).toEqual([s.approved, s.pending].sort())
  })

  it('never answers a signed-in caller from it', async () => {
    const s = await setting()
    await s.app.request(s.calendar)
    const own = await s.app.request(s.calendar, { headers: s.company.headers })
    expect(own.headers.get('x-cache')).toBeNull()
    expect(await s.ids(own)).toEqual([s.approved, s.pending].sort())
  })

  it('shows a change made by another instance once the answer is older than PUBLIC_CACHE_SECONDS', async () => {
    const s = await setting(1)
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved])
    // Written straight to the database, as another server would: this process is not told.
    const elsewhere = await s.booking(18, 'approved')
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved])
    s.clock.advance(999)
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved])
    s.clock.advance(1)
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved, elsewhere].sort())
  })

  it('builds an answer once for visitors who ask at the same moment', async () => {
    const s = await setting()
    const url = `/api/facilities/${s.facility.id}/availability?from=${h(0).toISOString()}&to=${h(24).toISOString()}`
    const answers = await Promise.all(Array.from({ length: 8 }, () => s.app.request(url)))
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200))
    expect(answers.filter((r) => r.headers.get('x-cache') !== 'hit')).toHaveLength(1)
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())))
    expect(bodies.size).toBe(1)
  })

  it('keeps answering from an expired answer while one caller builds the new one', async () => {
    const s = await setting(1)
    await s.app.request(s.calendar)
    const elsewhere = await s.booking(18, 'approved')
    s.clock.advance(1000)
    const answers = await Promise.all(Array.from({ length: 4 }, () => s.app.request(s.calendar)))
    const built = answers.filter((r) => r.headers.get('x-cache') !== 'hit')
    expect(built).toHaveLength(1)
    expect(await s.ids(built[0] as Response)).toEqual([s.approved, elsewhere].sort())
    // The rebuilt answer is the one kept.
    expect(await s.ids(await s.app.request(s.calendar))).toEqual([s.approved, elsewhere].sort())
  })

  it('is off with PUBLIC_CACHE_SECONDS=0', async () => {
    const s = await setting(0)
    await s.app.request(s.calendar)
    const elsewhere = await s.booking(18, 'approved')
    const again = await s.app.request(s.calendar)
    expect(again.headers.get('x-cache')).toBeNull()
    expect(await s.ids(again)).toEqual([s.approved, elsewhere].sort())
  })
})

describe.runIf(process.env.DATABASE_URL)('two servers on one PostgreSQL', () => {
  it('empties one server’s cache when a change is made through the other', async () => {
    const s = await setting()
    const { db, kind } = await testConnection()
    const serverOn = async (changes?: ChangeChannel) =>
      createApp({
        config: parseConfig({ DATABASE_URL: process.env.DATABASE_URL, PUBLIC_CACHE_SECONDS: 60 }),
        database: sharedDatabase(db, kind),
        now: () => now,
        changes,
      })
    const channels = [
      await openChangeChannel(process.env.DATABASE_URL as string),
      await openChangeChannel(process.env.DATABASE_URL as string),
    ] as const
    try {
      const reading = await serverOn(channels[0])
      const deciding = await serverOn(channels[1])
      const unconnected = await serverOn()
      for (const app of [reading, unconnected]) {
        expect(await s.ids(await app.request(s.calendar))).toEqual([s.approved])
        expect((await app.request(s.calendar)).headers.get('x-cache')).toBe('hit')
      }
      const told = new Promise<void>((resolve) => channels[0].subscribe(() => resolve()))
      const decided = await deciding.request(`/api/bookings/${s.pending}/reviews`, {
        method: 'POST',
        headers: { ...s.official.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'approve' }),
      })
      expect(decided.status).toBe(200)
      await told
      const fresh = await reading.request(s.calendar)
      expect(fresh.headers.get('x-cache')).toBeNull()
      expect(await s.ids(fresh)).toEqual([s.approved, s.pending].sort())
      // A server that does not listen keeps its stored answer for PUBLIC_CACHE_SECONDS.
      expect(await s.ids(await unconnected.request(s.calendar))).toEqual([s.approved])
    } finally {
      await Promise.all(channels.map((c) => c.close()))
    }
  })
})
