import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/types.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { cityDay, day, fromNow, hour, nextCityTime } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

type App = Awaited<ReturnType<typeof testApp>>['app']
let app: App
let db: Kysely<Database>

beforeAll(async () => {
  ;({ app, db } = await testApp())
})

/** A department with its official, an area and a site it signs off, and a company's pilot. */
async function desk(options: { category?: string; title?: string } = {}) {
  const department = await makeDepartment(db)
  const official = await makeUser(db, 'official', { departmentId: department.id })
  const company = await makeUser(db, 'company')
  const area = await makeArea(db, { departmentId: department.id, categories: ['lighting', 'mobility'] })
  const facility = await makeFacility(db, { areaId: area.id })
  const pilot = await makePilot(db, company.organisationId as string, options)
  return {
    department: department.id,
    official,
    company,
    area: area.id,
    facility: facility.id,
    pilot: pilot.id,
  }
}
type Desk = Awaited<ReturnType<typeof desk>>
interface Item {
  booking: { id: string }
  myDepartmentId: string
}

/** A pending request `n` days ahead, submitted `ago` hours before the suite's now. */
function request(
  d: Desk,
  n: number,
  options: { ago?: number; state?: 'approved'; facilityId?: string } = {},
) {
  const start = fromNow(n * day)
  return makeBooking(db, {
    pilotId: d.pilot,
    facilityId: options.facilityId ?? d.facility,
    start,
    end: new Date(start.getTime() + hour),
    departmentIds: [d.department],
    ...(options.state ? { state: options.state } : {}),
    at: fromNow(-(options.ago ?? 1) * hour),
  })
}

async function queue(user: TestUser, query = '') {
  const res = await app.request(`/api/review-queue${query}`, { headers: user.headers })
  expect(res.status).toBe(200)
  return json(res)
}

