/**
 * Drill: e-mail never blocks the API and is sent at most once per crash (issue 15, point 4).
 *
 * 1. Reads while the relay hangs. The real server (`node api/server.ts`) serves the demo city on
 *    a fresh PostgreSQL database this drill creates; the company requests bookings, which queue
 *    notifications to the officials. A dispatcher (the outbox service, run from this process on
 *    the same database) sends them through a local SMTP server that takes each message and then
 *    hangs; meanwhile the drill measures API reads. Then the relay answers again (100 ms per
 *    message) and the reads are measured while the rest goes out. Without --quick the same runs
 *    on the embedded PGlite database, where the server's own start-up maintenance sends through
 *    the hanging relay (PGlite has one connection: a transaction held across the send would stop
 *    every request).
 * 2. kill -9 mid-batch. A dispatcher process sends 50 messages through a relay that takes 100 ms
 *    each (50 with --quick) and counts every delivery; it is killed with SIGKILL after 20, and a new dispatcher,
 *    run once the claim's lease is over, sends the rest. Every message must arrive; at most the
 *    one in flight may arrive twice.
 *
 * `node bench/drills/mail.ts [--quick]`
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { SMTPServer } from 'smtp-server'
import { smtpTransport } from '../../api/mail/smtp.ts'
import { claimLeaseMinutes, dispatchOutbox } from '../../api/services/outbox.ts'
import { connect } from '../../db/connect.ts'
import { migrateToLatest } from '../../db/migrate.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const node = join(root, 'node_modules/.bin/node')
const adminUrl = process.env.DRILL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const from = 'City Testbed <testbed@city.example>'

/** Collects cleanup steps, run in reverse order whatever happens. */
class Cleanup {
  private steps: (() => Promise<unknown> | unknown)[] = []
  add(step: () => Promise<unknown> | unknown) {
    this.steps.push(step)
  }
  async run() {
    for (const step of this.steps.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => undefined)
  }
}

/**
 * A local SMTP relay. It counts every message it receives in full (by recipient and subject)
 * before it answers; "hang" keeps the answer back until `release`, "answer" answers after
 * `delayMs`.
 */
async function startRelay(cleanup: Cleanup, delayMs: number) {
  const deliveries = new Map<string, number>()
  const held: (() => void)[] = []
  const state = { mode: 'answer' as 'hang' | 'answer', total: 0, heldNow: 0 }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    closeTimeout: 100,
    onData(stream, session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8')
      })
      stream.on('end', () => {
        // One message is its recipient, subject and text; Date and Message-ID differ per attempt.
        const subject = /^Subject: (.*)$/m.exec(data)?.[1]?.trim() ?? ''
        const text = data.slice(data.indexOf('\r\n\r\n'))
        const key = `${session.envelope.rcptTo.map((r) => r.address).join(',')} ${subject} ${text}`
        deliveries.set(key, (deliveries.get(key) ?? 0) + 1)
        state.total++
        if (state.mode === 'answer') return void setTimeout(() => callback(), delayMs)
        state.heldNow++
        held.push(() => callback())
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    state,
    deliveries,
    /** Answers the held messages and every later one after `delayMs`. */
    answer() {
      state.mode = 'answer'
      state.heldNow = 0
      for (const release of held.splice(0)) release()
    },
    resent: () => [...deliveries.values()].reduce((sum, n) => sum + n - 1, 0),
  }
}

/** Polls `condition` every 10 ms up to `ms`; false if it never held. */
async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const until = performance.now() + ms
  while (!condition()) {
    if (performance.now() > until) return false
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return true
}

async function createDatabase(cleanup: Cleanup): Promise<string> {
  const name = `drill_mail_${process.pid}_${Math.floor(Math.random() * 1e6)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  cleanup.add(async () => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(`drop database if exists ${name} with (force)`)
    await client.end()
  })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Starts `node api/server.ts` and waits for its ready line; `stop` sends SIGTERM and waits. */
async function startServer(cleanup: Cleanup, env: Record<string, string>) {
  const port = 20000 + Math.floor(Math.random() * 12000) // below the ephemeral range (32768+)
  const child = spawn(node, ['api/server.ts'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_CACHE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  cleanup.add(() => stopChild(child, exited))
  const ready = await waitFor(() => output.includes('is running at') || child.exitCode !== null, 180_000)
  if (!ready || child.exitCode !== null) throw new Error(`server did not start:\n${output}`)
  return { base: `http://127.0.0.1:${port}`, stop: () => stopChild(child, exited), output: () => output }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return exited
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  const code = await exited
  clearTimeout(timer)
  return code
}

