import { spawn } from 'node:child_process'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { type Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database, OutboxStatus } from '../../db/types.ts'
import { runCli } from '../../scripts/cli.ts'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, hour, minute, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { unique } from '../helpers/fixtures.ts'

const newEmail = (label: string) => `${unique(label).replace(' ', '-')}@city.example`
const newPassword = () => unique('fresh passphrase')

/** What the CLI writes, kept as text. */
class TextSink extends Writable {
  text = ''
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void) {
    this.text += chunk.toString()
    done()
  }
}

/** The CLI run in this process on the test database (or `db`, a transaction of the test's), at the suite's now. */
async function cli(args: string[], options: { stdin?: string; db?: Kysely<Database>; now?: Date } = {}) {
  const stdout = new TextSink()
  const stderr = new TextSink()
  const at = options.now ?? testNow
  const code = await runCli(args, {
    stdin: options.stdin ?? '',
    stdout,
    stderr,
    db: options.db ?? (await testConnection()).db,
    now: () => at,
    env: {},
  })
  return { code, out: stdout.text, err: stderr.text }
}

/** Signs in through the real app at the suite's now, as a client of its own. */
async function signIn(email: string, password: string) {
  const { app } = await testApp({ now: testNow })
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  return { status: res.status, body: await json(res) }
}

