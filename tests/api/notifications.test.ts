import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smtpTransport } from '../../api/mail/smtp.ts'
import { runMaintenance } from '../../api/services/maintenance.ts'
import { backoffMinutes, dispatchOutbox, type MailTransport, maxAttempts } from '../../api/services/outbox.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

const now = testNow

/** A local SMTP server standing in for the city's mail relay: it keeps every message it receives. */
const received: { to: string[]; data: string }[] = []
let smtp: SMTPServer
let smtpUrl: string

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8')
      })
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

async function setting(at = now) {
  const t = await testApp({ now: at })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, { areaId: area.id })
  const official = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: at })
  await t.db.updateTable('users').set({ language: 'ru' }).where('id', '=', official.id).execute()
  const company = await makeUser(t.db, 'company', { sessionAt: at })
  const pilot = await makePilot(t.db, company.organisationId as string, { title: unique('Smart bench') })
  return { ...t, department, facility, official, company, pilot }
}

const messagesTo = async (db: Awaited<ReturnType<typeof setting>>['db'], userId: string) =>
  db.selectFrom('outbox').selectAll().where('recipient_user_id', '=', userId).orderBy('created_at').execute()

describe('notifications', () => {
  it('tells the reviewing officials of a request in their language, in the same transaction', async () => {
    const s = await setting()
    const res = await s.app.request(`/api/pilots/${s.pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: s.facility.id,
        start: new Date(now.getTime() + 2 * day).toISOString(),
        end: new Date(now.getTime() + 2 * day + hour).toISOString(),
      }),
    })
    expect(res.status).toBe(201)
    const [message] = await messagesTo(s.db, s.official.id)
    expect(message).toMatchObject({
      template: 'booking.submitted',
      language: 'ru',
      status: 'pending',
      recipient_email: s.official.email,
    })
    expect(message?.subject).toContain('Новая заявка')
    expect(message?.subject).toContain(s.pilot.title)
    expect(message?.body).toContain('(Europe/Moscow)')
  })

  it('sends the applicant a receipt for the request, in the applicant’s language', async () => {
    const s = await setting()
    await s.db.updateTable('users').set({ language: 'ru' }).where('id', '=', s.company.id).execute()
    const res = await s.app.request(`/api/pilots/${s.pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: s.facility.id,
        start: new Date(now.getTime() + 3 * day).toISOString(),
        end: new Date(now.getTime() + 3 * day + hour).toISOString(),
      }),
    })
    expect(res.status).toBe(201)
    const messages = await messagesTo(s.db, s.company.id)
    expect(messages).toEqual([
      expect.objectContaining({
        template: 'booking.received',
        language: 'ru',
        recipient_email: s.company.email,
      }),
    ])
    expect(messages[0]?.subject).toBe(`Заявка получена: ${s.pilot.title}, ${s.facility.name}`)
  })

  it('tells the officials of a withdrawal with the applicant’s reason, and refuses to withdraw what is over', async () => {
    const s = await setting()
    const booking = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() + 4 * day),
      end: new Date(now.getTime() + 4 * day + hour),
      departmentIds: [s.department.id],
      createdBy: s.company.id,
    })
    const withdraw = (id: string) =>
      s.app.request(`/api/bookings/${id}/cancel`, {
        method: 'POST',
        headers: { ...s.company.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'The sensors failed the lab test.' }),
      })
    expect((await withdraw(booking)).status).toBe(200)
    const [message] = (await messagesTo(s.db, s.official.id)).filter(
      (m) => m.template === 'booking.withdrawn',
    )
    expect(message?.body).toContain('The sensors failed the lab test.')
    const over = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() - 2 * day),
      end: new Date(now.getTime() - 2 * day + hour),
      state: 'approved',
      departmentIds: [s.department.id],
      createdBy: s.company.id,
    })
    const refused = await withdraw(over)
    expect(refused.status).toBe(409)
    expect((await json(refused)).code).toBe('invalid_state')
    const row = await s.db
      .selectFrom('bookings')
      .select('state')
      .where('id', '=', over)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('approved')
  })

  it('tells the applicant each decision, with the department and its reason', async () => {
    const s = await setting()
    const id = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() + 3 * day),
      end: new Date(now.getTime() + 3 * day + hour),
      departmentIds: [s.department.id],
      createdBy: s.company.id,
    })
    await s.app.request(`/api/bookings/${id}/reviews`, {
      method: 'POST',
      headers: { ...s.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'request_changes', note: 'Move it to the afternoon.' }),
    })
    const [message] = await messagesTo(s.db, s.company.id)
    expect(message).toMatchObject({ template: 'booking.changes_requested', language: 'en' })
    expect(message?.subject).toMatch(/^Changes requested/)
    expect(message?.body).toContain(s.department.name)
    expect(message?.body).toContain('Reason: Move it to the afternoon.')
  })

  it('are sent through SMTP and marked sent, once', async () => {
    const s = await setting()
    const id = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() + 4 * day),
      end: new Date(now.getTime() + 4 * day + hour),
      departmentIds: [s.department.id],
      createdBy: s.company.id,
    })
    await s.app.request(`/api/bookings/${id}/reviews`, {
      method: 'POST',
      headers: { ...s.official.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'approve' }),
    })
    const transport = smtpTransport(smtpUrl, 'City Testbed <testbed@city.example>')
    // Send everything due, whoever's it is, until nothing is left.
    for (let i = 0; i < 50; i++) {
      const r = await dispatchOutbox(s.db, transport, new Date(now.getTime() + 60_000), 500)
      if (r.sent + r.retrying + r.failed === 0) break
    }
    const mine = received.filter((m) => m.to.includes(s.company.email))
    expect(mine).toHaveLength(1)
    expect(mine[0]?.data).toContain('Subject: Approved:')
    const [row] = await messagesTo(s.db, s.company.id)
    expect(row).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it('are kept and retried with backoff when sending fails, and marked failed after the last attempt', async () => {
    const s = await setting()
    await s.db
      .insertInto('outbox')
      .values({
        recipient_user_id: s.company.id,
        recipient_email: s.company.email,
        template: 'booking.approved',
        subject: 'Test',
        body: 'Body',
        next_attempt_at: now,
        created_at: now,
      })
      .execute()
    const broken: MailTransport = {
      name: 'broken',
      async send(message) {
        if (message.to === s.company.email) throw new Error('relay refused the connection')
      },
    }
    let clock = now.getTime()
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await dispatchOutbox(s.db, broken, new Date(clock), 500)
      const [row] = await messagesTo(s.db, s.company.id)
      expect(row?.attempts).toBe(attempt)
      expect(row?.last_error).toBe('relay refused the connection')
      if (attempt < maxAttempts) {
        expect(row?.status).toBe('pending')
        expect(row?.next_attempt_at.getTime()).toBe(clock + backoffMinutes(attempt) * 60_000)
        // Not due yet: a dispatch a second early leaves it alone.
        await dispatchOutbox(s.db, broken, new Date(clock + backoffMinutes(attempt) * 60_000 - 1000), 500)
        expect((await messagesTo(s.db, s.company.id))[0]?.attempts).toBe(attempt)
        clock += backoffMinutes(attempt) * 60_000
      } else {
        expect(row?.status).toBe('failed')
      }
    }
  })
})

