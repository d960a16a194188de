import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'

/** Public holidays by date, all or one year's (dates as `YYYY-MM-DD`). */
export async function listHolidays(db: Executor, year?: number) {
  let q = db.selectFrom('public_holidays').select([sql<string>`day::text`.as('day'), 'name'])
  if (year !== undefined) {
    q = q.where('day', '>=', `${year}-01-01`).where('day', '<', `${year + 1}-01-01`)
  }
  return q.orderBy('day').execute()
}

/** Adds a holiday; undefined when that day is one already. */
export async function insertHoliday(db: Executor, holiday: { day: string; name: string }) {
  return db
    .insertInto('public_holidays')
    .values(holiday)
    .onConflict((oc) => oc.column('day').doNothing())
    .returning([sql<string>`day::text`.as('day'), 'name'])
    .executeTakeFirst()
}

/** Removes a holiday; the removed row, or undefined when there was none. */
export async function deleteHoliday(db: Executor, day: string) {
  return db
    .deleteFrom('public_holidays')
    .where('day', '=', day)
    .returning([sql<string>`day::text`.as('day'), 'name'])
    .executeTakeFirst()
}
