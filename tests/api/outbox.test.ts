/**
 * The outbox against real SMTP servers that accept, hang or refuse: sending never holds the
 * database, a hanging relay costs one timeout, and a message is sent again only when it may not
 * have been delivered.
 *
 * The test database is shared with other files, whose messages are due at the suite's now; each
 * test here queues its own messages years earlier and dispatches at that time, so it sends only
 * its own, and removes them when done.
 */
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import { smtpTransport } from '../../api/mail/smtp.ts'
import { claimLeaseMinutes, dispatchOutbox, type MailTransport } from '../../api/services/outbox.ts'
import { makeUser } from '../helpers/accounts.ts'
import { testApp } from '../helpers/app.ts'
import { day, fromNow, hour, minute, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { makeArea, makeDepartment, makeFacility, makePilot, unique } from '../helpers/fixtures.ts'

const from = 'City Testbed <testbed@city.example>'
const domain = 'outbox-test.example'

/** A point in time of this test's own, years before anything else in the database is due. */
let era = 0
function ownTime(): Date {
  era++
  return fromNow(-(10 + era) * 365 * day)
}

async function queue(at: Date, count: number, name = 'reader') {
  const { db } = await testConnection()
  const rows = await db
    .insertInto('outbox')
    .values(
      Array.from({ length: count }, (_, i) => ({
        recipient_email: `${name}-${i}-${unique('m').replaceAll(' ', '')}@${domain}`,
        template: 'booking.approved',
        subject: unique(`Message ${i}`),
        body: 'Body',
        // Written a millisecond apart, all due at once: they leave in the order written.
        created_at: new Date(at.getTime() + i),
        next_attempt_at: at,
      })),
    )
    .returning(['id', 'subject'])
    .execute()
  return rows
}

async function rowsOf(ids: string[]) {
  const { db } = await testConnection()
  const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids).execute()
  return ids.map((id) => rows.find((r) => r.id === id))
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
  const { db } = await testConnection()
  await db.deleteFrom('outbox').where('recipient_email', 'like', `%@${domain}`).execute()
})

/**
 * A real SMTP server. It counts every message it receives in full, by subject, before it
 * answers; while `holding`, it keeps the answer back until the test releases it (a relay that
 * hangs after DATA). Recipients starting with "refused" are rejected.
 */
async function relay() {
  const delivered: string[] = []
  const waiting: (() => void)[] = []
  let onHeld: (() => void) | undefined
  const state = { holding: false }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 50,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused')) callback(new Error('mailbox unavailable'))
      else callback()
    },
    onData(stream, _session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8')
      })
      stream.on('end', () => {
        delivered.push(/^Subject: (.*)$/m.exec(data)?.[1]?.trim() ?? '')
        if (!state.holding) return callback()
        waiting.push(() => callback())
        onHeld?.()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    delivered,
    state,
    /** Resolves once a message has been received in full and is being held. */
    held: () =>
      new Promise<void>((resolve) => {
        onHeld = resolve
      }),
    release() {
      for (const answer of waiting.splice(0)) answer()
    },
    count: (subject: string) => delivered.filter((s) => s === subject).length,
  }
}

/** A server that accepts connections and never says a word. */
async function silentServer() {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function catalogue() {
  const t = await testApp()
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, { areaId: area.id })
  const company = await makeUser(t.db, 'company')
  const pilot = await makePilot(t.db, company.organisationId as string, { title: unique('Smart bench') })
  return { ...t, facility, company, pilot }
}

