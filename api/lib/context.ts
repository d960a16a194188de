import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import type { ChangeChannel } from '../../db/notify.ts'
import type { Database, DatabaseKind, Language, Role } from '../../db/types.ts'
import type { Config } from './config.ts'
import type { StorageGuard } from './storage-guard.ts'

/** A database handle for one request, and what to do when the request is over. */
export interface Lease {
  db: Kysely<Database>
  release(): Promise<void>
  /** Release after the answer is sent (Workers' waitUntil) instead of before. */
  releaseAfterResponse?: boolean
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
  /** Node on PostgreSQL: the channel through which server processes announce changes to each other. */
  changes?: ChangeChannel | undefined
  /** The peer address of the connection, where the host knows it (Node's socket). */
  peerAddress?: (c: Context) => string | undefined
  /** Node on the embedded database: refuses writes while its disk is nearly full (api/lib/storage-guard.ts). */
  storage?: StorageGuard | undefined
}

/** The signed-in user of a request, as routes and permission checks see it. */
export interface SessionUser {
  id: string
  email: string
  name: string
  role: Role
  language: Language
  organisationId: string | null
  departmentId: string | null
}

export interface RequestSession {
  id: string
  /** How the request proved it: a bearer token, or the browser's session cookie. */
  via: 'bearer' | 'cookie'
}

/** Bindings a Worker receives (absent on Node). */
export interface WorkerBindings {
  HYPERDRIVE?: { connectionString: string }
  DATABASE_URL?: string
  CITY_TIMEZONE?: string
  ASSETS?: { fetch(request: Request): Promise<Response> }
  [key: string]: unknown
}

/** Routes read request variables with `c.get('db')`, not `c.var.db`: Hono builds `c.var` anew from its map on every read. */
export interface AppEnv {
  Bindings: WorkerBindings
  Variables: {
    db: Kysely<Database>
    dbKind: DatabaseKind
    config: Config
    requestId: string
    now: () => Date
    user: SessionUser | null
    session: RequestSession | null
    clientAddress: string
  }
}
