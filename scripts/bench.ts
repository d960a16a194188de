/**
 * `npm run bench` (and `npm run bench -- --quick`, under a minute, run in CI): measures the API
 * against the PostgreSQL at DATABASE_URL, or an embedded PGlite database when unset, over real
 * HTTP with autocannon. Writes bench/results.json and the table in BENCHMARKS.md.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import { CompiledQuery, type Kysely } from 'kysely'
import { createApp } from '../api/app.ts'
import { parseConfig } from '../api/lib/config.ts'
import { sharedDatabase } from '../api/lib/providers.ts'
import { connect } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import type { Database } from '../db/types.ts'
import { loadWorld } from './load-world.ts'

const quick = process.argv.includes('--quick')
/** The soak's length (full runs only); 10 minutes unless BENCH_SOAK_MINUTES says otherwise. */
const soakMinutes = Number(process.env.BENCH_SOAK_MINUTES || 10)
const databaseUrl = process.env.DATABASE_URL || undefined
const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  database: databaseUrl ? 'postgres' : 'pglite',
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

// ---------------------------------------------------------------- fixtures
/** The bench's world: facilities with a quarter of an hour of setup and teardown. */
function fixtures(db: Kysely<Database>) {
  return loadWorld(db, 'Bench', { setupMinutes: 15, teardownMinutes: 15 })
}

/** Many bookings at once, straight into the table, for the read benchmarks. */
async function bulkBookings(
  db: Kysely<Database>,
  pilotId: string,
  facilityIds: string[],
  count: number,
  state: 'pending' | 'approved',
  from: number,
) {
  // Spread over a year: each facility gets count / facilities bookings, evenly spaced.
  const perFacility = Math.ceil(count / facilityIds.length)
  const step = Math.max(90 * minute, Math.floor((365 * day) / perFacility / minute) * minute)
  const rows = Array.from({ length: count }, (_, i) => {
    const start = new Date(from + Math.floor(i / facilityIds.length) * step)
    const end = new Date(start.getTime() + hour)
    return {
      pilot_id: pilotId,
      facility_id: facilityIds[i % facilityIds.length] as string,
      starts_at: start,
      ends_at: end,
      occupied_from: new Date(start.getTime() - 15 * minute),
      occupied_to: new Date(end.getTime() + 15 * minute),
      state,
    }
  })
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('bookings')
      .values(rows.slice(i, i + 1000))
      .execute()
}

// ---------------------------------------------------------------- helpers
interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  connections: number
  amount: number
  headers?: Record<string, string>
  bookings?: { facilities: string[]; slotBase: number; firstSlot: number }
  paths?: string[]
}

/** autocannon in its own process (scripts/load.ts), so that the load does not share the server's event loop. */
async function cannon(opts: LoadOptions): Promise<{
  requests: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  bytes: number
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/load.ts', JSON.stringify(opts)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`)),
    )
  })
}

// ---------------------------------------------------------------- booking writes
async function bookingWrites(db: Kysely<Database>, base: string, f: Awaited<ReturnType<typeof fixtures>>) {
  const facilities = await Promise.all(Array.from({ length: 32 }, (_, i) => f.facility(`Write ${i}`)))
  let slot = 0
  const slotBase = Math.ceil(Date.now() / hour) * hour + 3 * day
  const apiRun = async (connections: number, amount: number) => {
    const result = await cannon({
      url: `${base}/api/pilots/${f.pilot}/bookings`,
      method: 'POST',
      connections,
      amount,
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
      bookings: { facilities, slotBase, firstSlot: slot },
    })
    slot += amount + 100
    return result
  }

  // The floor: the very statements one API request sent (recorded from the query log, `begin`
  // and `commit` included), replayed straight through the pool at the same concurrency with this
  // slot's facility, times and new booking id — no HTTP, no validation, no query building.
  const recorded = await recordOneRequest(base, f, facilities[0] as string, slotBase + slot * 2 * hour)
  slot += 1
  const rawOnce = async () => {
    const n = slot++
    const facilityId = facilities[n % facilities.length] as string
    const start = slotBase + Math.floor(n / facilities.length) * 2 * hour
    await replay(db, recorded, { facilityId, start, end: start + hour, setupMs: 15 * minute })
  }
  const rawRun = async (connections: number, amount: number) => {
    const latencies: number[] = []
    let done = 0
    const began = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (done < amount) {
          done++
          const t = performance.now()
          await rawOnce()
          latencies.push(performance.now() - t)
        }
      }),
    )
    const seconds = (performance.now() - began) / 1000
    return {
      requests: latencies.length,
      rps: round(latencies.length / seconds),
      p50: round(percentile(latencies, 50), 2),
      p99: round(percentile(latencies, 99), 2),
    }
  }

  // Warm both paths up (JIT, prepared statements, pool) before measuring anything.
  await apiRun(8, quick ? 200 : 1000)
  await rawRun(8, quick ? 200 : 1000)

  // API and floor take turns at each level, so that a slow spell of a shared machine falls on
  // both; each keeps its better round.
  const rounds = quick ? 2 : 3
  const better = <T extends { rps: number }>(a: T | undefined, b: T) => (a && a.rps >= b.rps ? a : b)
  const api: Record<number, Awaited<ReturnType<typeof apiRun>>> = {}
  const raw: Record<number, Awaited<ReturnType<typeof rawRun>>> = {}
  // Each round's own ratio at 32 clients too, to show how far the machine moved the figure.
  const roundRatios: number[] = []
  for (const connections of [1, 8, 32]) {
    const amount = quick ? Math.max(150, connections * 15) : Math.max(1000, connections * 60)
    for (let r = 0; r < rounds; r++) {
      const a = await apiRun(connections, amount)
      const b = await rawRun(connections, amount)
      api[connections] = better(api[connections], a)
      raw[connections] = better(raw[connections], b)
      if (connections === 32) roundRatios.push(round(a.rps / b.rps, 2))
    }
  }
  const ratio = round((api[32]?.rps ?? 0) / (raw[32]?.rps ?? 1), 2)
  return { rounds, api, raw, ratio, roundRatios }
}