/** Every page of a query, following `nextCursor`. */
async function allPages(user: TestUser, query: string) {
  const items = []
  let cursor: string | null = null
  do {
    const page = await queue(user, `?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    items.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return items
}

describe('GET /api/review-queue', () => {
  it('lists what waits for the department, oldest deadline first, every item once across pages', async () => {
    const d = await desk()
    const ids = [
      await request(d, 20, { ago: 5 }),
      await request(d, 21, { ago: 50 }),
      await request(d, 22, { ago: 1 }),
    ]
    ids.push(await request(d, 23, { ago: 300 }), await request(d, 24, { ago: 30 }))
    await request(d, 25, { state: 'approved' })
    const first = await queue(d.official, '?limit=2')
    expect(first.total).toBe(5)
    const second = await queue(d.official, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    expect(second.total).toBe(5)
    const items = await allPages(d.official, 'limit=2')
    expect(items.map((i) => i.booking.id)).toEqual([ids[3], ids[1], ids[4], ids[0], ids[2]])
    const deadlines = items.map((i) => i.decideBy)
    expect([...deadlines].sort()).toEqual(deadlines)
    expect(items[0]).toMatchObject({ myDepartmentId: d.department, myDecision: 'pending', occurrences: 1 })
  })

  it('sorts by start and by submission, and pages each to the end', async () => {
    const d = await desk()
    const late = await request(d, 30, { ago: 1 })
    const early = await request(d, 10, { ago: 2 })
    const middle = await request(d, 20, { ago: 3 })
    expect((await allPages(d.official, 'sort=start&limit=1')).map((i) => i.booking.id)).toEqual([
      early,
      middle,
      late,
    ])
    expect((await allPages(d.official, 'sort=created&limit=1')).map((i) => i.booking.id)).toEqual([
      middle,
      early,
      late,
    ])
  })

  it('filters by state, site, area, category, dates and words', async () => {
    const d = await desk({ title: unique('Smart lamps') })
    const other = await makeFacility(db, { areaId: d.area })
    const near = await request(d, 5)
    const far = await request(d, 40, { facilityId: other.id })
    const approved = await request(d, 8, { state: 'approved' })
    const ids = async (query: string) => (await queue(d.official, query)).items.map((i: Item) => i.booking.id)
    expect(await ids(`?facilityId=${other.id}`)).toEqual([far])
    expect(await ids('?state=approved')).toEqual([approved])
    expect(await ids(`?to=${encodeURIComponent(fromNow(10 * day).toISOString())}`)).toEqual([near])
    expect(await ids(`?from=${encodeURIComponent(fromNow(10 * day).toISOString())}`)).toEqual([far])
    expect((await ids(`?areaId=${d.area}&sort=start`)).length).toBe(2)
    const elsewhere = await makeArea(db, { departmentId: d.department })
    expect(await ids(`?areaId=${elsewhere.id}`)).toEqual([])
    expect(await ids('?category=mobility')).toEqual([])
    expect((await ids('?category=lighting')).length).toBe(2)
    expect((await ids('?q=SMART%20LAMPS')).length).toBe(2)
    expect(await ids('?q=no%20such%20pilot')).toEqual([])
  })

  it('shows a series as one item: its first waiting occurrence, with the count', async () => {
    const d = await desk()
    const series = await db
      .insertInto('series')
      .values({ pilot_id: d.pilot, facility_id: d.facility, frequency: 'daily', until: '2099-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const occurrences = [await request(d, 12), await request(d, 11), await request(d, 13)]
    await db.updateTable('bookings').set({ series_id: series.id }).where('id', 'in', occurrences).execute()
    const single = await request(d, 14)
    const page = await queue(d.official, '?sort=start')
    expect(page.total).toBe(2)
    expect(page.items).toHaveLength(2)
    expect(page.items[0]).toMatchObject({
      seriesId: series.id,
      occurrences: 3,
      booking: { id: occurrences[1] },
    })
    expect(page.items[1]).toMatchObject({ seriesId: null, occurrences: 1, booking: { id: single } })
  })

  it('counts the deadline in working days: Friday + 1 is Monday, a holiday is skipped', async () => {
    const d = await desk()
    await db
      .updateTable('departments')
      .set({ review_period_days: 1 })
      .where('id', '=', d.department)
      .execute()
    // A Friday years ahead, so that its holiday row changes no other test's deadlines.
    const friday = nextCityTime(5, '15:00', 'Europe/Moscow', fromNow(4000 * day))
    const start = new Date(friday.getTime() + 30 * day)
    await makeBooking(db, {
      pilotId: d.pilot,
      facilityId: d.facility,
      start,
      end: new Date(start.getTime() + hour),
      departmentIds: [d.department],
      at: friday,
    })
    const monday = cityDay(3, 'Europe/Moscow', friday)
    expect(monday.weekday).toBe(1)
    expect((await queue(d.official)).items[0].decideBy).toBe(monday.date)
    await db.insertInto('public_holidays').values({ day: monday.date, name: 'Test holiday' }).execute()
    try {
      expect((await queue(d.official)).items[0].decideBy).toBe(cityDay(4, 'Europe/Moscow', friday).date)
    } finally {
      await db.deleteFrom('public_holidays').where('day', '=', monday.date).execute()
    }
  })

  it('names the other pending requests that overlap on the same site', async () => {
    const d = await desk()
    const a = await request(d, 50)
    const b = await request(d, 50)
    await request(d, 51)
    const items = (await queue(d.official, '?sort=start')).items
    expect(items.find((i: Item) => i.booking.id === a).conflicts).toEqual([b])
    expect(items.find((i: Item) => i.booking.id === b).conflicts).toEqual([a])
    expect(items[2].conflicts).toEqual([])
  })

  it('shows an admin every department’s queue', async () => {
    const d = await desk()
    const second = await makeDepartment(db)
    const admin = await makeUser(db, 'admin')
    const start = fromNow(60 * day)
    const both = await makeBooking(db, {
      pilotId: d.pilot,
      facilityId: d.facility,
      start,
      end: new Date(start.getTime() + hour),
      departmentIds: [d.department, second.id],
    })
    const page = await queue(admin, `?facilityId=${d.facility}`)
    expect(page.total).toBe(2)
    expect(page.items.map((i: Item) => [i.booking.id, i.myDepartmentId]).sort()).toEqual(
      [
        [both, d.department],
        [both, second.id],
      ].sort(),
    )
    expect((await queue(d.official)).items.map((i: Item) => i.booking.id)).toEqual([both])
  })

  it('orders an admin’s queue by deadline across departments with different review periods', async () => {
    const d = await desk()
    const quick = await makeDepartment(db)
    await db.updateTable('departments').set({ review_period_days: 1 }).where('id', '=', quick.id).execute()
    const admin = await makeUser(db, 'admin')
    const start = fromNow(70 * day)
    const slow = await request(d, 70, { ago: 3 })
    const fast = await makeBooking(db, {
      pilotId: d.pilot,
      facilityId: d.facility,
      start,
      end: new Date(start.getTime() + hour),
      departmentIds: [quick.id],
      at: fromNow(-hour),
    })
    const items = await allPages(admin, `facilityId=${d.facility}&limit=1`)
    expect(items.map((i) => i.booking.id)).toEqual([fast, slow])
    expect(items[0].decideBy < items[1].decideBy).toBe(true)
  })

  it('answers companies 403, visitors 401 and a bad cursor or filter 400', async () => {
    const d = await desk()
    expect((await app.request('/api/review-queue', { headers: d.company.headers })).status).toBe(403)
    expect((await app.request('/api/review-queue')).status).toBe(401)
    for (const query of [
      'cursor=nonsense',
      'sort=price',
      'from=yesterday',
      'areaId=1',
      `q=${'x'.repeat(201)}`,
    ]) {
      const res = await app.request(`/api/review-queue?${query}`, { headers: d.official.headers })
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
  })
})
