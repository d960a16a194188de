/**
 * The Node entry: `npm start`. Uses PostgreSQL at DATABASE_URL, or the embedded PGlite database
 * kept under DATA_DIR; migrates, loads the demo city in demo mode, serves the API and the web app.
 * Checks come first and fail with one line each (api/process-lifecycle.ts); SIGTERM drains.
 */
import type { Server } from 'node:http'
import { type DataDirLock, lockDataDir } from '../db/lock.ts'
import type { App } from './app.ts'
import { systemClock } from './lib/clock.ts'
import { type Config, parseConfig } from './lib/config.ts'
import {
  checkDatabaseUrl,
  checkDataDir,
  countActiveAdmins,
  drain,
  gatedFetch,
  listening,
  type Phase,
  startupErrorLines,
  trackConnections,
} from './process-lifecycle.ts'

const started = performance.now()
let lock: DataDirLock | undefined
let phase: Phase = 'starting'
let app: App | undefined
let stopping: string | undefined

/** A failed start: one line per problem, no stack trace, exit code 1. */
function exitWith(error: unknown): never {
  for (const line of startupErrorLines(error)) console.error(`cannot start: ${line}`)
  lock?.release()
  process.exit(1)
}
process.on('exit', () => lock?.release())
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))

// Checked before anything is migrated: settings, the data folder and its lock, the port, the URL.
const config: Config = (() => {
  try {
    return parseConfig(process.env)
  } catch (error) {
    return exitWith(error)
  }
})()
if (!config.databaseUrl) {
  try {
    checkDataDir(config.dataDir)
    lock = lockDataDir(config.dataDir, { role: 'server', port: config.port })
  } catch (error) {
    exitWith(error)
  }
  const stale = lock.tookOver
  if (stale)
    console.log(
      `took over ${config.dataDir}/server.lock from pid ${stale.pid}, which ended without releasing it`,
    )
}
// Listening first makes the port check exact; until ready, requests are answered 503.
const { serve } = await import('@hono/node-server')
const server = serve({
  fetch: gatedFetch(
    () => phase,
    () => app,
  ),
  port: config.port,
  hostname: config.host,
}) as Server
trackConnections(server)
const port = await listening(server, config.host, config.port).catch(exitWith)
lock?.setPort(port)
if (config.databaseUrl) await checkDatabaseUrl(config.databaseUrl).catch(exitWith)

// The app's modules load only now: a start refused above takes a second, not the app's load time.
const { getConnInfo } = await import('@hono/node-server/conninfo')
const { migrateToLatest } = await import('../db/migrate.ts')
const { openChangeChannel } = await import('../db/notify.ts')
const { openConfiguredDatabase } = await import('../db/open.ts')
const { demoAccounts, demoPassword, disableDemoAccounts, enableDemoAccounts, seedDemo } = await import(
  '../db/seed/demo.ts'
)
const { createApp } = await import('./app.ts')
const { hashPassword } = await import('./lib/password.ts')
const { sharedDatabase } = await import('./lib/providers.ts')
const { storageGuard } = await import('./lib/storage-guard.ts')
const { smtpTransport } = await import('./mail/smtp.ts')
const { runMaintenance } = await import('./services/maintenance.ts')
const { logTransport } = await import('./services/outbox.ts')
const { ensureWebBuilt, serveWebApp } = await import('./web-assets.ts')

const built = await ensureWebBuilt().catch((error) => {
  console.error('could not build the web app:', error instanceof Error ? error.message : error)
  return false
})
const { connection, description } = await openConfiguredDatabase({ ...config, lock }).catch(exitWith)
await migrateToLatest(connection.db).catch(exitWith)
const seeded = config.demo
  ? await seedDemo(connection.db, { now: systemClock(), timeZone: config.cityTimeZone, hashPassword })
  : false
// The demo accounts' password is public: they sign in only in demo mode.
const reopened = config.demo ? await enableDemoAccounts(connection.db, systemClock()) : 0
const disabled = config.demo ? 0 : await disableDemoAccounts(connection.db, systemClock())
if (disabled > 0)
  console.log(`demo mode is off: disabled ${disabled} demo accounts, whose password is public`)
if (reopened > 0) console.log(`demo mode: enabled the ${reopened} demo accounts again`)
const admins = config.demo ? 1 : await countActiveAdmins(connection.db)