/** What one booking request sent to the database, and the values in it that belong to its slot. */
interface Recorded {
  statements: CompiledQuery[]
  facilityId: string
  bookingId: string
  dates: Map<number, 'start' | 'end' | 'occupiedFrom' | 'occupiedTo'>
}

/** Sends one booking request through the API and records every statement it made. */
async function recordOneRequest(
  base: string,
  f: Awaited<ReturnType<typeof fixtures>>,
  facilityId: string,
  start: number,
): Promise<Recorded> {
  const statements: CompiledQuery[] = []
  recorder = (q) => statements.push(q)
  const res = await fetch(`${base}/api/pilots/${f.pilot}/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      facilityId,
      start: new Date(start).toISOString(),
      end: new Date(start + hour).toISOString(),
    }),
  })
  recorder = undefined
  if (res.status !== 201) throw new Error(`recording request answered ${res.status}: ${await res.text()}`)
  const booking = (await res.json()) as { id: string }
  const setup = 15 * minute
  const dates = new Map<number, 'start' | 'end' | 'occupiedFrom' | 'occupiedTo'>([
    [start, 'start'],
    [start + hour, 'end'],
    [start - setup, 'occupiedFrom'],
    [start + hour + setup, 'occupiedTo'],
  ])
  return { statements, facilityId, bookingId: booking.id, dates }
}

/** Runs the recorded statements on one connection with another slot's values. */
async function replay(
  db: Kysely<Database>,
  recorded: Recorded,
  slot: { facilityId: string; start: number; end: number; setupMs: number },
) {
  const values = {
    start: new Date(slot.start),
    end: new Date(slot.end),
    occupiedFrom: new Date(slot.start - slot.setupMs),
    occupiedTo: new Date(slot.end + slot.setupMs),
  }
  let bookingId: string | undefined
  const now = new Date()
  const substitute = (p: unknown): unknown => {
    if (p === recorded.facilityId) return slot.facilityId
    if (p === recorded.bookingId) return bookingId
    if (p instanceof Date) {
      const which = recorded.dates.get(p.getTime())
      return which ? values[which] : now
    }
    return p
  }
  await db.connection().execute(async (conn) => {
    try {
      for (const statement of recorded.statements) {
        const result = await conn.executeQuery<{ id?: string }>(
          CompiledQuery.raw(statement.sql, statement.parameters.map(substitute)),
        )
        // The statement that inserts the booking returns its id; later ones refer to it.
        if (bookingId === undefined && /insert into "bookings"/.test(statement.sql))
          bookingId = result.rows[0]?.id
      }
    } catch (error) {
      await conn.executeQuery(CompiledQuery.raw('rollback'))
      throw error
    }
  })
}

// ---------------------------------------------------------------- reads
async function reads(db: Kysely<Database>, base: string, f: Awaited<ReturnType<typeof fixtures>>) {
  const busy = await f.facility('Busy pole', 2)
  const yearStart = Math.ceil(Date.now() / day) * day + day
  await bulkBookings(db, f.pilot, [busy], 5000, 'approved', yearStart)
  // Visitors asking for the same month are answered from the public cache (PUBLIC_CACHE_SECONDS);
  // "computed" asks for a window a minute later each time, so that every answer is built anew.
  const windowAt = (
    offsetDays: number,
    lengthDays: number,
    shiftMinutes: number,
    names: [string, string],
  ) => {
    const from = yearStart + offsetDays * day + shiftMinutes * minute
    return `${names[0]}=${new Date(from).toISOString()}&${names[1]}=${new Date(from + lengthDays * day).toISOString()}`
  }
  const distinct = (count: number, path: (shift: number) => string) =>
    Array.from({ length: count }, (_, i) => path(i + 1))
  const availabilityPath = (shift: number) =>
    `/api/facilities/${busy}/availability?${windowAt(60, 30, shift, ['from', 'to'])}`
  // What a browser sends with the calendar page's requests.
  const browser = { 'accept-encoding': 'gzip, deflate, br', accept: 'application/json' }
  // The cached figures are what visitors get once somebody has asked: one visitor asks first,
  // then a short unmeasured burst warms the answering path (as the writes are warmed up).
  const firstVisitor = async (path: string) => {
    await fetch(`${base}${path}`, { headers: browser }).then((r) => r.arrayBuffer())
    await cannon({ headers: browser, url: `${base}${path}`, connections: 8, amount: 200 })
  }
  await firstVisitor(availabilityPath(0))
  const availability = await cannon({
    headers: browser,
    url: `${base}${availabilityPath(0)}`,
    connections: 8,
    amount: quick ? 1000 : 3000,
  })
  const availabilityComputed = await cannon({
    headers: browser,
    url: `${base}${availabilityPath(0)}`,
    connections: 8,
    amount: quick ? 200 : 1000,
    paths: distinct(quick ? 200 : 1000, availabilityPath),
  })

  const others = await Promise.all(Array.from({ length: 20 }, (_, i) => f.facility(`Calendar ${i}`)))
  await bulkBookings(db, f.pilot, others, 10_000, 'approved', yearStart)
  const calendarPath = (shift: number) => `/api/calendar?${windowAt(30, 30, shift, ['start', 'end'])}`
  const calYear = `start=${new Date(yearStart).toISOString()}&end=${new Date(yearStart + 365 * day).toISOString()}`
  await firstVisitor(calendarPath(0))
  const calendarMonth = await cannon({
    headers: browser,
    url: `${base}${calendarPath(0)}`,
    connections: 8,
    amount: quick ? 600 : 2000,
  })
  const calendarMonthComputed = await cannon({
    headers: browser,
    url: `${base}${calendarPath(0)}`,
    connections: 8,
    amount: quick ? 100 : 500,
    paths: distinct(quick ? 100 : 500, calendarPath),
  })
  // The first answer is built; the rest come from the public cache.
  const timeOne = async (path: string) => {
    const times: number[] = []
    let bytes = 0
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      const t = performance.now()
      const res = await fetch(`${base}${path}`)
      bytes = (await res.arrayBuffer()).byteLength
      times.push(performance.now() - t)
    }
    return { firstMs: round(times[0] ?? 0), medianMs: round(percentile(times.slice(1), 50)), bytes }
  }
  return {
    availability: { bookings: 5000, ...availability },
    availabilityComputed,
    calendarMonth: { bookings: 15_000, ...calendarMonth },
    calendarMonthComputed,
    calendarYear: await timeOne(`/api/calendar?${calYear}`),
    pilotsIcs: await timeOne('/api/feeds/pilots.ics'),
  }
}

// ---------------------------------------------------------------- start-up and size
async function firstAnswer(
  command: string,
  args: string[],
  env: Record<string, string>,
  url: string,
): Promise<number> {
  const began = performance.now()
  // Its own process group, so that stopping it stops npm's child too.
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'ignore', detached: true })
  try {
    for (;;) {
      try {
        const res = await fetch(url)
        if (res.status === 200) return round((performance.now() - began) / 1000, 2)
      } catch {
        // not listening yet
      }
      if (performance.now() - began > 60_000) throw new Error(`no answer from ${url}`)
      await new Promise((r) => setTimeout(r, 25))
    }
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM')
    await new Promise((r) => child.once('exit', r))
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function startup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'testbed-bench-'))
  const port = String(30000 + Math.floor(Math.random() * 10000))
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  try {
    const env = { PORT: port, DATA_DIR: dataDir, DATABASE_URL: '' }
    const cold = await firstAnswer(npm, ['start', '--silent'], env, `http://127.0.0.1:${port}/api/health`)
    const warm = await firstAnswer(npm, ['start', '--silent'], env, `http://127.0.0.1:${port}/api/health`)
    const workerPort = String(Number(port) + 1)
    const workerd = await firstAnswer(
      npm,
      ['run', '--silent', 'dev:worker'],
      { PORT: workerPort, DATABASE_URL: databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      `http://127.0.0.1:${workerPort}/api/settings`,
    ).catch(() => null)
    return { npmStartColdS: cold, npmStartWarmS: warm, workerdFirstAnswerS: workerd }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

function sizes() {
  const out = mkdtempSync(join(tmpdir(), 'testbed-bundle-'))
  spawnSync(process.execPath, ['scripts/wrangler.mjs', 'deploy', '--dry-run', '--outdir', out], {
    stdio: 'ignore',
  })
  const worker = gzipSync(readFileSync(join(out, 'worker.js'))).length
  rmSync(out, { recursive: true, force: true })
  // The calendar page's initial JavaScript: the entry, its imports, and the calendar page's chunks.
  const manifest = JSON.parse(readFileSync('web/dist/.vite/manifest.json', 'utf8')) as Record<
    string,
    { file: string; imports?: string[] }
  >
  const files = new Set<string>()
  const walk = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || files.has(chunk.file)) return
    files.add(chunk.file)
    for (const i of chunk.imports ?? []) walk(i)
  }
  walk('index.html')
  walk('src/public/CalendarPage.tsx')
  const web = [...files]
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join('web/dist', f))).length, 0)
  return { workerBundleGzipKiB: round(worker / 1024), calendarPageJsGzipKiB: round(web / 1024) }
}

