/**
 * `npm run test:dates`: the whole suite at awkward dates, to prove it passes on any day.
 *
 * Each run moves two clocks: the machine's, with libfaketime (Debian's `faketime` package)
 * preloaded into every process the suite starts (Node, PGlite, Chromium), and the suite's own
 * "now" (TEST_NOW, tests/helpers/clock.ts). They are set to different awkward dates, so a test
 * or a piece of code that reads the machine's clock where it should read the suite's shows up.
 * Every run goes against the embedded database and against a fresh PostgreSQL database.
 *
 *   npm run test:dates                 # every date, embedded and PostgreSQL
 *   npm run test:dates -- --embedded   # the embedded database only
 *   npm run test:dates -- --postgres   # PostgreSQL only (127.0.0.1:5432, or PG_URL's server)
 *
 * Type-checking, linting and the web build do not depend on the date: they run once, first.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Awkward moments, in the city's time (Europe/Moscow, UTC+3). */
const dates = [
  '2027-03-01T00:05:00+03:00', // the 1st of a month, just after midnight
  '2027-01-31T23:30:00+03:00', // the last day of a month, late evening
  '2028-02-29T12:00:00+03:00', // a leap day
  '2026-12-31T23:59:00+03:00', // New Year's Eve, a minute to midnight
  '2039-07-15T09:00:00+03:00', // years from now
]

const args = new Set(process.argv.slice(2))
const databases = [
  ...(args.has('--postgres') ? [] : ['embedded' as const]),
  ...(args.has('--embedded') ? [] : ['postgres' as const]),
]
const server = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432'

const preload = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
].find(existsSync)
if (!preload) {
  console.error('test:dates needs libfaketime: apt-get install faketime')
  process.exit(2)
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env })
  return result.status ?? 1
}

// workerd hangs at start with libfaketime preloaded: the Worker tests run it on the real clock
// through a wrapper that drops the preload (miniflare honours MINIFLARE_WORKERD_PATH).
const scratch = mkdtempSync(join(tmpdir(), 'testbed-dates-'))
const workerdBinary: string = createRequire(import.meta.url)('workerd').default
const wrapper = join(scratch, 'workerd')
writeFileSync(
  wrapper,
  `#!/bin/sh\nunset LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC FAKETIME_FORCE_MONOTONIC_FIX\nexec "${workerdBinary}" "$@"\n`,
  { mode: 0o755 },
)

const results: string[] = []
let failed = 0
try {
  for (const step of ['typecheck', 'lint', 'build:web']) {
    if (run('npm', ['run', '--silent', step]) !== 0) process.exit(1)
  }
  for (const [index, machineDate] of dates.entries()) {
    // The suite's now is another awkward date than the machine's.
    const testNow = dates[(index + 2) % dates.length] as string
    const offsetSeconds = Math.round((Date.parse(machineDate) - Date.now()) / 1000)
    for (const database of databases) {
      let databaseUrl: string | undefined
      if (database === 'postgres') {
        const name = `testbed_dates_${index}_${process.pid}`
        if (run('psql', [`${server}/postgres`, '-qc', `create database ${name}`]) !== 0) process.exit(1)
        databaseUrl = `${server}/${name}`
      }
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        LD_PRELOAD: preload,
        FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`,
        // Chromium crawls with the monotonic clock faked; the suite never reads it for dates.
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        FAKETIME_FORCE_MONOTONIC_FIX: '0',
        MINIFLARE_WORKERD_PATH: wrapper,
        TEST_NOW: testNow,
      }
      delete env.DATABASE_URL
      if (databaseUrl) env.DATABASE_URL = databaseUrl
      console.log(`\n== machine clock ${machineDate}, suite now ${testNow}, ${database}`)
      const began = performance.now()
      const status = run('npx', ['vitest', 'run'], env)
      const seconds = ((performance.now() - began) / 1000).toFixed(0)
      if (databaseUrl) {
        run('psql', [
          `${server}/postgres`,
          '-qc',
          `drop database if exists ${databaseUrl.split('/').pop()} with (force)`,
        ])
      }
      results.push(
        `${status === 0 ? 'passed' : 'FAILED'}  machine ${machineDate}  now ${testNow}  ${database}  ${seconds} s`,
      )
      if (status !== 0) failed++
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
console.log(`\n${results.join('\n')}`)
console.log(`test:dates: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
