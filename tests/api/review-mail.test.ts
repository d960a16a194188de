/**
 * Review mail (issue 17): an official hears of each request, or reads one digest a day; `auto`
 * switches to the digest while more than 10 requests wait for the department.
 */
import { describe, expect, it } from 'vitest'
import { sendDigests } from '../../api/services/digests.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { cityZone, day, hour, nextCityTime } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

/** A Wednesday, 09:30 in Moscow, after the suite's now (the stories below count hours from it). */
const now = nextCityTime(3, '09:30', cityZone)
/** The city date of an instant, YYYY-MM-DD. */
const cityDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: cityZone }).format(at)
const city = { cityTimeZone: 'Europe/Moscow', digestHour: 8, publicUrl: 'https://city.example/' }

async function setting(at = now) {
  const t = await testApp({ now: at })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, { areaId: area.id, name: unique('Pole') })
  const official = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: at })
  const colleague = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: at })
  const company = await makeUser(t.db, 'company', { sessionAt: at })
  const pilot = await makePilot(t.db, company.organisationId as string, { title: unique('Smart bench') })
  /** A request through the API, `n` days from now. */
  const request = (n: number) =>
    t.app.request(`/api/pilots/${pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: facility.id,
        start: new Date(now.getTime() + (2 + n) * day).toISOString(),
        end: new Date(now.getTime() + (2 + n) * day + hour).toISOString(),
      }),
    })
  /** `n` requests already waiting, made straight in the database, submitted `ago` ms before now. */
  const waiting = async (n: number, ago = 0) => {
    for (let i = 0; i < n; i++) {
      await makeBooking(t.db, {
        pilotId: pilot.id,
        facilityId: facility.id,
        start: new Date(now.getTime() + (40 + i) * day),
        end: new Date(now.getTime() + (40 + i) * day + hour),
        departmentIds: [department.id],
        at: new Date(now.getTime() - ago),
      })
    }
  }
  const choose = (user: { headers: Record<string, string> }, reviewMail: unknown) =>
    t.app.request('/api/me', {
      method: 'PATCH',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reviewMail }),
    })
  const outbox = (userIds: string[], template?: string) => {
    let q = t.db.selectFrom('outbox').selectAll().where('recipient_user_id', 'in', userIds)
    if (template) q = q.where('template', '=', template)
    return q.orderBy('created_at').execute()
  }
  return { ...t, department, facility, official, colleague, company, pilot, request, waiting, choose, outbox }
}

describe('the review-mail choice (GET and PATCH /api/me)', () => {
  it('shows an official automatic by default, and saves each choice with its audit event', async () => {
    const s = await setting()
    const me = await json(await s.app.request('/api/me', { headers: s.official.headers }))
    expect(me).toMatchObject({ reviewMail: 'auto', reviewMailEffective: 'each' })
    const res = await s.choose(s.official, 'digest')
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ reviewMail: 'digest', reviewMailEffective: 'digest' })
    expect((await s.choose(s.official, 'each')).status).toBe(200)
    expect((await s.choose(s.official, 'auto')).status).toBe(200)
    const row = await s.db
      .selectFrom('users')
      .select('review_mail')
      .where('id', '=', s.official.id)
      .executeTakeFirstOrThrow()
    expect(row.review_mail).toBeNull()
    const events = await s.db
      .selectFrom('events')
      .select('details')
      .where('subject_id', '=', s.official.id)
      .where('action', '=', 'user.review_mail_changed')
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.details)).toEqual([
      { before: { reviewMail: 'auto' }, after: { reviewMail: 'digest' } },
      { before: { reviewMail: 'digest' }, after: { reviewMail: 'each' } },
      { before: { reviewMail: 'each' }, after: { reviewMail: 'auto' } },
    ])
  })

  it('says an automatic official reads the digest while more than 10 requests wait', async () => {
    const s = await setting()
    await s.waiting(11)
    const me = await json(await s.app.request('/api/me', { headers: s.official.headers }))
    expect(me).toMatchObject({ reviewMail: 'auto', reviewMailEffective: 'digest' })
  })

  it('lets an admin choose too, and still changes name and language alongside', async () => {
    const s = await setting()
    const admin = await makeUser(s.db, 'admin', { sessionAt: now })
    const res = await s.app.request('/api/me', {
      method: 'PATCH',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ reviewMail: 'each', language: 'ru' }),
    })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ reviewMail: 'each', language: 'ru' })
  })

  it('refuses a company member’s choice (403) and an unknown mode (400), changing nothing', async () => {
    const s = await setting()
    const company = await s.choose(s.company, 'digest')
    expect(company.status).toBe(403)
    expect(company.headers.get('content-type')).toContain('application/problem+json')
    const me = await json(await s.app.request('/api/me', { headers: s.company.headers }))
    expect(me.reviewMail).toBeUndefined()
    expect((await s.choose(s.official, 'weekly')).status).toBe(400)
    expect((await s.choose(s.official, null)).status).toBe(400)
  })

  it('needs a session', async () => {
    const s = await setting()
    const res = await s.app.request('/api/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reviewMail: 'digest' }),
    })
    expect(res.status).toBe(401)
  })
})

describe('who hears of each request', () => {
  it('tells an automatic official of the 10th waiting request but not of the 11th', async () => {
    const s = await setting()
    await s.waiting(9)
    expect((await s.request(0)).status).toBe(201)
    expect(await s.outbox([s.official.id], 'booking.submitted')).toHaveLength(1)
    expect((await s.request(1)).status).toBe(201)
    expect(await s.outbox([s.official.id], 'booking.submitted')).toHaveLength(1)
  })

  it('follows an explicit choice whatever the load', async () => {
    const s = await setting()
    await s.choose(s.official, 'each')
    await s.choose(s.colleague, 'digest')
    await s.waiting(12)
    expect((await s.request(0)).status).toBe(201)
    expect(await s.outbox([s.official.id], 'booking.submitted')).toHaveLength(1)
    expect(await s.outbox([s.colleague.id], 'booking.submitted')).toHaveLength(0)
  })

  it('sends 40 messages instead of 60 for 20 requests to a department of two officials', async () => {
    const s = await setting()
    for (let i = 0; i < 20; i++) expect((await s.request(i)).status).toBe(201)
    const people = [s.official.id, s.colleague.id, s.company.id]
    // Before: 20 × 2 officials + 20 receipts = 60. Now each official hears of the first 10 only.
    const messages = await s.outbox(people)
    expect(messages).toHaveLength(40)
    expect(messages.filter((m) => m.template === 'booking.received')).toHaveLength(20)
    expect(await s.outbox([s.official.id], 'booking.submitted')).toHaveLength(10)
    expect(await s.outbox([s.colleague.id], 'booking.submitted')).toHaveLength(10)
    // … and the rest the next morning, in one digest each.
    await sendDigests(s.db, city, new Date(now.getTime() + day))
    expect(await s.outbox(people)).toHaveLength(42)
    const [digest] = await s.outbox([s.official.id], 'review.digest')
    expect(digest?.subject).toBe('Requests to review today: 20 waiting')
  })

  it('counts a series once: twelve occurrences in a quiet department still tell its officials', async () => {
    const s = await setting()
    const first = new Date(now.getTime() + 5 * day)
    const res = await s.app.request(`/api/pilots/${s.pilot.id}/series`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: s.facility.id,
        start: first.toISOString(),
        end: new Date(first.getTime() + hour).toISOString(),
        recurrence: { frequency: 'daily', until: cityDate(new Date(first.getTime() + 11 * day)) },
      }),
    })
    expect(res.status).toBe(201)
    expect(await s.outbox([s.official.id], 'series.submitted')).toHaveLength(1)
  })
})

describe('the daily digest', () => {
  it('lists what waits, marks what is overdue and links to the queue, in each official’s language', async () => {
    const s = await setting()
    await s.db.updateTable('users').set({ language: 'ru' }).where('id', '=', s.colleague.id).execute()
    await s.choose(s.official, 'digest')
    await s.choose(s.colleague, 'digest')
    await s.waiting(2)
    await s.waiting(1, 20 * day) // submitted 20 days ago: 10 working days are over
    expect(await sendDigests(s.db, city, now)).toBeGreaterThanOrEqual(2)
    const [en] = await s.outbox([s.official.id], 'review.digest')
    expect(en).toMatchObject({ language: 'en', subject: 'Requests to review today: 3 waiting, 1 overdue' })
    const lines = en?.body.split('\n') ?? []
    expect(lines[0]).toBe("3 requests wait for your department's decision; 1 is past the date to decide by.")
    const items = lines.filter((l) => l.startsWith('- '))
    expect(items).toHaveLength(3)
    expect(items[0]).toContain(s.pilot.title)
    expect(items[0]).toContain(s.facility.name)
    expect(items[0]).toMatch(/decide by .* — OVERDUE$/)
    expect(items.slice(1).some((l) => l.includes('OVERDUE'))).toBe(false)
    expect(en?.body).toContain('Open the review queue: https://city.example/review')
    const [ru] = await s.outbox([s.colleague.id], 'review.digest')
    expect(ru?.subject).toBe('Заявки на рассмотрение: ожидают 3, просрочено 1')
    expect(ru?.body).toContain('ПРОСРОЧЕНО')
    expect(ru?.body).toContain('Открыть очередь заявок: https://city.example/review')
  })

  it('lists the 20 nearest deadlines and counts the rest', async () => {
    const s = await setting()
    await s.choose(s.official, 'digest')
    await s.waiting(22)
    await sendDigests(s.db, city, now)
    const [digest] = await s.outbox([s.official.id], 'review.digest')
    expect(digest?.body.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(20)
    expect(digest?.body).toContain('… and 2 more in the queue.')
  })

  it('goes out once per official per city day, however often maintenance runs', async () => {
    const s = await setting()
    await s.waiting(11)
    await Promise.all([sendDigests(s.db, city, now), sendDigests(s.db, city, now)])
    await sendDigests(s.db, city, new Date(now.getTime() + 10 * hour)) // 19:30, same day
    expect(await s.outbox([s.official.id, s.colleague.id], 'review.digest')).toHaveLength(2)
    // Next day before 08:00 (07:30): nothing; from 08:00 on: the next digest.
    await sendDigests(s.db, city, new Date(now.getTime() + day - 2 * hour))
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(1)
    await sendDigests(s.db, city, new Date(now.getTime() + day))
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(2)
  })

  it('sends nothing to an official with nothing waiting, nor to one who hears of each request', async () => {
    const s = await setting()
    await s.choose(s.official, 'digest')
    await sendDigests(s.db, city, now)
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(0)
    await s.choose(s.colleague, 'each')
    await s.waiting(12)
    await sendDigests(s.db, city, now)
    expect(await s.outbox([s.colleague.id], 'review.digest')).toHaveLength(0)
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(1)
  })

  it('waits for the hour on the city’s clocks', async () => {
    const s = await setting()
    await s.waiting(11)
    await sendDigests(s.db, { ...city, digestHour: 10 }, now) // 09:30 in Moscow
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(0)
    await sendDigests(s.db, { ...city, digestHour: 9 }, now)
    expect(await s.outbox([s.official.id], 'review.digest')).toHaveLength(1)
  })
})
