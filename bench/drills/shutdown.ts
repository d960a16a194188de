/**
 * Drill: SIGTERM with writes in flight. Starts the real server (embedded PGlite in a temporary
 * DATA_DIR, or a fresh PostgreSQL database with --postgres), fires 60 concurrent booking requests
 * for distinct free slots, sends SIGTERM 30 ms later. Every client must get a complete answer
 * (201, or 503 during the drain; no reset, no 500), the server must exit 0, and after a restart on
 * the same data every 201's booking must be there.
 *
 * `node bench/drills/shutdown.ts [--quick] [--postgres]`
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { demoIds } from '../../db/seed/demo.ts'
import { newPilot, signInDemoCompany } from './lib/demo-api.ts'
import { freshPostgres, type ServerProcess, startServer, untilReady } from './lib/server-process.ts'

const writes = 60
const day = 24 * 60 * 60 * 1000

/** 60 one-day slots on the five demo lighting poles, three days apart, 300 days ahead. */
function slots(now: number) {
  const base = Math.floor((now + 300 * day) / day) * day
  return Array.from({ length: writes }, (_, i) => ({
    facilityId: demoIds.facility((i % 5) + 1),
    start: new Date(base + Math.floor(i / 5) * 3 * day).toISOString(),
    end: new Date(base + (Math.floor(i / 5) * 3 + 1) * day).toISOString(),
  }))
}

type Answer = { status: number; id?: string } | { error: string }

async function book(base: string, token: string, pilotId: string, slot: object): Promise<Answer> {
  try {
    const res = await fetch(`${base}/api/pilots/${pilotId}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(slot),
    })
    const body = (await res.json()) as { id?: string }
    return { status: res.status, id: res.status === 201 ? body.id : undefined }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause
    return { error: cause?.code ?? (error as Error).message }
  }
}

async function drill(database: 'pglite' | 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-shutdown-'))
  const pg = database === 'postgres' ? freshPostgres(`drill_shutdown_${process.pid}`) : undefined
  const env = { DATA_DIR: dir, SEED_DEMO: '1', DATABASE_URL: pg?.url ?? '' }
  const servers: ServerProcess[] = []
  const failures: string[] = []
  try {
    const first = startServer(env)
    servers.push(first)
    if (!(await untilReady(first))) throw new Error(`the server did not start:\n${first.output()}`)
    const base = `http://127.0.0.1:${first.port}`
    const token = await signInDemoCompany(base)
    const pilotId = await newPilot(base, token, 'Shutdown drill', 'Bookings written while the server stops.')

    const pending = slots(Date.now()).map((slot) => book(base, token, pilotId, slot))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const signalled = performance.now()
    first.child.kill('SIGTERM')
    const answers = await Promise.all(pending)
    const exitCode = await first.exited
    const drainMs = Math.round(performance.now() - signalled)

    const created = answers.flatMap((a) => ('status' in a && a.status === 201 && a.id ? [a.id] : []))
    const unavailable = answers.filter((a) => 'status' in a && a.status === 503).length
    const others = answers.filter((a) => 'status' in a && a.status !== 201 && a.status !== 503)
    const errors = answers.filter((a) => 'error' in a)
    if (exitCode !== 0) failures.push(`${database}: the server exited ${exitCode}, not 0:\n${first.output()}`)
    if (others.length > 0)
      failures.push(
        `${database}: answers other than 201/503: ${others.map((a) => JSON.stringify(a)).join(', ')}`,
      )
    if (errors.length > 0)
      failures.push(`${database}: ${errors.length} requests got no answer: ${JSON.stringify(errors[0])}`)

    const second = startServer(env)
    servers.push(second)
    if (!(await untilReady(second))) throw new Error(`the server did not start again:\n${second.output()}`)
    let lost = 0
    for (const id of created) {
      const res = await fetch(`http://127.0.0.1:${second.port}/api/bookings/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      if (res.status !== 200) lost++
    }
    if (lost > 0) failures.push(`${database}: ${lost} acknowledged bookings are missing after the restart`)
    const secondExit = await second.stop()
    if (secondExit !== 0) failures.push(`${database}: the restarted server exited ${secondExit}`)
    return {
      failures,
      figures: {
        [`${database}.answered201`]: created.length,
        [`${database}.answered503`]: unavailable,
        [`${database}.otherAnswers`]: others.length,
        [`${database}.noAnswer`]: errors.length,
        [`${database}.exitCode`]: String(exitCode),
        [`${database}.drainMs`]: drainMs,
        [`${database}.lost`]: lost,
      },
    }
  } finally {
    for (const server of servers) await server.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    pg?.drop()
  }
}

export async function run(options: { quick: boolean; postgres?: boolean }) {
  const databases: ('pglite' | 'postgres')[] =
    options.quick && !options.postgres ? ['pglite'] : ['pglite', 'postgres']
  const figures: Record<string, number | string> = {}
  const failures: string[] = []
  for (const database of databases) {
    try {
      const result = await drill(database)
      Object.assign(figures, result.figures)
      failures.push(...result.failures)
    } catch (error) {
      failures.push(`${database}: ${(error as Error).message}`)
    }
  }
  return { name: 'shutdown', ok: failures.length === 0, figures, failures }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({
    quick: process.argv.includes('--quick'),
    postgres: process.argv.includes('--postgres'),
  })
  for (const database of ['pglite', 'postgres']) {
    const f = (name: string) => result.figures[`${database}.${name}`]
    if (f('exitCode') === undefined) continue
    console.log(
      `${database}: ${writes} writes, SIGTERM after 30 ms → answered 201: ${f('answered201')}, 503: ${f('answered503')}, ` +
        `other: ${f('otherAnswers')}, no answer: ${f('noAnswer')}; exit code ${f('exitCode')}, ` +
        `drained in ${f('drainMs')} ms; lost after restart: ${f('lost')}`,
    )
  }
  for (const failure of result.failures) console.log(`FAILED: ${failure}`)
  process.exit(result.ok ? 0 : 1)
}