// biome-ignore lint/suspicious/noExplicitAny: the drill reads the API's JSON loosely
type Json = any

async function call(
  base: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(base + path, init)
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** Signs in as the demo company and requests `count` bookings; each queues mail to officials. */
async function queueWork(base: string, count: number) {
  const login = await call(base, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'company@example.org', password: 'testbed-demo' }),
  })
  if (login.status !== 200) throw new Error(`demo company cannot sign in: ${login.status}`)
  const headers = { authorization: `Bearer ${login.body.token}`, 'content-type': 'application/json' }
  const me = await call(base, '/api/me', { headers })
  const pilots = await call(base, '/api/pilots?mine=true', { headers })
  const pilot = pilots.body.items.find(
    (p: { organisationId: string }) => p.organisationId === me.body.organisation?.id,
  )
  const facilities = (await call(base, '/api/facilities')).body.items as {
    id: string
    rules: { minDurationMinutes: number }
  }[]
  if (!pilot) throw new Error('the demo company has no pilot')
  let created = 0
  let refusal = ''
  const day = 24 * 3600_000
  const monday = Math.floor(Date.now() / (7 * day)) * 7 * day + 4 * day // a Monday, 00:00 UTC
  for (let week = 2; created < count && week < 12; week++) {
    for (const facility of facilities) {
      if (created >= count) break
      const start = new Date(monday + week * 7 * day + 7 * 3600_000) // 10:00 in Moscow
      const res = await call(base, `/api/pilots/${pilot.id}/bookings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          facilityId: facility.id,
          start: start.toISOString(),
          end: new Date(
            start.getTime() + Math.max(60, facility.rules.minDurationMinutes) * 60_000,
          ).toISOString(),
        }),
      })
      if (res.status === 201) created++
      else refusal = `${res.status} ${res.body?.detail}`
    }
  }
  if (created < count)
    throw new Error(`only ${created} of ${count} booking requests were accepted; the last answer: ${refusal}`)
  return { headers }
}

/** `clients` loops of API reads (public and signed-in, in turn) for `ms`: latency p50, p99, max. */
async function measureReads(base: string, headers: Record<string, string>, ms: number, clients = 4) {
  const times: number[] = []
  const until = performance.now() + ms
  let errors = 0
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) {
        const began = performance.now()
        const res = await fetch(base + (i % 2 ? '/api/bookings' : '/api/facilities'), {
          headers: i % 2 ? headers : {},
        })
        await res.arrayBuffer()
        if (res.status !== 200) errors++
        times.push(performance.now() - began)
      }
    }),
  )
  times.sort((a, b) => a - b)
  const at = (q: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10
  return { count: times.length, errors, p50: at(0.5), p99: at(0.99), max: at(1) }
}

type Reads = Awaited<ReturnType<typeof measureReads>>

/** The checks of part 1, on one database: reads while hanging against reads while answering. */
function judgeReads(label: string, hanging: Reads, answering: Reads, failures: string[]) {
  if (hanging.errors + answering.errors > 0)
    failures.push(`${label}: ${hanging.errors + answering.errors} reads did not answer 200`)
  if (hanging.count === 0 || answering.count === 0) failures.push(`${label}: no reads measured`)
  // Within 2× (and a few ms of slack: a 2-core machine's p99 of a few ms is noise).
  if (hanging.p99 > Math.max(2 * answering.p99, answering.p99 + 20))
    failures.push(`${label}: read p99 ${hanging.p99} ms while the relay hangs, ${answering.p99} ms otherwise`)
  for (const [phase, reads] of [
    ['hanging', hanging],
    ['answering', answering],
  ] as const)
    if (reads.max > 1000) failures.push(`${label}: a read took ${reads.max} ms while the relay was ${phase}`)
}

/** Part 1 on PostgreSQL: the drill's own dispatcher sends while the server serves. */
async function readsOnPostgres(
  url: string,
  quick: boolean,
  figures: Record<string, number | string>,
  failures: string[],
) {
  const cleanup = new Cleanup()
  try {
    const relay = await startRelay(cleanup, 100)
    relay.state.mode = 'hang'
    const server = await startServer(cleanup, { DATABASE_URL: url, SEED_DEMO: '1', SMTP_URL: relay.url })
    const { headers } = await queueWork(server.base, quick ? 6 : 20)
    const { db, close } = await connect({ databaseUrl: url, maxConnections: 2 })
    cleanup.add(close)
    const queued = Number(
      (
        await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow()
      ).n,
    )
    const window = quick ? 1500 : 5000
    await measureReads(server.base, headers, 1500) // warm-up: connections opened, code compiled
    const dispatching = dispatchOutbox(db, smtpTransport(relay.url, from), new Date(), 500)
    if (!(await waitFor(() => relay.state.heldNow > 0, 10_000)))
      throw new Error('the relay never got a message')
    const hanging = await measureReads(server.base, headers, window)
    const stillHanging = relay.state.heldNow > 0
    relay.answer()
    const answering = await measureReads(server.base, headers, window)
    const result = await dispatching
    await server.stop()
    const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()
    Object.assign(figures, {
      pgMessagesQueued: queued,
      pgReadsHanging: `p50 ${hanging.p50} ms, p99 ${hanging.p99} ms, max ${hanging.max} ms (${hanging.count} reads)`,
      pgReadsAnswering: `p50 ${answering.p50} ms, p99 ${answering.p99} ms, max ${answering.max} ms (${answering.count} reads)`,
      pgReadP99HangingMs: hanging.p99,
      pgReadP99AnsweringMs: answering.p99,
      pgDelivered: relay.deliveries.size,
      pgResent: relay.resent(),
    })
    judgeReads('PostgreSQL', hanging, answering, failures)
    if (!stillHanging) failures.push('PostgreSQL: the relay stopped hanging before the reads were done')
    // The server's own dispatcher runs too and may send some first: each message must be
    // delivered once and none left, whichever dispatcher sent it.
    if (left.length > 0 || relay.deliveries.size !== queued)
      failures.push(
        `PostgreSQL: ${queued} queued, ${result.sent} sent here, ${relay.deliveries.size} delivered`,
      )
    if (relay.resent() > 0) failures.push(`PostgreSQL: ${relay.resent()} messages delivered twice`)
  } finally {
    await cleanup.run()
  }
}

/**
 * Part 1 on PGlite: requests queue mail, the server restarts, and its start-up maintenance sends
 * through the hanging relay while the API is read.
 */
async function readsOnPglite(figures: Record<string, number | string>, failures: string[]) {
  const cleanup = new Cleanup()
  const dir = mkdtempSync(join(tmpdir(), 'testbed-mail-'))
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }))
  try {
    const relay = await startRelay(cleanup, 100)
    const env = { DATA_DIR: join(dir, 'data'), SMTP_URL: relay.url, DATABASE_URL: '' }
    const first = await startServer(cleanup, env)
    await queueWork(first.base, 20)
    if ((await first.stop()) !== 0)
      failures.push(`PGlite: the server did not stop cleanly:\n${first.output()}`)
    // Only now does the relay hang, so that what it holds is the second server's.
    relay.state.mode = 'hang'
    const server = await startServer(cleanup, env)
    const login = await call(server.base, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'company@example.org', password: 'testbed-demo' }),
    })
    const headers = { authorization: `Bearer ${login.body.token}` }
    if (!(await waitFor(() => relay.state.heldNow > 0, 20_000)))
      throw new Error('the relay never got a message')
    await measureReads(server.base, headers, 1500) // warm-up: connections opened, code compiled
    const hanging = await measureReads(server.base, headers, 4000)
    const stillHanging = relay.state.heldNow > 0
    relay.answer()
    const answering = await measureReads(server.base, headers, 4000)
    await waitFor(() => /maintenance: .*sent/.test(server.output()), 30_000)
    await server.stop()
    const { db, close } = await connect({ dataDir: join(dir, 'data', 'pglite') })
    cleanup.add(close)
    const rows = await db.selectFrom('outbox').select('status').execute()
    const sent = rows.filter((r) => r.status === 'sent').length
    Object.assign(figures, {
      pgliteMessagesQueued: rows.length,
      pgliteReadsHanging: `p50 ${hanging.p50} ms, p99 ${hanging.p99} ms, max ${hanging.max} ms (${hanging.count} reads)`,
      pgliteReadsAnswering: `p50 ${answering.p50} ms, p99 ${answering.p99} ms, max ${answering.max} ms (${answering.count} reads)`,
      pgliteReadP99HangingMs: hanging.p99,
      pgliteReadP99AnsweringMs: answering.p99,
      pgliteDelivered: relay.deliveries.size,
      pgliteResent: relay.resent(),
    })
    judgeReads('PGlite', hanging, answering, failures)
    if (!stillHanging) failures.push('PGlite: the relay stopped hanging before the reads were done')
    if (sent !== rows.length || relay.deliveries.size !== rows.length)
      failures.push(`PGlite: ${rows.length} queued, ${sent} sent, ${relay.deliveries.size} delivered`)
    if (relay.resent() > 0) failures.push(`PGlite: ${relay.resent()} messages delivered twice`)
  } finally {
    await cleanup.run()
  }
}

/** Runs a dispatcher process (this file with --dispatch) to its end or until `kill` says so. */
function dispatcher(url: string, relayUrl: string, at: Date) {
  const child = spawn(node, [fileURLToPath(import.meta.url), '--dispatch', url, relayUrl, at.toISOString()], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited }
}

/** Part 2: kill -9 in the middle of a batch of 50, on a migrated database whose outbox is empty or sent. */
async function killMidBatch(
  url: string,
  quick: boolean,
  figures: Record<string, number | string>,
  failures: string[],
) {
  const cleanup = new Cleanup()
  try {
    const relay = await startRelay(cleanup, quick ? 50 : 100)
    const { db, close } = await connect({ databaseUrl: url, maxConnections: 2 })
    cleanup.add(close)
    await migrateToLatest(db) // already done by the server of part 1, unless that failed early
    const now = new Date()
    await db
      .insertInto('outbox')
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          recipient_email: `official-${i}@city.example`,
          template: 'booking.submitted',
          subject: `Drill message ${i}`,
          body: 'A booking waits for your decision.',
          created_at: now,
          next_attempt_at: now,
        })),
      )
      .execute()
    const first = dispatcher(url, relay.url, now)
    cleanup.add(() => first.child.kill('SIGKILL'))
    const reached = await waitFor(() => relay.state.total >= 20 || first.child.exitCode !== null, 60_000)
    first.child.kill('SIGKILL')
    await first.exited
    const beforeKill = relay.state.total
    if (!reached || beforeKill < 20)
      failures.push(`the dispatcher ended before it was killed (${beforeKill} sent)`)
    // The next run comes after the lease of the message that was in flight.
    const second = dispatcher(url, relay.url, new Date(now.getTime() + (claimLeaseMinutes + 1) * 60_000))
    cleanup.add(() => second.child.kill('SIGKILL'))
    const code = await Promise.race([second.exited, new Promise((r) => setTimeout(r, 60_000, 'timeout'))])
    const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute()
    Object.assign(figures, {
      killAfterDeliveries: beforeKill,
      killDelivered: relay.deliveries.size,
      killResent: relay.resent(),
      killLeftUnsent: left.length,
    })
    if (code !== 0) failures.push(`the second dispatcher ended with ${code}`)
    if (relay.deliveries.size !== 50) failures.push(`${relay.deliveries.size} of 50 messages delivered`)
    if (left.length > 0) failures.push(`${left.length} messages not marked sent`)
    if (relay.resent() > 1)
      failures.push(`${relay.resent()} messages sent twice after one kill -9 (at most 1)`)
  } finally {
    await cleanup.run()
  }
}

/** Runs the drill; without `quick` part 1 runs on PGlite as well. */
export async function run(options: { quick: boolean }) {
  const figures: Record<string, number | string> = {}
  const failures: string[] = []
  const database = new Cleanup()
  const url = await createDatabase(database).catch((error: unknown) => {
    failures.push(
      `cannot create a database at ${adminUrl}: ${error instanceof Error ? error.message : error}`,
    )
  })
  if (!url) return { name: 'mail', ok: false, figures, failures }
  const parts = [
    () => readsOnPostgres(url, options.quick, figures, failures),
    ...(options.quick ? [] : [() => readsOnPglite(figures, failures)]),
    () => killMidBatch(url, options.quick, figures, failures),
  ]
  for (const [i, part] of parts.entries()) {
    const began = performance.now()
    await part().catch((error: unknown) => {
      failures.push(error instanceof Error ? error.message : String(error))
    })
    figures[`part${i + 1}Seconds`] = Math.round((performance.now() - began) / 100) / 10
  }
  await database.run()
  return { name: 'mail', ok: failures.length === 0, figures, failures }
}

/** The dispatcher process of part 2: sends one batch of 50 and prints what it did. */
async function dispatchMain(url: string, relayUrl: string, at: string) {
  const { db, close } = await connect({ databaseUrl: url, maxConnections: 1 })
  const result = await dispatchOutbox(db, smtpTransport(relayUrl, from), new Date(at), 50)
  console.log(JSON.stringify(result))
  await close()
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--dispatch') {
    await dispatchMain(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? '')
    process.exit(0)
  }
  const outcome = await run({ quick: process.argv.includes('--quick') })
  for (const [name, value] of Object.entries(outcome.figures)) console.log(`${name}: ${value}`)
  for (const failure of outcome.failures) console.error(`FAILED: ${failure}`)
  console.log(outcome.ok ? 'mail drill: passed' : 'mail drill: FAILED')
  process.exit(outcome.ok ? 0 : 1)
}
