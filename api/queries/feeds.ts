import type { BookingState, Executor } from '../../db/types.ts'

export interface FeedFilter {
  facilityId?: string
  areaId?: string
  organisationId?: string
  /** States to include; the public feeds take approved bookings only. */
  states: readonly BookingState[]
}

/** Bookings for a calendar feed, with what a subscriber reads: pilot, organisation, site, area. */
export async function feedBookings(db: Executor, filter: FeedFilter) {
  let q = db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select([
      'bookings.id',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.state',
      'bookings.created_at',
      'bookings.updated_at',
      'pilots.id as pilot_id',
      'pilots.title',
      'pilots.summary',
      'pilots.category_id',
      'pilots.public_description',
      'pilots.data_collected',
      'organisations.name as organisation_name',
      'facilities.id as facility_id',
      'facilities.name as facility_name',
      'facilities.geometry',
      'areas.id as area_id',
      'areas.name as area_name',
    ])
    .where('bookings.state', 'in', [...filter.states])
  if (filter.facilityId) q = q.where('bookings.facility_id', '=', filter.facilityId)
  if (filter.areaId) q = q.where('facilities.area_id', '=', filter.areaId)
  if (filter.organisationId) q = q.where('pilots.organisation_id', '=', filter.organisationId)
  return q.orderBy('bookings.starts_at').limit(10_000).execute()
}

export type FeedBooking = Awaited<ReturnType<typeof feedBookings>>[number]

/** The organisation whose private feed token hashes to `tokenHash`, if any. */
export function organisationByFeedToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('feed_token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/** Replaces an organisation's private feed token (its hash; the token itself is never stored). */
export async function setFeedTokenHash(db: Executor, organisationId: string, tokenHash: string) {
  await db
    .updateTable('organisations')
    .set({ feed_token_hash: tokenHash })
    .where('id', '=', organisationId)
    .execute()
}
