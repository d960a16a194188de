import { describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

type State = 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'cancelled'

/**
 * A department's area with two sites and a site elsewhere, a company's pilot, and callers; times
 * are `base + hours`, far from other tests' bookings.
 */
async function setting() {
  const t = await testApp({ now: testNow })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const site = await makeFacility(t.db, { areaId: area.id, capacity: 5 })
  const sibling = await makeFacility(t.db, { areaId: area.id, capacity: 5 })
  const elsewhere = await makeFacility(t.db, { capacity: 5 })
  const company = await makeUser(t.db, 'company')
  const pilot = await makePilot(t.db, company.organisationId as string)
  const organisation = await t.db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', company.organisationId as string)
    .executeTakeFirstOrThrow()
  const users = {
    official: await makeUser(t.db, 'official', { departmentId: department.id }),
    stranger: await makeUser(t.db, 'official'),
    admin: await makeUser(t.db, 'admin'),
    company,
  }
  const base = new Date(testNow.getTime() + 500 * day)
  const at = (hours: number) => new Date(base.getTime() + hours * hour)
  const iso = (hours: number) => at(hours).toISOString()
  const book = (facilityId: string, from: number, to: number, state: State = 'approved') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId,
      start: at(from),
      end: at(to),
      state,
      departmentIds: [department.id],
    })
  const get = (query: string, user: TestUser | null = users.official) =>
    t.app.request(`/api/closures/overlaps?${query}`, { headers: user?.headers ?? {} })
  const ask = async (query: string, user: TestUser | null = users.official) => {
    const res = await get(query, user)
    expect(res.status).toBe(200)
    return json(res)
  }
  const bookingIds = async (query: string) =>
    (await ask(query)).items.map((i: { bookingId: string }) => i.bookingId)
  return {
    ...t,
    department,
    area,
    site,
    sibling,
    elsewhere,
    pilot,
    organisation,
    users,
    at,
    iso,
    book,
    get,
    ask,
    bookingIds,
  }
}

describe('GET /api/closures/overlaps', () => {
  it('names the bookings on a facility that a closure would meet, with who and where', async () => {
    const s = await setting()
    const approved = await s.book(s.site.id, 10, 12)
    const pending = await s.book(s.site.id, 5, 11, 'pending')
    await s.book(s.sibling.id, 10, 12)
    await s.book(s.site.id, 20, 22)
    const body = await s.ask(`facilityId=${s.site.id}&start=${s.iso(9)}&end=${s.iso(13)}`)
    expect(body.total).toBe(2)
    expect(body.items).toEqual([
      {
        bookingId: pending,
        pilotId: s.pilot.id,
        pilotTitle: s.pilot.title,
        organisationName: s.organisation.name,
        facilityId: s.site.id,
        facilityName: s.site.name,
        start: s.iso(5),
        end: s.iso(11),
        state: 'pending',
      },
      expect.objectContaining({ bookingId: approved, state: 'approved', start: s.iso(10), end: s.iso(12) }),
    ])
  })

  it('names the bookings on every facility of an area, and none elsewhere', async () => {
    const s = await setting()
    const onSite = await s.book(s.site.id, 10, 12)
    const onSibling = await s.book(s.sibling.id, 11, 13, 'changes_requested')
    await s.book(s.elsewhere.id, 10, 12)
    expect(await s.bookingIds(`areaId=${s.area.id}&start=${s.iso(0)}&end=${s.iso(24)}`)).toEqual([
      onSite,
      onSibling,
    ])
  })

  it('leaves out rejected and cancelled bookings, and those that only touch the closure', async () => {
    const s = await setting()
    const held = await s.book(s.site.id, 10, 12, 'pending')
    await s.book(s.site.id, 10, 12, 'rejected')
    await s.book(s.site.id, 10, 12, 'cancelled')
    await s.book(s.site.id, 8, 10)
    await s.book(s.site.id, 12, 14)
    expect(await s.bookingIds(`facilityId=${s.site.id}&start=${s.iso(10)}&end=${s.iso(12)}`)).toEqual([held])
  })

  it('counts setup and teardown, as the booking rules do', async () => {
    const s = await setting()
    const id = await s.book(s.site.id, 10, 12)
    await s.db
      .updateTable('bookings')
      .set({ occupied_from: s.at(9), occupied_to: s.at(13) })
      .where('id', '=', id)
      .execute()
    expect(await s.bookingIds(`facilityId=${s.site.id}&start=${s.iso(12.5)}&end=${s.iso(20)}`)).toEqual([id])
  })

  it('names at most 100 and counts them all', async () => {
    const s = await setting()
    for (let i = 0; i < 103; i++) await s.book(s.site.id, 0.25 * i, 0.25 * i + 0.25, 'pending')
    const body = await s.ask(`facilityId=${s.site.id}&start=${s.iso(0)}&end=${s.iso(100)}`)
    expect(body.total).toBe(103)
    expect(body.items).toHaveLength(100)
    expect(body.items[99].start).toBe(s.iso(24.75))
  })

  it('with excludeId, leaves out what the edited closure already meets', async () => {
    const s = await setting()
    const covered = await s.book(s.site.id, 10, 12)
    const added = await s.book(s.sibling.id, 14, 16)
    const res = await s.app.request(`/api/areas/${s.area.id}/closures`, {
      method: 'POST',
      headers: { ...s.users.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ start: s.iso(9), end: s.iso(13), reason: 'Works' }),
    })
    expect(res.status).toBe(201)
    const closure = (await json(res)).id
    const longer = `areaId=${s.area.id}&start=${s.iso(9)}&end=${s.iso(15)}`
    expect(await s.bookingIds(longer)).toEqual([covered, added])
    const body = await s.ask(`${longer}&excludeId=${closure}`)
    expect(body).toEqual({ items: [expect.objectContaining({ bookingId: added })], total: 1 })
    // Saving the closure over a booking leaves the booking as it was.
    const booking = await s.db
      .selectFrom('bookings')
      .select('state')
      .where('id', '=', covered)
      .executeTakeFirst()
    expect(booking?.state).toBe('approved')
  })
})

