import { type Kysely, sql } from 'kysely'

/**
 * Indexes for a whole city's volume (issue 15), each matching how a read asks:
 *
 * - `bookings_period_idx`: the bookings that meet a window, by `tstzrange(starts_at, ends_at)`
 *   (the calendar, reports, open data), instead of every booking that starts before its end;
 * - `bookings_created_idx`: lists of bookings newest first ("my bookings", the review queue);
 * - `bookings_pilot_starts_idx`: a pilot's bookings by start, page by page (the pilot page); it
 *   replaces the index on `pilot_id` alone, which it also serves.
 *
 * Frozen in time: this file never imports application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index bookings_period_idx on bookings using gist (tstzrange(starts_at, ends_at, '[)'))
    where state in ('pending', 'changes_requested', 'approved')`.execute(db)
  await sql`create index bookings_created_idx on bookings (created_at desc, id desc)`.execute(db)
  await sql`create index bookings_pilot_starts_idx on bookings (pilot_id, starts_at, id)`.execute(db)
  await sql`drop index bookings_pilot_idx`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index bookings_pilot_idx on bookings (pilot_id)`.execute(db)
  await sql`drop index bookings_pilot_starts_idx`.execute(db)
  await sql`drop index bookings_created_idx`.execute(db)
  await sql`drop index bookings_period_idx`.execute(db)
}
