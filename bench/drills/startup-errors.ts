/**
 * Drill: start-up errors are one clear line, checked first. Runs the real server with each bad
 * setting and checks: exit code 1 within 5 s, stderr one line per problem naming the setting, no
 * stack trace, and nothing migrated (no pglite folder; a fresh PostgreSQL database keeps no tables).
 *
 * `node bench/drills/startup-errors.ts [--quick]`
 */

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { freshPostgres, privatePort, startServer, tableCount } from './lib/server-process.ts'

interface Case {
  name: string
  /** What stderr must name. */
  names: string
  env: Record<string, string>
  /** How many lines stderr must have (one per bad setting). */
  lines?: number
  port?: number
}

async function attempt(c: Case, dataDir: string) {
  const began = performance.now()
  const server = startServer({ DATA_DIR: dataDir, ...c.env }, c.port)
  const timeout = setTimeout(() => server.child.kill('SIGKILL'), 10_000)
  const code = await server.exited
  clearTimeout(timeout)
  return { code, ms: Math.round(performance.now() - began), stderr: server.stderr().trim() }
}

export async function run(options: { quick: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-startup-'))
  const pg = freshPostgres(`drill_startup_${process.pid}`)
  const busy = createServer()
  const busyPort = privatePort()
  await new Promise<void>((resolve) => busy.listen(busyPort, '127.0.0.1', resolve))
  // Read-only for everyone but root; as root, the read-only sysfs stands in.
  const readOnly = process.getuid?.() === 0 ? '/sys/testbed-data' : join(dir, 'read-only')
  if (process.getuid?.() !== 0) mkdirSync(readOnly, { mode: 0o500 })
  const notAFolder = join(dir, 'a-file')
  writeFileSync(notAFolder, '')
  const cases: Case[] = [
    { name: 'port in use', names: `PORT ${busyPort}`, env: {}, port: busyPort },
    { name: 'DATA_DIR not a folder', names: 'DATA_DIR', env: { DATA_DIR: join(notAFolder, 'data') } },
    { name: 'DATA_DIR not creatable', names: 'DATA_DIR', env: { DATA_DIR: '/proc/testbed-data' } },
    { name: 'DATA_DIR read-only', names: 'DATA_DIR', env: { DATA_DIR: readOnly } },
    { name: 'bad time zone', names: 'CITY_TIMEZONE', env: { CITY_TIMEZONE: 'Mars/Olympus_Mons' } },
    { name: 'two bad settings', names: 'PORT', env: { PORT: 'eighty', BOOKING_EXPIRY_DAYS: '0' }, lines: 2 },
    {
      name: 'DATABASE_URL unparseable',
      names: 'DATABASE_URL',
      env: { DATABASE_URL: 'postgres://db:port/x' },
    },
    {
      name: 'DATABASE_URL refused',
      names: 'DATABASE_URL',
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${privatePort()}/x` },
    },
    {
      name: 'DATABASE_URL database missing',
      names: 'DATABASE_URL',
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_here' },
    },
    {
      name: 'DATABASE_URL user unknown',
      names: 'DATABASE_URL',
      env: { DATABASE_URL: 'postgres://no_such_user@127.0.0.1:5432/postgres' },
    },
  ]
  const figures: Record<string, number | string> = {}
  const failures: string[] = []
  try {
    for (const c of options.quick ? cases : [...cases, ...cases]) {
      const dataDir = join(dir, `data-${c.name.replaceAll(' ', '-')}`)
      const result = await attempt(c, dataDir)
      const lines = result.stderr.split('\n')
      figures[`${c.name} ms`] = Math.max(Number(figures[`${c.name} ms`] ?? 0), result.ms)
      figures[`${c.name} says`] = lines[0] ?? ''
      const problems = [
        result.code !== 1 && `exit code ${result.code}`,
        result.ms > 5_000 && `took ${result.ms} ms`,
        lines.length !== (c.lines ?? 1) && `${lines.length} lines`,
        !result.stderr.includes(c.names) && `does not name ${c.names}`,
        / {4}at /.test(result.stderr) && 'a stack trace',
        existsSync(join(dataDir, 'pglite')) && 'a pglite folder was made',
      ].filter(Boolean)
      if (problems.length > 0) failures.push(`${c.name}: ${problems.join(', ')}: ${result.stderr}`)
    }
    const tables = tableCount(pg.url)
    if (tables !== 0) failures.push(`a fresh PostgreSQL database got ${tables} tables`)
    // The fresh database is right: only the busy port stands in the way, so nothing may migrate.
    const blocked = await attempt(
      { name: 'pg port in use', names: 'PORT', env: { DATABASE_URL: pg.url }, port: busyPort },
      join(dir, 'unused'),
    )
    if (blocked.code !== 1 || tableCount(pg.url) !== 0)
      failures.push(`port in use with PostgreSQL: exit ${blocked.code}, tables ${tableCount(pg.url)}`)
  } finally {
    busy.close()
    pg.drop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { name: 'startup-errors', ok: failures.length === 0, figures, failures }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ quick: process.argv.includes('--quick') })
  for (const [key, value] of Object.entries(result.figures))
    if (key.endsWith(' ms'))
      console.log(
        `${key.slice(0, -3).padEnd(32)} ${String(value).padStart(5)} ms  ${result.figures[`${key.slice(0, -3)} says`]}`,
      )
  for (const failure of result.failures) console.log(`FAILED: ${failure}`)
  process.exit(result.ok ? 0 : 1)
}