describe('GET /api/closures/overlaps: who may ask', () => {
  it('is for admins and officials of the managing department', async () => {
    const s = await setting()
    const query = `areaId=${s.area.id}&start=${s.iso(0)}&end=${s.iso(1)}`
    expect((await s.get(query, s.users.official)).status).toBe(200)
    expect((await s.get(query, s.users.admin)).status).toBe(200)
    expect((await s.get(query, s.users.stranger)).status).toBe(403)
    expect((await s.get(query, s.users.company)).status).toBe(403)
    expect((await s.get(query, null)).status).toBe(401)
    expect((await s.get(`facilityId=${s.elsewhere.id}&start=${s.iso(0)}&end=${s.iso(1)}`)).status).toBe(403)
  })

  it('does not let another department’s closure be named as the edited one', async () => {
    const s = await setting()
    const other = await s.app.request(`/api/facilities/${s.elsewhere.id}/closures`, {
      method: 'POST',
      headers: { ...s.users.admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ start: s.iso(0), end: s.iso(1), reason: 'Works' }),
    })
    const id = (await json(other)).id
    const res = await s.get(`facilityId=${s.site.id}&start=${s.iso(0)}&end=${s.iso(1)}&excludeId=${id}`)
    expect(res.status).toBe(403)
  })
})

describe('GET /api/closures/overlaps: bad input', () => {
  it.each([
    [
      'no place',
      (s: Awaited<ReturnType<typeof setting>>) => `start=${s.iso(0)}&end=${s.iso(1)}`,
      'facilityId',
    ],
    [
      'both places',
      (s: Awaited<ReturnType<typeof setting>>) =>
        `facilityId=${s.site.id}&areaId=${s.area.id}&start=${s.iso(0)}&end=${s.iso(1)}`,
      'facilityId',
    ],
    [
      'end before start',
      (s: Awaited<ReturnType<typeof setting>>) => `areaId=${s.area.id}&start=${s.iso(2)}&end=${s.iso(1)}`,
      'end',
    ],
    ['no times', (s: Awaited<ReturnType<typeof setting>>) => `areaId=${s.area.id}`, 'start'],
    [
      'a bad id',
      (s: Awaited<ReturnType<typeof setting>>) => `areaId=nope&start=${s.iso(0)}&end=${s.iso(1)}`,
      'areaId',
    ],
    [
      'a time without offset',
      (s: Awaited<ReturnType<typeof setting>>) =>
        `areaId=${s.area.id}&start=2027-01-01T10:00&end=${s.iso(1)}`,
      'start',
    ],
  ])('answers 400 for %s', async (_name, query, path) => {
    const s = await setting()
    const res = await s.get(query(s))
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = await json(res)
    expect(body.code).toBe('validation_failed')
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path)
  })

  it('answers 404 for a place or an edited closure that does not exist', async () => {
    const s = await setting()
    const missing = '3f1d7c1e-8a7b-4f1e-9a55-1b2c3d4e5f60'
    expect((await s.get(`areaId=${missing}&start=${s.iso(0)}&end=${s.iso(1)}`)).status).toBe(404)
    expect((await s.get(`facilityId=${missing}&start=${s.iso(0)}&end=${s.iso(1)}`)).status).toBe(404)
    expect(
      (await s.get(`areaId=${s.area.id}&start=${s.iso(0)}&end=${s.iso(1)}&excludeId=${missing}`)).status,
    ).toBe(404)
  })
})

describe('approving a request that a closure covers', () => {
  it('is refused with the closure named, in the caller’s language; rejecting it and other sites go on', async () => {
    const s = await setting()
    const covered = await s.book(s.site.id, 10, 12, 'pending')
    const beside = await s.book(s.sibling.id, 10, 12, 'pending')
    const closed = await s.app.request(`/api/facilities/${s.site.id}/closures`, {
      method: 'POST',
      headers: { ...s.users.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ start: s.iso(11), end: s.iso(14), reason: 'Cable repair' }),
    })
    expect(closed.status).toBe(201)
    const review = (id: string, decision: string, language = 'en') =>
      s.app.request(`/api/bookings/${id}/reviews`, {
        method: 'POST',
        headers: {
          ...s.users.official.headers,
          'content-type': 'application/json',
          'accept-language': language,
        },
        body: JSON.stringify({ decision, ...(decision === 'approve' ? {} : { note: 'Closed then' }) }),
      })

    const refused = await review(covered, 'approve', 'ru')
    expect(refused.status).toBe(422)
    const problem = await json(refused)
    expect(problem.code).toBe('in_closure')
    expect(problem.detail).toMatch(/Cable repair.*нельзя одобрить/)
    expect(problem.errors[0]).toMatchObject({
      path: 'decision',
      code: 'in_closure',
      start: s.iso(11),
      end: s.iso(14),
    })
    const still = await s.db
      .selectFrom('reviews')
      .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
      .select(['reviews.decision', 'bookings.state'])
      .where('booking_id', '=', covered)
      .executeTakeFirstOrThrow()
    expect(still).toEqual({ decision: 'pending', state: 'pending' })

    expect((await review(beside, 'approve')).status).toBe(200)
    expect((await review(covered, 'reject')).status).toBe(200)
  })
})
