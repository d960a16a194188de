import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../api/lib/cursor.ts'
import type { Database } from '../../db/types.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import { makeArea, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

// Every date derives from the suite's clock.
const now = testNow
const pageSize = 50

type State = 'pending' | 'approved'
interface Planned {
  facilityId: string
  start: Date
  state: State
}

/** Many bookings of one pilot in two statements, each with one review per department its site needs. */
async function addBookings(
  db: Kysely<Database>,
  pilotId: string,
  planned: Planned[],
  departmentsOf: (facilityId: string) => string[],
) {
  const rows = await db
    .insertInto('bookings')
    .values(
      planned.map((b) => {
        const end = new Date(b.start.getTime() + 2 * hour)
        return {
          pilot_id: pilotId,
          facility_id: b.facilityId,
          starts_at: b.start,
          ends_at: end,
          occupied_from: b.start,
          occupied_to: end,
          state: b.state,
          note: 'Only for the parties',
          created_at: now,
          updated_at: now,
        }
      }),
    )
    .returning(['id', 'facility_id', 'state'])
    .execute()
  await db
    .insertInto('reviews')
    .values(
      rows.flatMap((r) =>
        departmentsOf(r.facility_id).map((department_id) => ({
          booking_id: r.id,
          department_id,
          decision: r.state === 'approved' ? ('approved' as const) : ('pending' as const),
        })),
      ),
    )
    .execute()
}

/**
 * A pilot with 120 bookings: 90 approved, 30 pending. Pairs of bookings share a start (so a page
 * may end between two of the same start); the one running now is the 119th by start. Site A
 * needs the managing and the planning department, site B another department.
 */
async function world() {
  const t = await testApp({ now })
  const managing = await makeDepartment(t.db)
  const planning = await makeDepartment(t.db)
  const other = await makeDepartment(t.db)
  const siteA = await makeFacility(t.db, {
    areaId: (await makeArea(t.db, { departmentId: managing.id })).id,
    signoffDepartmentIds: [planning.id],
  })
  const siteB = await makeFacility(t.db, { areaId: (await makeArea(t.db, { departmentId: other.id })).id })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  const first = now.getTime() - 59 * day - hour
  const planned = Array.from({ length: 120 }, (_, i) => ({
    facilityId: i % 3 === 0 ? siteB.id : siteA.id,
    start: new Date(first + Math.floor(i / 2) * day),
    state: (i % 4 === 3 ? 'pending' : 'approved') as State,
  }))
  await addBookings(t.db, pilot.id, planned, (id) =>
    id === siteA.id ? [managing.id, planning.id] : [other.id],
  )
  const users = {
    visitor: null,
    company,
    rival: await makeUser(t.db, 'company', { sessionAt: now }),
    planner: await makeUser(t.db, 'official', { departmentId: planning.id, sessionAt: now }),
    otherOfficial: await makeUser(t.db, 'official', { departmentId: other.id, sessionAt: now }),
    stranger: await makeUser(t.db, 'official', { sessionAt: now }),
    admin: await makeUser(t.db, 'admin', { sessionAt: now }),
  }
  return { ...t, pilot, siteA, siteB, users }
}

const headersOf = (user: TestUser | null) => user?.headers ?? {}

