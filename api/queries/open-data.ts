import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { bookingPeriodHolds, isApproved } from './ranges.ts'

/** The pilots running at `now` on any site: approved bookings that have begun and not ended. */
export function activePilotsAt(db: Executor, now: Date) {
  return db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select([
      'bookings.facility_id',
      'bookings.starts_at',
      'bookings.ends_at',
      'pilots.id',
      'pilots.title',
      'organisations.name',
    ])
    .where(isApproved('bookings'))
    .where(bookingPeriodHolds('bookings', now))
    .execute()
}

/** A page of the pilots with at least one approved booking, by id, with their organisation. */
export async function publicPilotsPage(db: Executor, page: { limit: number; cursor?: string | undefined }) {
  let q = db
    .selectFrom('pilots')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .selectAll('pilots')
    .select(['organisations.name as organisation_name', 'organisations.cluster_id'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('bookings')
          .whereRef('bookings.pilot_id', '=', 'pilots.id')
          .where('bookings.state', '=', 'approved')
          .select(sql`1`.as('one')),
      ),
    )
  if (page.cursor) {
    const after = decodeCursor(page.cursor)
    q = q.where(sql<boolean>`(pilots.id::text, pilots.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('pilots.id')
    .limit(page.limit + 1)
    .execute()
  return paginate(rows, page.limit, (r) => r.id)
}

/** The approved bookings of these pilots, with where they are, by start. */
export async function approvedBookingsOf(db: Executor, pilotIds: string[]) {
  if (pilotIds.length === 0) return []
  return db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select([
      'bookings.id',
      'bookings.pilot_id',
      'bookings.starts_at',
      'bookings.ends_at',
      'facilities.id as facility_id',
      'facilities.name as facility_name',
      'areas.id as area_id',
      'areas.name as area_name',
    ])
    .where('bookings.state', '=', 'approved')
    .where('bookings.pilot_id', 'in', pilotIds)
    .orderBy('bookings.starts_at')
    .execute()
}