async function userRow(email: string) {
  const { db } = await testConnection()
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

async function eventsAbout(subjectId: string) {
  const { db } = await testConnection()
  return db
    .selectFrom('events')
    .select(['action', 'at', 'actor_id', 'details'])
    .where('subject_id', '=', subjectId)
    .execute()
}

/**
 * Runs `work` in a transaction that sees one snapshot of the database and is rolled back after:
 * what the CLI reads there compares exactly with the database although other files write
 * meanwhile, and what it changes (reviving every failed message, say) never reaches them.
 */
async function inSnapshot(work: (tx: Kysely<Database>) => Promise<void>) {
  const { db } = await testConnection()
  const tx = await db.startTransaction().setIsolationLevel('repeatable read').execute()
  try {
    await work(tx)
  } finally {
    await tx.rollback().execute()
  }
}

describe('operator CLI: accounts', () => {
  it('create-admin makes an admin who signs in and administers, with the password from stdin', async () => {
    const email = newEmail('chief')
    const password = newPassword()
    const created = await cli(['create-admin', '--email', email.toUpperCase(), '--name', 'Chief Admin'], {
      stdin: `${password}\n`,
    })
    expect(created).toEqual({ code: 0, out: `admin ${email} created\n`, err: '' })

    const row = await userRow(email)
    expect(row).toMatchObject({ role: 'admin', active: true, name: 'Chief Admin', created_at: testNow })
    expect(await eventsAbout(row?.id ?? '')).toEqual([
      {
        action: 'user.created',
        at: testNow,
        actor_id: null,
        details: { via: 'cli', after: { email, role: 'admin' } },
      },
    ])
    const signedIn = await signIn(email, password)
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.user.role).toBe('admin')
    const users = await (await testApp({ now: testNow })).app.request('/api/users', {
      headers: { authorization: `Bearer ${signedIn.body.token}` },
    })
    expect(users.status).toBe(200)
  })

  it('reset-password: the new password signs in, the old one no longer does, and open sessions end', async () => {
    const { db } = await testConnection()
    const user = await makeUser(db, 'official', { sessionAt: testNow })
    const { app } = await testApp({ now: testNow })
    expect((await app.request('/api/me', { headers: user.headers })).status).toBe(200)
    const password = newPassword()

    // The first line of stdin, as a Windows pipe ends it.
    const reset = await cli(['reset-password', '--email', user.email], { stdin: `${password}\r\nignored\n` })
    expect(reset).toEqual({
      code: 0,
      out: `password of ${user.email} reset; their sessions have ended\n`,
      err: '',
    })

    expect((await signIn(user.email, testPassword)).status).toBe(401)
    expect((await signIn(user.email, password)).status).toBe(200)
    expect((await app.request('/api/me', { headers: user.headers })).status).toBe(401)
    expect((await userRow(user.email))?.updated_at).toEqual(testNow)
    expect(await eventsAbout(user.id)).toContainEqual({
      action: 'user.password_reset',
      at: testNow,
      actor_id: null,
      details: { via: 'cli' },
    })
  })

  it('list-users --role admin lists exactly the admins in the database', async () => {
    await inSnapshot(async (tx) => {
      const admin = await makeUser(tx, 'admin', { sessionAt: testNow })
      const company = await makeUser(tx, 'company', { sessionAt: testNow })
      const admins = await tx
        .selectFrom('users')
        .select('email')
        .where('role', '=', 'admin')
        .orderBy('email')
        .execute()

      const listed = await cli(['list-users', '--role', 'admin'], { db: tx })
      expect(listed.code).toBe(0)
      const lines = listed.out.trimEnd().split('\n')
      expect(lines.at(-1)).toBe(`${admins.length} users`)
      expect(lines.slice(0, -1).map((line) => line.split(' ')[0])).toEqual(admins.map((a) => a.email))
      expect(lines).toContain(`${admin.email.padEnd(32)} admin     active   `)
      expect(listed.out).not.toContain(company.email)
    })
  })

  it('a deactivated account stays locked out: listed inactive, and a new password does not let it in', async () => {
    const { db } = await testConnection()
    const admin = await makeUser(db, 'admin', { sessionAt: testNow })
    const member = await makeUser(db, 'company', { sessionAt: testNow })
    expect((await signIn(member.email, testPassword)).status).toBe(200)
    const deactivated = await (await testApp({ now: testNow })).app.request(`/api/users/${member.id}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    })
    expect(deactivated.status).toBe(200)
    expect((await signIn(member.email, testPassword)).status).toBe(401)

    const organisation = await db
      .selectFrom('organisations')
      .select('name')
      .where('id', '=', member.organisationId ?? '')
      .executeTakeFirstOrThrow()
    const listed = await cli(['list-users', '--role', 'company'])
    expect(listed.out.split('\n')).toContain(
      `${member.email.padEnd(32)} company   inactive ${organisation.name}`,
    )

    const password = newPassword()
    expect((await cli(['reset-password', '--email', member.email], { stdin: password })).code).toBe(0)
    expect((await signIn(member.email, password)).status).toBe(401)
    expect((await userRow(member.email))?.active).toBe(false)
  })
})

describe('operator CLI: refusals change nothing', () => {
  it('refuses a weak password, for a new admin and for a reset', async () => {
    const email = newEmail('weak')
    const created = await cli(['create-admin', '--email', email, '--name', 'Weak'], { stdin: 'short\n' })
    expect(created.code).toBe(2)
    expect(created.err).toContain('error: the password must be at least 10 characters')
    expect(await userRow(email)).toBeUndefined()

    const { db } = await testConnection()
    const user = await makeUser(db, 'company', { sessionAt: testNow })
    const before = await userRow(user.email)
    const [local = ''] = user.email.split('@')
    const reset = await cli(['reset-password', '--email', user.email], { stdin: `${local}\n` })
    expect(reset.code).toBe(2)
    expect(reset.err).toContain('error: the password must not be your e-mail address')
    expect(await userRow(user.email)).toEqual(before)
    expect((await signIn(user.email, testPassword)).status).toBe(200)
  })

  it('refuses a second account with an e-mail already taken, in any case, and leaves the first alone', async () => {
    const { db } = await testConnection()
    const user = await makeUser(db, 'company', { sessionAt: testNow })
    const before = await userRow(user.email)
    const duplicate = await cli(['create-admin', '--email', user.email.toUpperCase(), '--name', 'Usurper'], {
      stdin: `${newPassword()}\n`,
    })
    expect(duplicate.code).toBe(2)
    expect(duplicate.err).toContain(`error: a user with the e-mail ${user.email} exists already`)
    expect(await userRow(user.email)).toEqual(before)
    const signedIn = await signIn(user.email, testPassword)
    expect(signedIn.body.user.role).toBe('company')
  })

  it('refuses to reset the password of an unknown user, and makes no one', async () => {
    const email = newEmail('nobody')
    const reset = await cli(['reset-password', '--email', email], { stdin: `${newPassword()}\n` })
    expect(reset.code).toBe(2)
    expect(reset.err).toContain(`error: no user has the e-mail ${email}`)
    expect(await userRow(email)).toBeUndefined()
  })

  it('refuses a password on the command line, where shell history and process lists would keep it', async () => {
    const email = newEmail('argv')
    const password = newPassword()
    const refused = await cli(['create-admin', '--email', email, '--name', 'Argv', '--password', password], {
      stdin: `${password}\n`,
    })
    expect(refused.code).toBe(2)
    expect(refused.err).toContain("Unknown option '--password'")
    expect(refused.err).not.toContain(password)
    expect(await userRow(email)).toBeUndefined()
  })

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['create-admin', '--name', 'X'], '--email must be an e-mail address'],
    [['create-admin', '--email', 'x@city.example'], '--name is required'],
    [['list-users', '--role', 'king'], '--role must be admin, official or company'],
    [['list-users', '--bogus'], "Unknown option '--bogus'"],
    [['outbox', 'retry'], 'outbox retry needs --id ID or --failed'],
    [['outbox', 'retry', '--id', 'zzz'], '--id must be a message id'],
    [['outbox', 'shred'], 'unknown outbox action "shred"'],
  ])('explains bad usage %j with exit code 2', async (args, message) => {
    const result = await cli(args)
    expect(result).toMatchObject({ code: 2, out: '' })
    expect(result.err).toContain(`error: ${message}`)
    expect(result.err).toContain('\n\nusage: npm run cli -- <command>')
  })
})

/** Earlier than any message another test makes, so that this file's are the only ones due then. */
const longAgo = fromNow(-20 * 365 * day)

async function makeMessage(
  db: Kysely<Database>,
  message: {
    status: OutboxStatus
    nextAttemptAt: Date
    attempts?: number
    lastError?: string
    createdAt?: Date
  },
) {
  const row = await db
    .insertInto('outbox')
    .values({
      recipient_email: newEmail('ops'),
      template: 'booking.approved',
      subject: unique('Subject'),
      body: 'Body',
      status: message.status,
      attempts: message.attempts ?? 0,
      next_attempt_at: message.nextAttemptAt,
      created_at: message.createdAt ?? longAgo,
      last_error: message.lastError ?? null,
    })
    .returning(['id', 'recipient_email', 'subject'])
    .executeTakeFirstOrThrow()
  return { id: row.id, line: `${row.recipient_email}: ${row.subject}` }
}

async function outboxRow(db: Kysely<Database>, id: string) {
  return db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'next_attempt_at', 'sent_at', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

describe('operator CLI: outbox', () => {
  it('counts the messages by status as the database has them, and shows those not yet sent', async () => {
    await inSnapshot(async (tx) => {
      // Older than any other message, so among the 50 oldest unsent that the list shows.
      const createdAt = new Date(longAgo.getTime() - day)
      const pending = await makeMessage(tx, { status: 'pending', nextAttemptAt: longAgo, createdAt })
      const failed = await makeMessage(tx, {
        status: 'failed',
        nextAttemptAt: longAgo,
        attempts: 8,
        lastError: 'relay refused',
        createdAt,
      })
      const sent = await makeMessage(tx, { status: 'sent', nextAttemptAt: longAgo, attempts: 1, createdAt })
      const counts = await tx
        .selectFrom('outbox')
        .select(['status', sql<number>`count(*)::int`.as('n')])
        .groupBy('status')
        .execute()

      const listed = await cli(['outbox'], { db: tx })
      expect(listed.code).toBe(0)
      const [summary = '', ...lines] = listed.out.trimEnd().split('\n')
      expect(Object.fromEntries(summary.split(', ').map((part) => part.split(': ')))).toEqual(
        Object.fromEntries(counts.map((c) => [c.status, String(c.n)])),
      )
      const next = longAgo.toISOString()
      expect(lines).toContain(`${pending.id} pending tries 0 next ${next} ${pending.line}`)
      expect(lines).toContain(
        `${failed.id} failed  tries 8 next ${next} ${failed.line}  last error: relay refused`,
      )
      expect(listed.out).not.toContain(sent.id)
    })
  })

  it('retry --failed queues every failed message again, due now', async () => {
    await inSnapshot(async (tx) => {
      const failed = [
        await makeMessage(tx, {
          status: 'failed',
          nextAttemptAt: longAgo,
          attempts: 8,
          lastError: 'refused',
        }),
        await makeMessage(tx, {
          status: 'failed',
          nextAttemptAt: longAgo,
          attempts: 8,
          lastError: 'refused',
        }),
      ]
      const sent = await makeMessage(tx, { status: 'sent', nextAttemptAt: longAgo, attempts: 1 })
      const failedCount = async () =>
        (
          await tx
            .selectFrom('outbox')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('status', '=', 'failed')
            .executeTakeFirstOrThrow()
        ).n
      const before = await failedCount()

      const retried = await cli(['outbox', 'retry', '--failed'], { db: tx })
      expect(retried).toEqual({
        code: 0,
        out: `${before} message(s) queued again; they go out with the next send\n`,
        err: '',
      })
      for (const message of failed) {
        expect(await outboxRow(tx, message.id)).toMatchObject({
          status: 'pending',
          attempts: 0,
          next_attempt_at: testNow,
        })
      }
      expect(await failedCount()).toBe(0)
      expect((await outboxRow(tx, sent.id)).status).toBe('sent')
    })
  })

  it('retry --id queues that failed message only', async () => {
    await inSnapshot(async (tx) => {
      const chosen = await makeMessage(tx, { status: 'failed', nextAttemptAt: longAgo, attempts: 8 })
      const other = await makeMessage(tx, { status: 'failed', nextAttemptAt: longAgo, attempts: 8 })
      const pending = await makeMessage(tx, { status: 'pending', nextAttemptAt: longAgo, attempts: 3 })

      const retried = await cli(['outbox', 'retry', '--id', chosen.id], { db: tx })
      expect(retried.out).toBe('1 message(s) queued again; they go out with the next send\n')
      expect(await outboxRow(tx, chosen.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        next_attempt_at: testNow,
      })
      expect(await outboxRow(tx, other.id)).toMatchObject({ status: 'failed', attempts: 8 })

      // Only failed messages are revived: a pending one keeps its count of attempts.
      const notFailed = await cli(['outbox', 'retry', '--id', pending.id], { db: tx })
      expect(notFailed.out).toMatch(/^0 message\(s\) queued again/)
      expect(await outboxRow(tx, pending.id)).toMatchObject({ status: 'pending', attempts: 3 })
    })
  })

  it('send delivers what is due at its clock, marks it sent, and counts it', async () => {
    const { db } = await testConnection()
    const sentAtLongAgo = async () =>
      (await db.selectFrom('outbox').select('id').where('sent_at', '=', longAgo).execute()).map((m) => m.id)
    const sentBefore = await sentAtLongAgo()
    // Due at `longAgo`; other files' dispatchers (whose clocks are decades later) may send them too,
    // so what this run sent is told apart by its clock in sent_at.
    const due = [
      await makeMessage(db, { status: 'pending', nextAttemptAt: new Date(longAgo.getTime() - minute) }),
      await makeMessage(db, {
        status: 'pending',
        nextAttemptAt: new Date(longAgo.getTime() - hour),
        attempts: 2,
      }),
    ]
    // Not due to anyone before its time, decades from now.
    const notYet = await makeMessage(db, { status: 'pending', nextAttemptAt: fromNow(50 * 365 * day) })
    const failed = await makeMessage(db, {
      status: 'failed',
      nextAttemptAt: new Date(longAgo.getTime() - hour),
    })
    try {
      const sent = await cli(['outbox', 'send'], { now: longAgo })
      expect(sent.code).toBe(0)
      const counts = /^sent (\d+), will retry 0, failed 0 \(log\)\n$/.exec(sent.out)
      expect(counts, sent.out).not.toBeNull()

      const sentNow = (await sentAtLongAgo()).filter((id) => !sentBefore.includes(id))
      expect(sentNow.length).toBe(Number(counts?.[1]))
      expect(due.map((m) => m.id)).toEqual(expect.arrayContaining(sentNow))
      for (const message of due) expect((await outboxRow(db, message.id)).status).toBe('sent')
      expect(await outboxRow(db, notYet.id)).toMatchObject({ status: 'pending', attempts: 0, sent_at: null })
      expect(await outboxRow(db, failed.id)).toMatchObject({ status: 'failed', sent_at: null })
    } finally {
      // Timed decades off, these would stand in the way of the next run on this database.
      const ids = [...due, notYet, failed].map((m) => m.id)
      await db.deleteFrom('outbox').where('id', 'in', ids).execute()
    }
  })
})

/** The Node that `npm run cli` runs on: the pinned one, whichever Node runs the tests. */
const pinnedNode = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url))

/** `node scripts/cli.ts …args` as an operator runs it, with `stdin` piped in. */
function program(args: string[], stdin = '') {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(pinnedNode, ['scripts/cli.ts', ...args], { stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text
    })
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('operator CLI: the program', () => {
  it('runs as a program: usage on stdout, exit code 2 for bad usage, the password read from piped stdin', async () => {
    const email = newEmail('piped')
    const [local = ''] = email.split('@')
    const [help, unknown, piped] = await Promise.all([
      program(['help']),
      program(['frobnicate']),
      // Refused for what the piped line says (the address's own name), so it was read from stdin.
      program(['create-admin', '--email', email, '--name', 'Piped'], `${local}\r\n`),
    ])
    expect(help).toMatchObject({ code: 0, stderr: '' })
    expect(help.stdout).toMatch(/^usage: npm run cli -- <command>/)
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toMatch(/^error: unknown command "frobnicate"\n\nusage: npm run cli/)
    expect(piped).toMatchObject({ code: 2, stdout: '' })
    expect(piped.stderr).toMatch(/^error: the password must not be your e-mail address\n\nusage: npm run cli/)
    expect(await userRow(email)).toBeUndefined()
  }, 60_000)
})
