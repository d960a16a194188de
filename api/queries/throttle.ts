import type { Executor } from '../../db/types.ts'

// The login_failures table holds every throttled event by key: failed sign-ins
// ("address:…", "account-address:…", "account:…") and registrations ("register:…").

/** Event times of a key since a moment, newest first. */
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

/** How many events a key has had since a moment. */
export async function countFailures(db: Executor, key: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Records one event per key and forgets those keys' events older than a day. */
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

/** Forgets every event before a moment: keys that never come back are otherwise kept for ever. */
export async function forgetFailuresBefore(db: Executor, before: Date): Promise<number> {
  const result = await db.deleteFrom('login_failures').where('at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