/** Every booking id of the pilot in the order the page shows them: by start, then id. */
async function idsInOrder(
  db: Kysely<Database>,
  pilotId: string,
  keep: (b: { state: string; facility_id: string }) => boolean,
) {
  const rows = await db
    .selectFrom('bookings')
    .select(['id', 'state', 'facility_id'])
    .where('pilot_id', '=', pilotId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute()
  return rows.filter(keep).map((r) => r.id)
}

/** Follows the pilot page's cursor to the end, as the "More bookings" button does. */
async function everyBooking(w: Awaited<ReturnType<typeof world>>, user: TestUser | null, limit?: number) {
  const headers = headersOf(user)
  const pilot = await json(await w.app.request(`/api/pilots/${w.pilot.id}`, { headers }))
  const seen = [...pilot.bookings]
  const pages = [pilot.bookings.length]
  let cursor: string | null = pilot.bookingsCursor
  while (cursor) {
    const query = new URLSearchParams({ cursor, ...(limit ? { limit: String(limit) } : {}) })
    const res = await w.app.request(`/api/pilots/${w.pilot.id}/bookings?${query}`, { headers })
    expect(res.status).toBe(200)
    const page = await json(res)
    seen.push(...page.items)
    pages.push(page.items.length)
    cursor = page.nextCursor
    expect(pages.length).toBeLessThan(20)
  }
  return { pilot, seen, pages }
}

describe('the pilot page, page by page', () => {
  it('shows the first 50 bookings with a cursor, and the cursor yields every one once, in order', async () => {
    const w = await world()
    const { pilot, seen, pages } = await everyBooking(w, w.users.company)
    expect(pilot.bookings).toHaveLength(pageSize)
    expect(pilot.bookingsCursor).toEqual(expect.any(String))
    expect(pilot.bookingsTotal).toBe(120)
    expect(pages).toEqual([50, 50, 20])
    expect(seen.map((b) => b.id)).toEqual(await idsInOrder(w.db, w.pilot.id, () => true))
    // The running booking is the 119th: the phase still comes from every booking, not the first page.
    expect(pilot.phase).toBe('active')
    expect(seen[0].note).toBe('Only for the parties')
  })

  it('keeps the order across a page that ends between two bookings of the same start', async () => {
    const w = await world()
    const { seen, pages } = await everyBooking(w, w.users.admin, 25)
    expect(pages).toEqual([50, 25, 25, 20])
    expect(seen.map((b) => b.id)).toEqual(await idsInOrder(w.db, w.pilot.id, () => true))
  })

  it('ends with a null cursor when the first page holds every booking', async () => {
    const t = await testApp({ now })
    const company = await makeUser(t.db, 'company', { sessionAt: now })
    const site = await makeFacility(t.db)
    const pilot = await makePilot(t.db, company.organisationId as string)
    const planned = [1, 2, 3].map((n) => ({
      facilityId: site.id,
      start: new Date(now.getTime() + n * day),
      state: 'approved' as const,
    }))
    await addBookings(t.db, pilot.id, planned, () => [site.departmentId])
    const page = await json(await t.app.request(`/api/pilots/${pilot.id}`))
    expect(page).toMatchObject({ bookingsCursor: null, bookingsTotal: 3, phase: 'upcoming' })
    expect(page.bookings).toHaveLength(3)
  })

  it('stays small however many bookings a pilot has', async () => {
    const t = await testApp({ now })
    const company = await makeUser(t.db, 'company', { sessionAt: now })
    const site = await makeFacility(t.db)
    const pilot = await makePilot(t.db, company.organisationId as string)
    const planned = Array.from({ length: 2000 }, (_, i) => ({
      facilityId: site.id,
      start: new Date(now.getTime() + i * 3 * hour),
      state: 'approved' as const,
    }))
    await addBookings(t.db, pilot.id, planned, () => [site.departmentId])
    const res = await t.app.request(`/api/pilots/${pilot.id}`)
    const body = await res.text()
    // 2,000 bookings whole would be about 1 MB of JSON.
    expect(body.length).toBeLessThan(40_000)
    expect(JSON.parse(body)).toMatchObject({ bookingsTotal: 2000 })
  })
})

describe('who sees which bookings', () => {
  it('gives each caller exactly the bookings they may see, page after page', async () => {
    const w = await world()
    const onA = (b: { facility_id: string }) => b.facility_id === w.siteA.id
    const onB = (b: { facility_id: string }) => b.facility_id === w.siteB.id
    const approved = (b: { state: string }) => b.state === 'approved'
    const cases: [TestUser | null, (b: { state: string; facility_id: string }) => boolean][] = [
      [w.users.visitor, approved],
      [w.users.rival, approved],
      [w.users.stranger, approved],
      [w.users.planner, (b) => approved(b) || onA(b)],
      [w.users.otherOfficial, (b) => approved(b) || onB(b)],
      [w.users.admin, () => true],
    ]
    for (const [user, keep] of cases) {
      const expected = await idsInOrder(w.db, w.pilot.id, keep)
      const { pilot, seen } = await everyBooking(w, user)
      expect(
        seen.map((b) => b.id),
        user?.role ?? 'visitor',
      ).toEqual(expected)
      expect(pilot.bookingsTotal).toBe(expected.length)
    }
  })

  it('shows strangers the public view only: no notes, no deciders', async () => {
    const w = await world()
    const { seen } = await everyBooking(w, w.users.rival)
    expect(seen.every((b) => b.state === 'approved' && b.note === null)).toBe(true)
    expect(seen.flatMap((b) => b.reviews).every((r: { decidedBy: unknown }) => r.decidedBy === null)).toBe(
      true,
    )
  })

  it('hides a pilot without a booking the caller may see, on both addresses', async () => {
    const t = await testApp({ now })
    const company = await makeUser(t.db, 'company', { sessionAt: now })
    const rival = await makeUser(t.db, 'company', { sessionAt: now })
    const site = await makeFacility(t.db)
    const pilot = await makePilot(t.db, company.organisationId as string)
    const planned = [{ facilityId: site.id, start: new Date(now.getTime() + day), state: 'pending' as const }]
    await addBookings(t.db, pilot.id, planned, () => [site.departmentId])
    for (const headers of [{}, rival.headers]) {
      expect((await t.app.request(`/api/pilots/${pilot.id}`, { headers })).status).toBe(404)
      const res = await t.app.request(`/api/pilots/${pilot.id}/bookings`, { headers })
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
    const own = await json(
      await t.app.request(`/api/pilots/${pilot.id}/bookings`, { headers: company.headers }),
    )
    expect(own).toMatchObject({ items: [{ state: 'pending' }], nextCursor: null })
    const none = await t.app.request(`/api/pilots/${crypto.randomUUID()}/bookings`, {
      headers: company.headers,
    })
    expect(none.status).toBe(404)
  })
})

describe('bad paging input', () => {
  it('answers a cursor or limit it did not give out with a 400 problem', async () => {
    const w = await world()
    const bad = [
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${encodeCursor({ key: 'yesterday', id: crypto.randomUUID() })}`, 'cursor'],
      [`cursor=${encodeCursor({ key: '2031-02-30T25:00:00.000Z', id: crypto.randomUUID() })}`, 'cursor'],
      [`cursor=${encodeCursor({ key: '1', id: crypto.randomUUID() })}`, 'cursor'],
      [`cursor=${encodeCursor({ key: '0000-01-01T00:00:00.000Z', id: crypto.randomUUID() })}`, 'cursor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
    ]
    for (const [query, path] of bad) {
      const res = await w.app.request(`/api/pilots/${w.pilot.id}/bookings?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const problem = await json(res)
      expect(problem.code).toBe('validation_failed')
      expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path)
    }
    expect((await w.app.request('/api/pilots/not-an-id/bookings')).status).toBe(400)
  })
})

describe('the pilots list', () => {
  it('carries each pilot’s first 10 bookings, those still to come first, and how many it has', async () => {
    const w = await world()
    const mine = await json(
      await w.app.request('/api/pilots?mine=true', { headers: w.users.company.headers }),
    )
    const item = mine.items.find((p: { id: string }) => p.id === w.pilot.id)
    expect(item.bookingsTotal).toBe(120)
    // By start: the 119th runs now and the 120th is ahead; after them the ended, latest first.
    const all = await idsInOrder(w.db, w.pilot.id, () => true)
    expect(item.bookings.map((b: { id: string }) => b.id)).toEqual([
      ...all.slice(118),
      ...all.slice(110, 118).reverse(),
    ])

    const visitor = await json(await w.app.request('/api/pilots'))
    const shown = visitor.items.find((p: { id: string }) => p.id === w.pilot.id)
    expect(shown.bookingsTotal).toBe(90)
    expect(shown.bookings).toHaveLength(10)
    expect(shown.bookings.every((b: { state: string }) => b.state === 'approved')).toBe(true)
  })
})
