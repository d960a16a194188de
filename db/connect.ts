import { type CompiledQuery, Kysely, type LogEvent, PGliteDialect, PostgresDialect } from 'kysely'
import type { Database, DatabaseKind } from './types.ts'

export interface Connection {
  db: Kysely<Database>
  kind: DatabaseKind
  /** Closes the pool or the embedded database. */
  close(): Promise<void>
  /** Embedded only: a gzipped dump of the data folder, to start other instances from. */
  dump?: () => Promise<Blob>
}

export interface ConnectOptions {
  /** A PostgreSQL URL; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined
  /** PGlite's data folder; absent means in memory. */
  dataDir?: string | undefined
  /** A PGlite data folder dump (from `dumpDataDir`) to start from instead of an empty database. */
  loadDataDir?: Blob | undefined
  /** Largest number of pooled PostgreSQL connections. */
  maxConnections?: number
  /**
   * PostgreSQL only: send every parameterised statement as a named prepared statement
   * (`db/prepared.ts`); default true. Off, pg sends them unnamed, parsed and planned on each run —
   * what a pooler in transaction mode (PgBouncer, some Hyperdrive setups) needs (`DATABASE_PREPARED=0`).
   */
  preparedStatements?: boolean | undefined
  /** Called with every statement sent, `begin` and `commit` included (the benchmark records a request's SQL with it). */
  onQuery?: ((query: CompiledQuery) => void) | undefined
}

/**
 * The one dialect factory: a pg `Pool` when a URL is given, otherwise embedded PGlite.
 * Both drivers are imported lazily so that the Workers bundle never pulls in PGlite.
 *
 * @example
 * const { db, close } = await connect({ databaseUrl: process.env.DATABASE_URL, dataDir: '.data/pglite' })
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  if (options.databaseUrl) {
    const { Pool } = await import('pg')
    const prepared = options.preparedStatements ?? true
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      ...(prepared ? { Client: (await import('./prepared.ts')).PreparingClient } : {}),
    })
    // A client whose server goes away emits 'error' — an idle one on the pool, one in use on
    // itself. Unhandled, either would crash the process; the query in flight fails on its own and
    // is answered 503. (Found by the restart drill, scripts/drill.ts.)
    const report = (error: Error) => console.error('postgres connection lost:', error.message)
    pool.on('error', report)
    pool.on('connect', (client) => client.on('error', report))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(options) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist')
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { btree_gist },
  })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }), log: queryLog(options) })
  return { db, kind: 'pglite', close: () => db.destroy(), dump: () => pglite.dumpDataDir('gzip') }
}

function queryLog({ onQuery }: ConnectOptions) {
  if (!onQuery) return undefined
  return (event: LogEvent) => {
    if (event.level === 'query') onQuery(event.query)
  }
}
