import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, minute, testClock, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

// Off the suite's now by a few seconds: the authorization matrix forgets feedback counted at now.
const start = new Date(testNow.getTime() + 7000)

async function setting() {
  const clock = testClock(start)
  const t = await testApp({ clock: clock.now })
  const signoff = await makeDepartment(t.db)
  const area = await makeArea(t.db)
  const site = await makeFacility(t.db, { areaId: area.id, signoffDepartmentIds: [signoff.id] })
  const company = await makeUser(t.db, 'company')
  const rival = await makeUser(t.db, 'company')
  const manager = await makeUser(t.db, 'official', { departmentId: area.departmentId })
  const planner = await makeUser(t.db, 'official', { departmentId: signoff.id })
  const stranger = await makeUser(t.db, 'official')
  const admin = await makeUser(t.db, 'admin')
  await t.db.updateTable('users').set({ language: 'ru' }).where('id', '=', planner.id).execute()
  const pilot = await makePilot(t.db, company.organisationId as string)
  const bookingStart = new Date(testNow.getTime() + 3 * day)
  await makeBooking(t.db, {
    pilotId: pilot.id,
    facilityId: site.id,
    start: bookingStart,
    end: new Date(bookingStart.getTime() + 2 * hour),
    state: 'approved',
    departmentIds: [area.departmentId, signoff.id],
  })
  const send = async (method: string, path: string, user: TestUser | null, body?: unknown) =>
    t.app.request(`/api${path}`, {
      method,
      headers: { ...(user?.headers ?? {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const give = (body: unknown, id = pilot.id) => send('POST', `/pilots/${id}/feedback`, null, body)
  const list = (user: TestUser | null) => send('GET', `/pilots/${pilot.id}/feedback`, user)
  return {
    ...t,
    clock,
    site,
    area,
    company,
    rival,
    manager,
    planner,
    stranger,
    admin,
    pilot,
    send,
    give,
    list,
  }
}

describe('POST /api/pilots/:id/feedback', () => {
  it('takes a message from anyone, stores it and writes to the contact and the officials', async () => {
    const s = await setting()
    const res = await s.give({
      message: 'The new lights are too bright at night.',
      email: 'resident@mail.example',
    })
    expect(res.status).toBe(202)
    const { id } = await json(res)
    const mails = await s.db
      .selectFrom('outbox')
      .select(['recipient_email', 'language', 'subject', 'body'])
      .where(sql<boolean>`payload->>'feedbackId' = ${id}`)
      .orderBy('recipient_email')
      .execute()
    expect(mails.map((m) => m.recipient_email).sort()).toEqual(
      ['pilot@test.example', s.manager.email, s.planner.email].sort(),
    )
    const planner = mails.find((m) => m.recipient_email === s.planner.email)
    expect(planner?.language).toBe('ru')
    expect(planner?.subject).toMatch(/Житель написал/)
    expect(planner?.body).toContain('The new lights are too bright at night.')
    expect(planner?.body).toContain('resident@mail.example')
    const event = await s.db
      .selectFrom('events')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', s.pilot.id)
      .where('action', '=', 'pilot.feedback')
      .executeTakeFirst()
    expect(event).toEqual({ action: 'pilot.feedback', actor_id: null })
  })

  it('allows five an hour per client address: the sixth is 429 with Retry-After', async () => {
    const s = await setting()
    for (let i = 0; i < 5; i++) {
      expect((await s.give({ message: `Message ${i}` })).status).toBe(202)
      s.clock.advance(minute)
    }
    const sixth = await s.give({ message: 'One too many' })
    expect(sixth.status).toBe(429)
    expect((await json(sixth)).code).toBe('rate_limited')
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0)
    // Once the first leaves the hour, one more goes through.
    s.clock.set(new Date(start.getTime() + hour + minute))
    expect((await s.give({ message: 'An hour later' })).status).toBe(202)
    expect((await json(await s.list(s.company))).items).toHaveLength(6)
  })

  it('refuses bad messages with 400 and pilots that are not public with 404', async () => {
    const s = await setting()
    for (const body of [
      {},
      { message: '' },
      { message: '   ' },
      { message: 'x'.repeat(2001) },
      { message: 'Hi', email: 'nope' },
    ]) {
      expect((await s.give(body)).status).toBe(400)
    }
    expect((await s.give({ message: 'x'.repeat(2000) })).status).toBe(202)
    const draft = await makePilot(s.db, s.company.organisationId as string)
    expect((await s.give({ message: 'Hello' }, draft.id)).status).toBe(404)
    expect((await s.give({ message: 'Hello' }, crypto.randomUUID())).status).toBe(404)
  })
})

describe('GET /api/pilots/:id/feedback', () => {
  it('lists it, newest first, to the organisation, the signing-off officials and admins only', async () => {
    const s = await setting()
    await s.give({ message: 'First', email: 'a@mail.example' })
    s.clock.advance(minute)
    await s.give({ message: 'Second' })
    for (const user of [s.company, s.manager, s.planner, s.admin]) {
      const res = await s.list(user)
      expect(res.status, user.role).toBe(200)
      const body = await json(res)
      expect(body.items.map((f: { message: string }) => f.message)).toEqual(['Second', 'First'])
      expect(body.items[1]).toMatchObject({ pilotId: s.pilot.id, email: 'a@mail.example' })
    }
    for (const user of [null, s.rival, s.stranger]) expect((await s.list(user)).status).toBe(404)
    // Never on the public pilot page.
    const page = await json(await s.send('GET', `/pilots/${s.pilot.id}`, null))
    expect(JSON.stringify(page)).not.toContain('Second')
  })

  it('pages on with a cursor', async () => {
    const s = await setting()
    for (let i = 0; i < 3; i++) {
      await s.give({ message: `Note ${i}` })
      s.clock.advance(minute)
    }
    const first = await json(await s.send('GET', `/pilots/${s.pilot.id}/feedback?limit=2`, s.admin))
    expect(first.items.map((f: { message: string }) => f.message)).toEqual(['Note 2', 'Note 1'])
    const next = await json(
      await s.send('GET', `/pilots/${s.pilot.id}/feedback?limit=2&cursor=${first.nextCursor}`, s.admin),
    )
    expect(next.items.map((f: { message: string }) => f.message)).toEqual(['Note 0'])
    expect(next.nextCursor).toBeNull()
  })
})
