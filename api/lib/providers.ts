import type { Kysely } from 'kysely'
import type { Database, DatabaseKind } from '../../db/types.ts'
import type { DatabaseProvider } from './context.ts'

/** One long-lived database for every request: the Node entry and the tests. */
export function sharedDatabase(db: Kysely<Database>, kind: DatabaseKind): DatabaseProvider {
  const lease = { db, release: async () => {} }
  return { kind, acquire: async () => lease }
}
