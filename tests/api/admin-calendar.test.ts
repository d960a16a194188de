import type { Kysely } from 'kysely'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/types.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, hour } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

/**
 * The review calendar admins keep (issue 17): each department's review period and the city's
 * public holidays, and what they do to the deadlines officials see in the review queue.
 * Holidays are city-wide, so these tests use years far from the suite's now, each its own, and
 * remove what they add: other files' deadlines never meet them.
 */

type App = Awaited<ReturnType<typeof testApp>>['app']
let app: App
let db: Kysely<Database>
let admin: TestUser
let official: TestUser

beforeAll(async () => {
  ;({ app, db } = await testApp())
  admin = await makeUser(db, 'admin')
  official = await makeUser(db, 'official')
})

let yearsTaken = 0
/** A year of its own for a test, far from anything else the suite dates. */
const freshYear = () => 2300 + Math.floor(Math.random() * 100) * 5 + (yearsTaken++ % 5)
const added: string[] = []
afterEach(async () => {
  if (added.length) await db.deleteFrom('public_holidays').where('day', 'in', added.splice(0)).execute()
})

const send = (method: string, body: unknown, headers: Record<string, string>) => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const addHoliday = (day: string, name = 'City Day', headers = admin.headers) => {
  added.push(day)
  return app.request('/api/holidays', send('POST', { day, name }, headers))
}
const setPeriod = (id: string, reviewPeriodDays: unknown, headers = admin.headers) =>
  app.request(`/api/departments/${id}`, send('PATCH', { reviewPeriodDays }, headers))

describe('public holidays', () => {
  it('an admin adds, lists by year and removes holidays; each change is audited', async () => {
    const year = freshYear()
    const res = await addHoliday(`${year}-05-09`, 'Victory Day')
    expect(res.status).toBe(201)
    expect(await json(res)).toEqual({ day: `${year}-05-09`, name: 'Victory Day' })
    await addHoliday(`${year}-01-07`, 'Christmas')
    await addHoliday(`${year + 1}-01-01`, 'New Year')

    const list = await json(await app.request(`/api/holidays?year=${year}`, { headers: official.headers }))
    expect(list.items).toEqual([
      { day: `${year}-01-07`, name: 'Christmas' },
      { day: `${year}-05-09`, name: 'Victory Day' },
    ])

    const removed = await app.request(`/api/holidays/${year}-05-09`, {
      method: 'DELETE',
      headers: admin.headers,
    })
    expect(removed.status).toBe(204)
    const after = await json(await app.request(`/api/holidays?year=${year}`, { headers: admin.headers }))
    expect(after.items.map((h: { day: string }) => h.day)).toEqual([`${year}-01-07`])
    const actions = await db
      .selectFrom('events')
      .select('action')
      .where('actor_id', '=', admin.id)
      .where('action', 'like', 'holiday.%')
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action).slice(-4)).toEqual([
      'holiday.added',
      'holiday.added',
      'holiday.added',
      'holiday.removed',
    ])
  })

  it('409 for a day that is a holiday already, 404 for removing one that is not', async () => {
    const year = freshYear()
    expect((await addHoliday(`${year}-06-12`)).status).toBe(201)
    const again = await addHoliday(`${year}-06-12`, 'Again')
    expect(again.status).toBe(409)
    expect(again.headers.get('content-type')).toContain('application/problem+json')
    const none = await app.request(`/api/holidays/${year}-06-13`, {
      method: 'DELETE',
      headers: admin.headers,
    })
    expect(none.status).toBe(404)
  })

  it.each([
    ['not a date', { day: 'tomorrow', name: 'X' }],
    ['an impossible date', { day: '2027-02-30', name: 'X' }],
    ['year zero', { day: '0000-01-01', name: 'X' }],
    ['no name', { day: '2027-02-03', name: '' }],
    ['no day', { name: 'X' }],
  ])('400 for %s', async (_label, body) => {
    const res = await app.request('/api/holidays', send('POST', body, admin.headers))
    expect(res.status).toBe(400)
    expect((await json(res)).code).toBe('validation_failed')
  })

  it('400 for a bad year or day in the path', async () => {
    expect((await app.request('/api/holidays?year=abc', { headers: admin.headers })).status).toBe(400)
    const res = await app.request('/api/holidays/2027-13-01', { method: 'DELETE', headers: admin.headers })
    expect(res.status).toBe(400)
  })

  it('only admins change them; companies and visitors cannot even read them', async () => {
    const year = freshYear()
    expect((await addHoliday(`${year}-03-08`, 'X', official.headers)).status).toBe(403)
    const company = await makeUser(db, 'company')
    expect((await app.request('/api/holidays', { headers: company.headers })).status).toBe(403)
    expect((await app.request('/api/holidays')).status).toBe(401)
    const del = await app.request(`/api/holidays/${year}-03-08`, {
      method: 'DELETE',
      headers: official.headers,
    })
    expect(del.status).toBe(403)
  })
})

