/**
 * The reads and writes of the required-documents rule and the expiry reminders (issue 19):
 * what a site requires, what a pilot holds, the review queue's documents in one statement, and
 * the documents due for a reminder.
 */
import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import type { HeldDocument, ReminderThreshold } from '../domain/required-documents.ts'

/** A site's required kinds and, for each, the pilot's documents of that kind. */
export async function documentsForBooking(
  db: Executor,
  pilotId: string,
  facilityId: string,
): Promise<{ required: string[]; held: HeldDocument[] }> {
  const facility = await db
    .selectFrom('facilities')
    .select('required_documents')
    .where('id', '=', facilityId)
    .executeTakeFirst()
  const required = facility?.required_documents ?? []
  if (required.length === 0) return { required, held: [] }
  const rows = await db
    .selectFrom('documents')
    .select(['kind', sql<string | null>`to_char(valid_until, 'YYYY-MM-DD')`.as('valid_until')])
    .where('pilot_id', '=', pilotId)
    .where('kind', 'in', required)
    .execute()
  return { required, held: rows.map((r) => ({ kind: r.kind, validUntil: r.valid_until })) }
}

/** One required kind of one booking's site, with the pilot's longest-valid document of it, if any. */
export interface BookingDocumentRow {
  booking_id: string
  kind: string
  held: boolean
  valid_until: string | null
}

/**
 * For each booking, each kind its site requires and the pilot's longest-valid document of that
 * kind (a document without a date first: it never expires), in one statement for a whole page.
 */
export async function documentsOfBookings(
  db: Executor,
  bookingIds: readonly string[],
): Promise<BookingDocumentRow[]> {
  if (bookingIds.length === 0) return []
  const { rows } = await sql<BookingDocumentRow>`
    select b.id as booking_id, k.kind, d.kind is not null as held,
           to_char(d.valid_until, 'YYYY-MM-DD') as valid_until
    from bookings b
    join facilities f on f.id = b.facility_id
    cross join lateral unnest(f.required_documents) with ordinality as k(kind, n)
    left join lateral (
      select documents.kind, documents.valid_until from documents
      where documents.pilot_id = b.pilot_id and documents.kind = k.kind
      order by documents.valid_until desc nulls first
      limit 1
    ) d on true
    where b.id = any(${sql.val([...bookingIds])}::uuid[])
    order by b.id, k.n`.execute(db)
  return rows
}

/** A document due for a reminder, with its pilot and organisation. */
export interface ReminderCandidate {
  id: string
  pilot_id: string
  pilot_title: string
  organisation_id: string
  kind: string
  title: string
  valid_until: string
  reminded_30: boolean
  reminded_7: boolean
}

/**
 * Documents expiring from `today` to `lastDay` (city dates) with a reminder not yet sent and an
 * approved booking of their pilot that ends after the document's last day in the city.
 */
export async function documentsNearingExpiry(
  db: Executor,
  today: string,
  lastDay: string,
  timeZone: string,
): Promise<ReminderCandidate[]> {
  const { rows } = await sql<ReminderCandidate>`
    select d.id, d.pilot_id, p.title as pilot_title, p.organisation_id, d.kind, d.title,
           to_char(d.valid_until, 'YYYY-MM-DD') as valid_until,
           d.reminded_30_at is not null as reminded_30, d.reminded_7_at is not null as reminded_7
    from documents d
    join pilots p on p.id = d.pilot_id
    where d.valid_until between ${today}::date and ${lastDay}::date
      and (d.reminded_30_at is null or d.reminded_7_at is null)
      and exists (
        select 1 from bookings b
        where b.pilot_id = d.pilot_id and b.state = 'approved'
          and b.ends_at > ((d.valid_until + 1)::timestamp at time zone ${timeZone})
      )
    order by d.valid_until, d.id`.execute(db)
  return rows
}

/** The approved bookings of a pilot that end after a city day: the site and the end, latest last. */
export async function bookingsPastDay(db: Executor, pilotId: string, lastDay: string, timeZone: string) {
  const { rows } = await sql<{ facility_name: string; ends_at: Date }>`
    select f.name as facility_name, b.ends_at
    from bookings b join facilities f on f.id = b.facility_id
    where b.pilot_id = ${pilotId} and b.state = 'approved'
      and b.ends_at > ((${lastDay}::date + 1)::timestamp at time zone ${timeZone})
    order by b.ends_at, b.id
    limit 20`.execute(db)
  return rows
}

/**
 * Marks a document's reminder at `threshold` sent, unless it already was (the 7-day one also
 * marks the 30-day one: a later 30-day reminder would say less). True when this call marked it,
 * so that two runs never send the same reminder twice.
 */
export async function claimReminder(
  db: Executor,
  documentId: string,
  threshold: ReminderThreshold,
  now: Date,
): Promise<boolean> {
  const column = threshold === 7 ? 'reminded_7_at' : 'reminded_30_at'
  const row = await db
    .updateTable('documents')
    .set(
      threshold === 7
        ? { reminded_7_at: now, reminded_30_at: sql`coalesce(reminded_30_at, ${now})` }
        : { reminded_30_at: now },
    )
    .where('id', '=', documentId)
    .where(column, 'is', null)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** The active members of an organisation, who hear of its documents. */
export function organisationMembers(db: Executor, organisationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'language'])
    .where('organisation_id', '=', organisationId)
    .where('active', '=', true)
    .orderBy('id')
    .execute()
}