// ---------------------------------------------------------------- soak
async function soak(base: string) {
  // The server runs in this process and the load comes from another: this is the server's memory.
  const rssMiB = () => round(process.memoryUsage().rss / 2 ** 20)
  const began = Date.now()
  const rssStart = rssMiB()
  const samples: { minute: number; rssMiB: number }[] = []
  let rounds = 0
  // Month windows over the bench's bookings: half of them the same month (answered from the
  // public cache), half a window nobody asked before (built, and kept until the cache's bound).
  const monthFrom = (shiftMinutes: number) => {
    const from = Math.ceil(began / day) * day + 30 * day + shiftMinutes * minute
    return `/api/calendar?start=${new Date(from).toISOString()}&end=${new Date(from + 30 * day).toISOString()}`
  }
  while (Date.now() < began + soakMinutes * minute) {
    await cannon({
      url: `${base}${monthFrom(0)}`,
      connections: 8,
      amount: 400,
      headers: { 'accept-encoding': 'gzip' },
      paths: Array.from({ length: 400 }, (_, i) =>
        i % 2 === 0 ? monthFrom(0) : monthFrom(rounds * 200 + i),
      ),
    })
    await cannon({ url: `${base}/api/facilities?limit=50`, connections: 4, amount: 500 })
    rounds++
    samples.push({ minute: round((Date.now() - began) / minute, 1), rssMiB: rssMiB() })
  }
  const at = (m: number) => samples.find((x) => x.minute >= m)?.rssMiB
  return {
    minutes: soakMinutes,
    rounds,
    rssStartMiB: rssStart,
    rssAfter1MinMiB: at(1),
    rssAfter5MinMiB: at(5),
    rssMaxMiB: Math.max(...samples.map((x) => x.rssMiB)),
    rssEndMiB: rssMiB(),
    samples,
  }
}