// Several Node servers on one PostgreSQL tell each other of changes, so that none keeps a
// public answer that another has made stale (api/lib/public-cache.ts); with no cache, no channel.
const changes =
  config.databaseUrl && config.publicCacheSeconds > 0
    ? await openChangeChannel(config.databaseUrl)
    : undefined

// The embedded database wedges on a full disk (api/lib/storage-guard.ts); PostgreSQL answers 53100.
const storage = config.databaseUrl
  ? undefined
  : storageGuard({
      path: config.dataDir,
      reserveBytes: config.storageReserveMb * 1024 * 1024,
      exitWhenStuckMs: 20_000,
    })
app = createApp({
  config,
  database: sharedDatabase(connection.db, connection.kind),
  now: systemClock,
  changes,
  peerAddress: (c) => getConnInfo(c).remote.address,
  storage,
})
serveWebApp(app)
phase = 'serving'

{
  const host = config.host === '::' || config.host === '0.0.0.0' ? 'localhost' : config.host
  const url = `http://${host}:${port}`
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const lines = [
    `City Testbed is running at ${url}  (ready in ${seconds} s)`,
    `  database:  ${description}`,
    `  time zone: ${config.cityTimeZone}`,
    `  API docs:  ${url}/api/docs${built ? '   (web app built now)' : ''}`,
  ]
  if (config.demo) {
    lines.push(
      `  demo city ${seeded ? 'loaded now' : 'already loaded'}; accounts (password "${demoPassword}"):`,
    )
    for (const account of demoAccounts)
      lines.push(`    ${account.email.padEnd(22)} ${account.role.padEnd(9)} ${account.note}`)
  }
  if (admins === 0)
    lines.push(
      '  no admin account yet: create one with',
      '    npm run cli -- create-admin --email you@city.example --name "Your Name"',
    )
  console.log(lines.join('\n'))
}

// Expire stale requests and send notifications every 30 seconds, one run at a time.
const transport = config.smtpUrl
  ? smtpTransport(config.smtpUrl, config.mailFrom, { timeoutMs: config.smtpTimeoutSeconds * 1000 })
  : logTransport
let maintaining: Promise<void> | undefined
function maintain() {
  if (maintaining || stopping) return
  maintaining = maintainOnce().finally(() => {
    maintaining = undefined
  })
}
async function maintainOnce() {
  try {
    // Below the reserve every write would be refused or fail: the run waits for room (the guard
    // has said so in the log), and the messages it would send wait with it.
    if (storage && !(await storage.check()).room) return
    const result = await runMaintenance(connection.db, transport, config, systemClock())
    if (result.expired + result.sent + result.retrying + result.failed > 0)
      console.log('maintenance:', result)
  } catch (error) {
    console.error('maintenance failed:', error instanceof Error ? error.message : error)
  }
}
const timer = setInterval(maintain, 30_000)
maintain()
// A signal that came while starting is acted on now that start-up has finished.
if (stopping) void shutDown(stopping)

function stop(signal: string) {
  if (stopping) return
  stopping = signal
  if (phase === 'serving') void shutDown(signal)
}

/**
 * Stops accepting, lets requests in flight and a maintenance run finish within the grace period,
 * then closes the change channel and the database and releases the data folder.
 */
async function shutDown(signal: string) {
  const began = performance.now()
  const graceMs = config.shutdownGraceSeconds * 1000
  console.log(`${signal}: shutting down; requests in flight have ${config.shutdownGraceSeconds} s to finish`)
  phase = 'draining'
  clearInterval(timer)
  const drained = await drain(server, graceMs)
  const left = Math.max(0, graceMs - (performance.now() - began))
  const idle = await Promise.race([
    (maintaining ?? Promise.resolve()).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(resolve, left, false).unref()),
  ])
  await changes?.close()
  await connection.close()
  lock?.release()
  const ms = Math.round(performance.now() - began)
  if (drained && idle) {
    console.log(`stopped in ${ms} ms`)
    process.exit(0)
  }
  console.error(
    `stopped after the ${config.shutdownGraceSeconds} s grace period (SHUTDOWN_GRACE_SECONDS): ` +
      `${drained ? 'a maintenance run was' : 'requests still in flight were'} cut off`,
  )
  process.exit(1)
}
