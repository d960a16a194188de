/**
 * The Cloudflare Workers entry. PostgreSQL is reached through the Hyperdrive binding (which pools
 * connections across isolates), or through DATABASE_URL when no binding is configured. Each
 * request opens one connection and closes it after the response, as Hyperdrive expects: nothing
 * is kept in memory between requests. Migrations are not run here; see the README.
 */
import { Kysely, PostgresDialect } from 'kysely'
import { Pool } from 'pg'
import type { Database } from '../db/types.ts'
import { createApp } from './app.ts'
import { parseConfig } from './lib/config.ts'
import type { DatabaseProvider, WorkerBindings } from './lib/context.ts'
import { ApiError } from './lib/errors.ts'
import { say } from './lib/messages.ts'
import { runMaintenance } from './services/maintenance.ts'
import { logTransport } from './services/outbox.ts'

const perRequestPostgres: DatabaseProvider = {
  kind: 'postgres',
  async acquire(env: WorkerBindings | undefined) {
    const connectionString = env?.HYPERDRIVE?.connectionString ?? env?.DATABASE_URL
    if (!connectionString) {
      throw new ApiError('service_unavailable', say.noWorkerDatabase)
    }
    const pool = new Pool({ connectionString, max: 1 })
    // A socket closed by the runtime surfaces as an 'error' event; unhandled, it would be thrown.
    const report = (error: Error) => console.error('postgres connection lost:', error.message)
    pool.on('error', report)
    pool.on('connect', (client) => client.on('error', report))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, release: () => db.destroy(), releaseAfterResponse: true }
  },
}

let app: ReturnType<typeof createApp> | undefined

export default {
  /** The Cron Trigger (wrangler.toml): expire stale requests and send notifications (logged: Workers have no SMTP). */
  async scheduled(controller: ScheduledController, env: WorkerBindings, ctx: ExecutionContext) {
    const config = parseConfig(env)
    const lease = await perRequestPostgres.acquire(env)
    try {
      // The bindings carry the R2 bucket DOCUMENTS, whose orphaned files the run sweeps.
      const settings = { ...config, bindings: env }
      const at = new Date(controller.scheduledTime)
      const result = await runMaintenance(lease.db, logTransport, settings, at)
      console.log('maintenance:', JSON.stringify(result))
    } finally {
      ctx.waitUntil(lease.release())
    }
  },

  fetch(request: Request, env: WorkerBindings, ctx: ExecutionContext) {
    // Built on first use from the bindings, which do not change within an isolate.
    app ??= createApp({
      // No public cache here: isolates cannot tell each other of a change, so one would serve a
      // stale answer after a change made through another. Cache in front of the Worker instead.
      config: { ...parseConfig(env), publicCacheSeconds: 0 },
      database: perRequestPostgres,
      // Set by Cloudflare's edge from the connection; clients cannot forge it there.
      peerAddress: (c) => c.req.header('cf-connecting-ip'),
    })
    return app.fetch(request, env, ctx)
  },
} satisfies ExportedHandler<WorkerBindings>