// ---------------------------------------------------------------- run
/** True when web/dist was built after the last change to the web app's sources (npm test builds it). */
function webBuildIsFresh(): boolean {
  const manifest = 'web/dist/.vite/manifest.json'
  if (!existsSync(manifest)) return false
  const built = statSync(manifest).mtimeMs
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return path === join('web', 'dist') ? latest : Math.max(latest, newest(path))
      return Math.max(latest, statSync(path).mtimeMs)
    }, 0)
  return built > Math.max(newest('web'), statSync('package-lock.json').mtimeMs)
}
if (!webBuildIsFresh()) {
  spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  )
}
const pgliteDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'testbed-bench-db-'))
/** Set while the floor records one request's statements. */
let recorder: ((query: CompiledQuery) => void) | undefined
const connection = await connect({
  databaseUrl,
  dataDir: pgliteDir,
  maxConnections: 40,
  onQuery: (q) => recorder?.(q),
})
await migrateToLatest(connection.db)
const app = createApp({
  config: parseConfig({ DATABASE_URL: databaseUrl ?? '' }),
  database: sharedDatabase(connection.db, connection.kind),
})
const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
await new Promise<void>((resolve) => http.once('listening', () => resolve()))
const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
const f = await fixtures(connection.db)

const benchBegan = performance.now()
const phase = (name: string) =>
  console.log(`bench: ${name} (at ${round((performance.now() - benchBegan) / 1000)} s)`)
