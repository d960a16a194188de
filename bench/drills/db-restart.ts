/**
 * Drill: the database restarts under write load. Against a private PostgreSQL instance this
 * drill starts itself (initdb into a temporary folder, its own port), so that restarting it
 * disturbs nothing else. Every request answered 201 must be in the database afterwards, none
 * twice; during the outage the API must answer 503 problem+json with Retry-After, never 500, and
 * recover by itself.
 *
 * `node bench/drills/db-restart.ts [--quick]`
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { connect } from '../../db/connect.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { loadWorld } from '../../scripts/load-world.ts'

function postgresBin(): string {
  const root = '/usr/lib/postgresql'
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined
  if (!version) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql')
  return join(root, version, 'bin')
}

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root). */
function asPostgres(tool: string, args: string[]) {
  const bin = join(postgresBin(), tool)
  const root = process.getuid?.() === 0
  const result = root
    ? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
    : spawnSync(bin, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr || result.stdout}`)
  return result.stdout
}

async function restartDrill(quick: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-drill-'))
  const data = join(dir, 'data')
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  chmodSync(dir, 0o700)
  const port = 20000 + Math.floor(Math.random() * 12000) // below the ephemeral range (32768+)
  const ctl = (action: string, extra: string[] = []) =>
    asPostgres('pg_ctl', [
      action,
      '-D',
      data,
      '-w',
      '-t',
      '30',
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      ...extra,
    ])
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'])
  ctl('start')
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  const connection = await connect({ databaseUrl: url, maxConnections: 12 })
  const server = { close: () => {} }
  try {
    await migrateToLatest(connection.db)
    const db = connection.db
    // A pole of capacity 1 without setup or teardown: each half-hour slot is its own booking.
    const world = await loadWorld(db, 'Drill')
    const facility = { id: await world.facility('Drill pole') }
    const pilot = { id: world.pilot }
    const token = world.token

    const app = createApp({
      config: parseConfig({ DATABASE_URL: url }),
      database: sharedDatabase(db, 'postgres'),
    })
    const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => http.once('listening', () => resolve()))
    server.close = () => http.close()
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`

    // Writers: each request a distinct half-hour slot, so that every request could succeed.
    const slotBase = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000
    let next = 0
    const created = new Map<string, string>() // booking id → slot start
    const statuses = new Map<number, number>()
    const bad: string[] = []
    let stop = false
    const clients = 8
    const deadline = Date.now() + (quick ? 20_000 : 40_000)
    async function writer() {
      while (!stop && Date.now() < deadline) {
        const slot = next++
        const start = new Date(slotBase + slot * 30 * 60_000).toISOString()
        const end = new Date(slotBase + (slot + 1) * 30 * 60_000).toISOString()
        try {
          const res = await fetch(`${base}/api/pilots/${pilot.id}/bookings`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ facilityId: facility.id, start, end }),
          })
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          const body = (await res.json()) as { id?: string; code?: string }
          if (res.status === 201 && body.id) created.set(body.id, start)
          else if (res.status === 503) {
            if (
              !res.headers.get('retry-after') ||
              !res.headers.get('content-type')?.startsWith('application/problem+json')
            ) {
              bad.push(`503 without Retry-After or problem+json`)
            }
            await new Promise((r) => setTimeout(r, 100))
          } else if (res.status >= 500) bad.push(`${res.status} ${body.code}`)
        } catch (error) {
          bad.push(`request failed: ${String(error)}`)
        }
      }
    }
    const load = Promise.all(Array.from({ length: clients }, writer))
    await new Promise((r) => setTimeout(r, 3000))
    const before = created.size
    const outageStarted = Date.now()
    ctl('stop', ['-m', 'fast'])
    await new Promise((r) => setTimeout(r, 2000))
    ctl('start')
    const restarted = Date.now()
    // Recovered: the first 201 after the restart.
    let recoveredAt: number | undefined
    while (!recoveredAt && Date.now() < restarted + 20_000) {
      const size = created.size
      await new Promise((r) => setTimeout(r, 50))
      if (created.size > size) recoveredAt = Date.now()
    }
    await new Promise((r) => setTimeout(r, 2000))
    stop = true
    await load

    const rows = await db
      .selectFrom('bookings')
      .select(['id', 'starts_at'])
      .where('pilot_id', '=', pilot.id)
      .execute()
    const byId = new Map(rows.map((r) => [r.id, r.starts_at.toISOString()]))
    const missing = [...created.keys()].filter((id) => !byId.has(id))
    const slots = new Map<string, number>()
    for (const r of rows)
      slots.set(r.starts_at.toISOString(), (slots.get(r.starts_at.toISOString()) ?? 0) + 1)
    const twice = [...slots.values()].filter((n) => n > 1).length
    const result = {
      clients,
      requests: [...statuses.values()].reduce((a, b) => a + b, 0),
      statuses: Object.fromEntries(statuses),
      createdBeforeOutage: before,
      answered201: created.size,
      inDatabase: rows.length,
      missing201: missing.length,
      slotsBookedTwice: twice,
      outageMs: restarted - outageStarted,
      recoveredWithinMs: recoveredAt ? recoveredAt - restarted : null,
      problems: [...new Set(bad)],
    }
    const ok =
      missing.length === 0 &&
      twice === 0 &&
      bad.length === 0 &&
      !statuses.has(500) &&
      (statuses.get(503) ?? 0) > 0 &&
      recoveredAt !== undefined
    return { ok, result }
  } finally {
    server.close()
    await connection.close().catch(() => undefined)
    try {
      ctl('stop', ['-m', 'immediate'])
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs the drill; `quick` writes for 20 s instead of 40. */
export async function run(options: { quick: boolean }) {
  const { ok, result } = await restartDrill(options.quick)
  const failures: string[] = []
  if (result.missing201 > 0) failures.push(`${result.missing201} acknowledged bookings missing`)
  if (result.slotsBookedTwice > 0) failures.push(`${result.slotsBookedTwice} slots booked twice`)
  if (result.problems.length > 0) failures.push(...result.problems)
  if (!ok && failures.length === 0) failures.push('no 503 during the outage, a 500, or no recovery')
  return { name: 'db-restart', ok, figures: result as unknown as Record<string, number | string>, failures }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await run({ quick: process.argv.includes('--quick') })
  console.log(JSON.stringify(outcome, null, 2))
  process.exit(outcome.ok ? 0 : 1)
}
