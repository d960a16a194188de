import { type Kysely, sql } from 'kysely'

/**
 * Review deadlines (issue 17): each department signs a request off within `review_period_days`
 * working days of its submission (default 10). Working days skip weekends and the city's public
 * holidays, one row each in `public_holidays` (dates in the city's calendar; an admin screen can
 * come later, until then they are inserted by SQL).
 *
 * Frozen in time: this file never imports application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('departments')
    .addColumn('review_period_days', 'integer', (c) =>
      c.notNull().defaultTo(10).check(sql`review_period_days between 1 and 100`),
    )
    .execute()
  await db.schema
    .createTable('public_holidays')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('public_holidays').execute()
  await db.schema.alterTable('departments').dropColumn('review_period_days').execute()
}
