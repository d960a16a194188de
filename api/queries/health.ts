import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'

/** Whether the database answers at all: throws when it does not. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`select 1`.execute(db)
}