describe('expiry of undecided requests', () => {
  // Expiry looks at every booking in the database; requests that other tests leave pending were
  // changed at the suite's now (or in their own future), so only these tests' backdated ones expire.
  it('cancels a request left pending too long, frees the slot and tells the applicant', async () => {
    const s = await setting(now)
    const id = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() + 60 * day),
      end: new Date(now.getTime() + 60 * day + hour),
      departmentIds: [s.department.id],
      createdBy: s.company.id,
    })
    await s.db
      .updateTable('bookings')
      .set({ updated_at: new Date(now.getTime() - 31 * day) })
      .where('id', '=', id)
      .execute()
    const quiet: MailTransport = { name: 'quiet', async send() {} }
    await runMaintenance(s.db, quiet, { bookingExpiryDays: 30, cityTimeZone: 'Europe/Moscow' }, now)
    const booking = await json(await s.app.request(`/api/bookings/${id}`, { headers: s.company.headers }))
    expect(booking.state).toBe('cancelled')
    expect(booking.cancelReason).toMatch(/expired/)
    const [message] = await messagesTo(s.db, s.company.id)
    expect(message?.template).toBe('booking.expired')
    const events = await json(
      await s.app.request(`/api/bookings/${id}/events`, { headers: s.company.headers }),
    )
    expect(events.items.at(-1).action).toBe('booking.expired')
  })

  it('leaves a request that was changed recently alone', async () => {
    const s = await setting(now)
    const id = await makeBooking(s.db, {
      pilotId: s.pilot.id,
      facilityId: s.facility.id,
      start: new Date(now.getTime() + 60 * day),
      end: new Date(now.getTime() + 60 * day + hour),
      departmentIds: [s.department.id],
    })
    await s.db
      .updateTable('bookings')
      .set({ updated_at: new Date(now.getTime() - 29 * day) })
      .where('id', '=', id)
      .execute()
    await runMaintenance(
      s.db,
      { name: 'quiet', async send() {} },
      { bookingExpiryDays: 30, cityTimeZone: 'Europe/Moscow' },
      now,
    )
    const row = await s.db
      .selectFrom('bookings')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.state).toBe('pending')
  })
})
