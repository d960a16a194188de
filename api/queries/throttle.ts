import type { Executor } from '../../db/types.ts'

/** Failure times of a key since a moment, newest first. */
export async function recentFailures(db: Executor, key: string, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('login_failures')
    .select('at')
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => r.at)
}

/** Records one failure per key and forgets that key's failures older than a day. */
export async function recordFailure(db: Executor, keys: string[], now: Date) {
  await db
    .insertInto('login_failures')
    .values(keys.map((key) => ({ key, at: now })))
    .execute()
  await db
    .deleteFrom('login_failures')
    .where('key', 'in', keys)
    .where('at', '<', new Date(now.getTime() - 24 * 60 * 60 * 1000))
    .execute()
}

export async function clearFailures(db: Executor, key: string) {
  await db.deleteFrom('login_failures').where('key', '=', key).execute()
}
