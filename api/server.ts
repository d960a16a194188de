/**
 * The Node entry: `npm start`. Uses PostgreSQL at DATABASE_URL, or the embedded PGlite database
 * kept under DATA_DIR; migrates, loads the demo city in demo mode, serves the API and the web app.
 */
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { migrateToLatest } from '../db/migrate.ts'
import { openChangeChannel } from '../db/notify.ts'
import { openConfiguredDatabase } from '../db/open.ts'
import { demoAccounts, demoPassword, seedDemo } from '../db/seed/demo.ts'
import { createApp } from './app.ts'
import { systemClock } from './lib/clock.ts'
import { parseConfig } from './lib/config.ts'
import { hashPassword } from './lib/password.ts'
import { sharedDatabase } from './lib/providers.ts'
import { smtpTransport } from './mail/smtp.ts'
import { runMaintenance } from './services/maintenance.ts'
import { logTransport } from './services/outbox.ts'
import { ensureWebBuilt, serveWebApp } from './web-assets.ts'

const started = performance.now()
const config = parseConfig(process.env)

const built = await ensureWebBuilt().catch((error) => {
  console.error('could not build the web app:', error instanceof Error ? error.message : error)
  return false
})
const { connection, description } = await openConfiguredDatabase(config)
await migrateToLatest(connection.db)
const seeded = config.demo
  ? await seedDemo(connection.db, { now: systemClock(), timeZone: config.cityTimeZone, hashPassword })
  : false

// Several Node servers on one PostgreSQL tell each other of changes, so that none keeps a
// public answer that another has made stale (api/lib/public-cache.ts); with no cache, no channel.
const changes =
  config.databaseUrl && config.publicCacheSeconds > 0
    ? await openChangeChannel(config.databaseUrl)
    : undefined

const app = createApp({
  config,
  database: sharedDatabase(connection.db, connection.kind),
  now: systemClock,
  changes,
  peerAddress: (c) => getConnInfo(c).remote.address,
})
serveWebApp(app)

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const url = `http://${info.address === '::' ? 'localhost' : info.address}:${info.port}`
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
  console.log(lines.join('\n'))
})

// Expire stale requests and send notifications every 30 seconds, one run at a time.
const transport = config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : logTransport
let maintaining = false
async function maintain() {
  if (maintaining) return
  maintaining = true
  try {
    const result = await runMaintenance(connection.db, transport, config, systemClock())
    if (result.expired + result.sent + result.retrying + result.failed > 0)
      console.log('maintenance:', result)
  } catch (error) {
    console.error('maintenance failed:', error instanceof Error ? error.message : error)
  } finally {
    maintaining = false
  }
}
const timer = setInterval(() => void maintain(), 30_000)
void maintain()

let stopping = false
async function stop(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`${signal}: shutting down`)
  clearInterval(timer)
  server.close()
  await changes?.close()
  await connection.close()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