phase('booking writes')
results.bookingWrites = await bookingWrites(connection.db, base, f)
console.log(`ratio api/raw: ${(results.bookingWrites as { ratio: number }).ratio}`)
phase('reads')
results.reads = await reads(connection.db, base, f)
if (!quick) {
  phase(`soak (${soakMinutes} minutes)`)
  results.soak = await soak(base)
}
http.close()
await connection.close()
if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true })
phase('start-up and size')
results.startup = await startup()
results.size = sizes()

writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`)

const w = results.bookingWrites as {
  api: Record<number, { rps: number; p50: number; p99: number }>
  raw: Record<number, { rps: number; p50: number; p99: number }>
  ratio: number
  roundRatios: number[]
}
const r = results.reads as Record<
  string,
  { p50?: number; p99?: number; firstMs?: number; medianMs?: number; bytes?: number }
>
const s = results.startup as Record<string, number | null>
const z = results.size as Record<string, number>
const lines = [
  `Measured ${String(results.at).slice(0, 10)} on ${results.cores} cores (${results.cpu}), ${results.database}, ${results.mode} run.`,
  '',
  '| measure | result | target |',
  '| --- | --- | --- |',
  ...[1, 8, 32].map(
    (c) =>
      `| booking writes, ${c} client${c === 1 ? '' : 's'}: API / raw SQL | ${w.api[c]?.rps} / ${w.raw[c]?.rps} req/s; p50 ${w.api[c]?.p50} / ${w.raw[c]?.p50} ms; p99 ${w.api[c]?.p99} / ${w.raw[c]?.p99} ms | |`,
  ),
  `| ratio api/raw at 32 clients (each round's own) | ${w.ratio} (${w.roundRatios.join(', ')}) | ≥ 0.5 |`,
  `| availability, a month of a facility with 5,000 bookings | p50 ${r.availability?.p50} ms, p99 ${r.availability?.p99} ms | p99 ≤ 20 ms |`,
  `| … the same, every answer computed (a new window each time) | p50 ${r.availabilityComputed?.p50} ms, p99 ${r.availabilityComputed?.p99} ms | |`,
  `| /api/calendar, a month (15,000 bookings in all) | p50 ${r.calendarMonth?.p50} ms, p99 ${r.calendarMonth?.p99} ms | p99 ≤ 50 ms |`,
  `| … the same, every answer computed (a new window each time) | p50 ${r.calendarMonthComputed?.p50} ms, p99 ${r.calendarMonthComputed?.p99} ms | |`,
  `| /api/calendar, a year: built / cached | ${r.calendarYear?.firstMs} ms / ${r.calendarYear?.medianMs} ms, ${r.calendarYear?.bytes} bytes | |`,
  `| pilots.ics: built / cached | ${r.pilotsIcs?.firstMs} ms / ${r.pilotsIcs?.medianMs} ms, ${r.pilotsIcs?.bytes} bytes | |`,
  `| npm start to first 200, cold / warm | ${s.npmStartColdS} s / ${s.npmStartWarmS} s | warm ≤ 3 s |`,
  `| workerd to first 200 | ${s.workerdFirstAnswerS ?? 'n/a'} s | |`,
  `| Worker bundle, gzipped | ${z.workerBundleGzipKiB} KiB | |`,
  `| calendar page initial JavaScript, gzipped | ${z.calendarPageJsGzipKiB} KiB | < 200 KiB |`,
  ...(results.soak
    ? [
        (() => {
          const k = results.soak as Record<string, number>
          return `| soak, ${k.minutes} minutes: server RSS at start → 1 min → 5 min → end (highest) | ${k.rssStartMiB} → ${k.rssAfter1MinMiB} → ${k.rssAfter5MinMiB} → ${k.rssEndMiB} MiB (${k.rssMaxMiB}) | flat |`
        })(),
      ]
    : []),
]
const doc = readFileSync('BENCHMARKS.md', 'utf8')
const begin = '<!-- results:begin -->'
const end = '<!-- results:end -->'
writeFileSync(
  'BENCHMARKS.md',
  `${doc.slice(0, doc.indexOf(begin) + begin.length)}\n${lines.join('\n')}\n${doc.slice(doc.indexOf(end))}`,
)
console.log(lines.join('\n'))
process.exit(0)
