import { type Kysely, sql } from 'kysely'

/**
 * Series of bookings (issue 16): a pilot asks for one facility at the same local times on a
 * recurring pattern, as one request. Each occurrence stays a booking of its own (its reviews,
 * state and audit events); `bookings.series_id` ties it to its series.
 *
 * Frozen in time: this file never imports application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('series')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pilot_id', 'uuid', (c) => c.notNull().references('pilots.id').onDelete('cascade'))
    .addColumn('facility_id', 'uuid', (c) => c.notNull().references('facilities.id'))
    .addColumn('frequency', 'text', (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn('interval', 'integer', (c) => c.notNull().defaultTo(1).check(sql`interval between 1 and 52`))
    .addColumn('weekdays', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('until', 'date', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('series_pilot_idx').on('series').column('pilot_id').execute()
  await db.schema
    .alterTable('bookings')
    .addColumn('series_id', 'uuid', (c) => c.references('series.id'))
    .execute()
  await sql`create index bookings_series_idx on bookings (series_id, starts_at) where series_id is not null`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index bookings_series_idx`.execute(db)
  await db.schema.alterTable('bookings').dropColumn('series_id').execute()
  await db.schema.dropTable('series').execute()
}