describe('outbox dispatch', () => {
  it('sends outside any transaction: while the relay holds a message, the API reads and writes', async () => {
    const s = await catalogue()
    const mail = await relay()
    mail.state.holding = true
    const at = ownTime()
    const [message] = await queue(at, 1)
    const transport = smtpTransport(mail.url, from, { timeoutMs: 5_000 })
    const order: string[] = []
    const held = mail.held()
    const dispatch = dispatchOutbox(s.db, transport, at).then((r) => {
      order.push('mail sent')
      return r
    })
    await held

    const read = await s.app.request('/api/facilities')
    expect(read.status).toBe(200)
    order.push('read')
    const write = await s.app.request(`/api/pilots/${s.pilot.id}/bookings`, {
      method: 'POST',
      headers: { ...s.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: s.facility.id,
        start: new Date(testNow.getTime() + 2 * day).toISOString(),
        end: new Date(testNow.getTime() + 2 * day + hour).toISOString(),
      }),
    })
    expect(write.status).toBe(201)
    order.push('write')
    // Another dispatcher meanwhile leaves the message in flight alone.
    expect(await dispatchOutbox(s.db, transport, at)).toEqual({ sent: 0, retrying: 0, failed: 0 })
    order.push('second dispatcher')

    mail.release()
    expect(await dispatch).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(order).toEqual(['read', 'write', 'second dispatcher', 'mail sent'])
    expect((await rowsOf([message?.id as string]))[0]).toMatchObject({ status: 'sent', attempts: 1 })
    // Delivered once, so never sent again, however late the next run.
    mail.state.holding = false
    await dispatchOutbox(s.db, transport, new Date(at.getTime() + 2 * claimLeaseMinutes * minute))
    expect(mail.count(message?.subject as string)).toBe(1)
  })

  it('gives up on a relay that hangs after DATA at the timeout, stops the run, and retries later', async () => {
    const { db } = await testConnection()
    const mail = await relay()
    mail.state.holding = true
    const at = ownTime()
    const messages = await queue(at, 3)
    const ids = messages.map((m) => m.id)
    // 200 ms instead of the default 10 s: the test's 5 s limit fails if the option is ignored.
    const transport = smtpTransport(mail.url, from, { timeoutMs: 200 })

    expect(await dispatchOutbox(db, transport, at)).toEqual({ sent: 0, retrying: 1, failed: 0 })
    const [first, ...rest] = await rowsOf(ids)
    expect(first).toMatchObject({ status: 'pending', attempts: 1 })
    expect(first?.last_error).toMatch(/ETIMEDOUT/)
    expect(first?.next_attempt_at.getTime()).toBe(at.getTime() + minute)
    // The run stopped at the timeout: the others were not even tried.
    for (const row of rest) expect(row).toMatchObject({ status: 'pending', attempts: 0 })

    mail.state.holding = false
    mail.release()
    expect(await dispatchOutbox(db, transport, new Date(at.getTime() + minute))).toEqual({
      sent: 3,
      retrying: 0,
      failed: 0,
    })
    for (const row of await rowsOf(ids)) expect(row?.status).toBe('sent')
    // The relay had the first one in full before it hung, so it has it twice (SMTP cannot tell);
    // the others once.
    expect(messages.map((m) => mail.count(m.subject))).toEqual([2, 1, 1])
  }, 5_000)

  it('gives up on a relay that accepts the connection and never greets', async () => {
    const { db } = await testConnection()
    const url = await silentServer()
    const at = ownTime()
    const ids = (await queue(at, 2)).map((m) => m.id)
    const transport = smtpTransport(url, from, { timeoutMs: 200 })
    expect(await dispatchOutbox(db, transport, at)).toEqual({ sent: 0, retrying: 1, failed: 0 })
    const [first, second] = await rowsOf(ids)
    expect(first).toMatchObject({ status: 'pending', attempts: 1 })
    expect(first?.last_error).toMatch(/^SMTP relay unavailable: .*ETIMEDOUT/)
    expect(second).toMatchObject({ status: 'pending', attempts: 0 })
  }, 5_000)

  it('stops at a relay that refuses connections, but goes on past a refused recipient', async () => {
    const { db } = await testConnection()
    const closed = await silentServer()
    await closers.pop()?.()
    const at = ownTime()
    const down = (await queue(at, 2)).map((m) => m.id)
    expect(await dispatchOutbox(db, smtpTransport(closed, from), at)).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    })
    expect((await rowsOf(down)).map((r) => r?.attempts)).toEqual([1, 0])
    expect((await rowsOf(down))[0]?.last_error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/)
    await db.deleteFrom('outbox').where('id', 'in', down).execute()

    const mail = await relay()
    const refused = await queue(at, 1, 'refused')
    const accepted = await queue(at, 2)
    const transport = smtpTransport(mail.url, from)
    expect(await dispatchOutbox(db, transport, at)).toEqual({ sent: 2, retrying: 1, failed: 0 })
    const [row] = await rowsOf([refused[0]?.id as string])
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row?.last_error).toMatch(/mailbox unavailable/)
    expect(accepted.map((m) => mail.count(m.subject))).toEqual([1, 1])
  })

  it('never sends one message twice from dispatchers running at once', async () => {
    const { db } = await testConnection()
    const mail = await relay()
    const at = ownTime()
    const messages = await queue(at, 12)
    const transport = smtpTransport(mail.url, from)
    const results = await Promise.all([1, 2, 3].map(() => dispatchOutbox(db, transport, at)))
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(12)
    expect(messages.map((m) => mail.count(m.subject))).toEqual(messages.map(() => 1))
  })

  it('leaves the message of a dispatcher that died mid-send for the lease, and only that one', async () => {
    const { db } = await testConnection()
    const mail = await relay()
    const at = ownTime()
    const messages = await queue(at, 3)
    // A dispatcher that never comes back from its first send: to the database, a dead one.
    const stuck: MailTransport = { name: 'stuck', send: () => new Promise<void>(() => {}) }
    void dispatchOutbox(db, stuck, at)
    const transport = smtpTransport(mail.url, from)
    // Wait until the stuck dispatcher holds its claim; another run meanwhile sends the rest.
    let claimed: string | undefined
    for (let i = 0; i < 100 && !claimed; i++) {
      const rows = await rowsOf(messages.map((m) => m.id))
      claimed = rows.find((r) => r?.attempts === 1)?.id
    }
    expect(claimed).toBeDefined()
    expect(await dispatchOutbox(db, transport, new Date(at.getTime() + minute))).toEqual({
      sent: 2,
      retrying: 0,
      failed: 0,
    })
    const lease = claimLeaseMinutes * minute
    expect(await dispatchOutbox(db, transport, new Date(at.getTime() + lease - 1000))).toMatchObject({
      sent: 0,
    })
    expect(await dispatchOutbox(db, transport, new Date(at.getTime() + lease))).toMatchObject({ sent: 1 })
    expect(messages.map((m) => mail.count(m.subject))).toEqual([1, 1, 1])
    const rows = await rowsOf(messages.map((m) => m.id))
    expect(rows.find((r) => r?.id === claimed)).toMatchObject({ status: 'sent', attempts: 2 })
  })
})
