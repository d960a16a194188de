import type { Kysely } from 'kysely'
import type { Database, DatabaseKind } from '../../db/types.ts'
import type { Config } from './config.ts'

/** A database handle for one request, and what to do when the request is over. */
export interface Lease {
  db: Kysely<Database>
  release(): Promise<void>
}

/**
 * Where a request gets its database: one shared pool on Node, a short-lived connection per
 * request on Workers (Hyperdrive pools for us there).
 */
export interface DatabaseProvider {
  kind: DatabaseKind
  acquire(bindings: WorkerBindings | undefined): Promise<Lease>
}

/** What `createApp` needs from its host. */
export interface AppDeps {
  config: Config
  database: DatabaseProvider
  /** The clock; tests pass a fixed one. */
  now?: () => Date
}

/** Bindings a Worker receives (absent on Node). */
export interface WorkerBindings {
  HYPERDRIVE?: { connectionString: string }
  DATABASE_URL?: string
  CITY_TIMEZONE?: string
  ASSETS?: { fetch(request: Request): Promise<Response> }
  [key: string]: unknown
}

export interface AppEnv {
  Bindings: WorkerBindings
  Variables: {
    db: Kysely<Database>
    dbKind: DatabaseKind
    config: Config
    requestId: string
    now: () => Date
  }
}