describe('review periods', () => {
  it('an admin sets a department’s period; list and detail show it, and the change is audited', async () => {
    const department = await makeDepartment(db)
    const detail = await json(await app.request(`/api/departments/${department.id}`))
    expect(detail.reviewPeriodDays).toBe(10)
    const res = await setPeriod(department.id, 3)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ id: department.id, name: department.name, reviewPeriodDays: 3 })
    const list = await json(await app.request('/api/departments'))
    expect(list.items.find((d: { id: string }) => d.id === department.id).reviewPeriodDays).toBe(3)
    const event = await db
      .selectFrom('events')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', department.id)
      .executeTakeFirstOrThrow()
    expect(event).toEqual({ action: 'department.review_period_changed', actor_id: admin.id })
  })

  it.each([0, 61, 2.5, '5', null])('400 for a period of %s', async (value) => {
    const department = await makeDepartment(db)
    const res = await setPeriod(department.id, value)
    expect(res.status).toBe(400)
    expect((await json(res)).errors[0].path).toBe('reviewPeriodDays')
  })

  it('officials may not change it, not even their own department’s', async () => {
    expect((await setPeriod(official.departmentId as string, 2, official.headers)).status).toBe(403)
  })
})

describe('deadlines follow the period and the holidays', () => {
  /** The first Monday of March of a year, as a city date. */
  function firstMondayOfMarch(year: number) {
    const d = new Date(Date.UTC(year, 2, 1))
    while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1)
    return d
  }
  const date = (d: Date, plusDays = 0) => new Date(d.getTime() + plusDays * day).toISOString().slice(0, 10)

  it('decideBy in the review queue moves with the department’s period and a holiday', async () => {
    const department = await makeDepartment(db)
    const reviewer = await makeUser(db, 'official', { departmentId: department.id })
    const area = await makeArea(db, { departmentId: department.id })
    const facility = await makeFacility(db, { areaId: area.id })
    const company = await makeUser(db, 'company')
    const pilot = await makePilot(db, company.organisationId as string)
    const year = freshYear()
    const monday = firstMondayOfMarch(year)
    const start = fromNow(20 * day)
    // Submitted on a Monday at noon in the city (09:00 UTC in Moscow).
    await makeBooking(db, {
      pilotId: pilot.id,
      facilityId: facility.id,
      start,
      end: new Date(start.getTime() + hour),
      departmentIds: [department.id],
      at: new Date(monday.getTime() + 9 * hour),
    })
    const decideBy = async () => {
      const res = await app.request(`/api/review-queue?facilityId=${facility.id}`, {
        headers: reviewer.headers,
      })
      expect(res.status).toBe(200)
      return (await json(res)).items[0].decideBy
    }
    // Ten working days: two weeks on, the Monday.
    expect(await decideBy()).toBe(date(monday, 14))
    expect((await setPeriod(department.id, 3)).status).toBe(200)
    expect(await decideBy()).toBe(date(monday, 3))
    expect((await addHoliday(date(monday, 2))).status).toBe(201)
    expect(await decideBy()).toBe(date(monday, 4))
    // Friday off too: the weekend follows, so the Monday after.
    expect((await addHoliday(date(monday, 4))).status).toBe(201)
    expect(await decideBy()).toBe(date(monday, 7))
  })
})
