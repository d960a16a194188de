import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import type { Interval } from '../domain/intervals.ts'
import { pilotPhase } from '../domain/lifecycle.ts'
import { type BookingAccess, bookingAccess } from '../domain/permissions.ts'
import type { SessionUser } from '../lib/context.ts'
import { type CursorPosition, decodeCursor, decodeInstantCursor, paginate } from '../lib/cursor.ts'
import type {
  CreatePilotBody,
  Pilot,
  PilotBooking,
  PilotListItem,
  UpdatePilotBody,
} from '../schemas/pilots.ts'
import {
  type BookingSelection,
  partyScope,
  requiredDepartments,
  selectBookings,
  toBooking,
} from './bookings.ts'
import { type PilotWhereWhen, pilotsWhereWhen } from './places.ts'
import { bookingPeriodHolds, bookingPeriodOverlaps, isApproved } from './ranges.ts'
import { isResultsOverdue, pilotsWithResults, resultsOverdue } from './results.ts'

function selectPilots(db: Executor) {
  return db
    .selectFrom('pilots')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .selectAll('pilots')
    .select('organisations.name as organisation_name')
}

type PilotRow = Awaited<ReturnType<ReturnType<typeof selectPilots>['executeTakeFirstOrThrow']>>

/** What this caller may see of one booking, given its pilot's organisation. */
function accessTo(user: SessionUser | null, b: BookingSelection) {
  return bookingAccess(user, {
    organisationId: b.organisation_id,
    requiredDepartmentIds: requiredDepartments(b),
    state: b.state,
  })
}

/** The audit action that cancelled a booking, as `PilotBooking.cancellation` says it. */
const cancellationOf: Record<string, PilotBooking['cancellation']> = {
  'booking.withdrawn': 'withdrawn',
  'booking.revoked': 'revoked',
  'booking.expired': 'expired',
}

/**
 * The bookings a pilot's pages show, each with the action that cancelled it if it is cancelled:
 * the last such event of its audit trail, looked up (`events_subject_idx`) for cancelled ones only.
 */
function selectPilotBookings(db: Executor) {
  return selectBookings(db).select(
    sql<string | null>`case when bookings.state = 'cancelled' then (
      select e.action from events e
      where e.subject_type = 'booking' and e.subject_id = bookings.id
        and e.action in ('booking.withdrawn', 'booking.revoked', 'booking.expired')
      order by e.id desc limit 1) end`.as('cancelled_by'),
  )
}

type PilotBookingSelection = BookingSelection & { cancelled_by: string | null }

/** A booking of a pilot's pages as this caller may see it. */
function toPilotBooking(row: PilotBookingSelection, now: number, access: BookingAccess): PilotBooking {
  return { ...toBooking(row, now, access), cancellation: cancellationOf[row.cancelled_by ?? ''] ?? null }
}

/** Where and when a pilot runs on the residents' pages, and (officials, admins) whether its results are overdue. */
export type PilotResidentFacts = Pick<Pilot, 'places' | 'start' | 'end' | 'resultsOverdue'>

const noResidentFacts: PilotResidentFacts = { places: [], start: null, end: null }

/** A pilot row as the API shows it, with the bookings and phase the caller gets. */
export function toPilot(
  row: PilotRow,
  bookings: PilotBooking[],
  phase: Pilot['phase'],
  residents: PilotResidentFacts = noResidentFacts,
): Pilot {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    title: row.title,
    summary: row.summary,
    category: row.category_id as Pilot['category'],
    publicDescription: row.public_description,
    dataCollected: row.data_collected,
    contactEmail: row.contact_email,
    website: row.website,
    phase,
    bookings,
    ...residents,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  }
}

/** Pilots with their bookings, each booking shown as this caller may see it (public ones only to strangers). */
/** How many of each pilot's bookings a list shows; the pilot's page pages through the rest. */
export const listBookingsPerPilot = 10

/**
 * A page of pilots as the caller may see them, each with its first bookings (those still to
 * come or running first, by start; then the ended, latest first), how many it has in all, and
 * its phase from all of them. Three statements for the whole page, however many bookings: a
 * list that carried every booking sent 2.3 MB for 38 pilots of the 10k bench city.
 */
async function withBookings(
  db: Executor,
  rows: PilotRow[],
  user: SessionUser | null,
  now: number,
  within?: ReadonlySet<string>,
): Promise<PilotListItem[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const at = new Date(now)
  // Ranked by id alone first: the reviews and cancellation of each booking are looked up for the
  // chosen ten only (ranking whole rows built them for every booking: 430 ms at 40k).
  const ranked = db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .where('bookings.pilot_id', 'in', ids)
    .where(visibleTo(user))
    .select([
      'bookings.id as ranked_id',
      sql<number>`row_number() over (partition by bookings.pilot_id order by bookings.ends_at <= ${at}::timestamptz,
        case when bookings.ends_at > ${at}::timestamptz then bookings.starts_at end,
        case when bookings.ends_at > ${at}::timestamptz then bookings.id end,
        bookings.starts_at desc, bookings.id desc)`.as('nth'),
    ])
  const bookings = await selectPilotBookings(db)
    .innerJoin(ranked.as('r'), 'r.ranked_id', 'bookings.id')
    .where('r.nth', '<=', listBookingsPerPilot)
    .orderBy('r.nth')
    .execute()
  const summaries = await pilotsBookingsSummary(db, ids, user, at)
  const facts = await residentFacts(db, rows, user, now, within)
  return rows.map((row) => {
    const own = bookings
      .filter((b) => b.pilot_id === row.id)
      .map((b) => toPilotBooking(b as PilotBookingSelection, now, accessTo(user, b as PilotBookingSelection)))
    const summary = summaries.get(row.id) ?? { total: 0, phase: null }
    return { ...toPilot(row, own, summary.phase, facts.get(row.id)), bookingsTotal: summary.total }
  })
}

/** How many bookings of each pilot the caller may see, and each pilot's phase: one statement. */
async function pilotsBookingsSummary(db: Executor, ids: string[], user: SessionUser | null, now: Date) {
  const approved = isApproved('bookings')
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .where('bookings.pilot_id', 'in', ids)
    .where(visibleTo(user))
    .groupBy('bookings.pilot_id')
    .select([
      'bookings.pilot_id',
      sql<number>`count(*)::int`.as('total'),
      sql<boolean | null>`bool_or(${approved} and ${bookingPeriodHolds('bookings', now)})`.as('active'),
      sql<boolean | null>`bool_or(${approved} and bookings.starts_at > ${now}::timestamptz)`.as('upcoming'),
      sql<boolean | null>`bool_or(${approved} and bookings.ends_at <= ${now}::timestamptz)`.as('completed'),
    ])
    .execute()
  return new Map(rows.map((r) => [r.pilot_id, { total: Number(r.total), phase: phaseOfSummary(r) }]))
}

function phaseOfSummary(row: {
  active: boolean | null
  upcoming: boolean | null
  completed: boolean | null
}) {
  return pilotPhase([
    row.active ? 'active' : null,
    row.upcoming ? 'upcoming' : null,
    row.completed ? 'completed' : null,
  ])
}

/**
 * Where and when each pilot runs (its approved bookings' sites, first start, last end; with
 * `within`, only those sites), and for officials and admins whether its results are overdue:
 * two statements for a whole page, whatever its size.
 */
export async function residentFacts(
  db: Executor,
  rows: readonly { id: string }[],
  user: SessionUser | null,
  now: number,
  within?: ReadonlySet<string>,
): Promise<Map<string, PilotResidentFacts>> {
  const ids = rows.map((r) => r.id)
  const whereWhen = await pilotsWhereWhen(db, ids, within)
  const official = user?.role === 'official' || user?.role === 'admin'
  const withResults = official ? await pilotsWithResults(db, ids) : new Set<string>()
  const facts = new Map<string, PilotResidentFacts>()
  for (const id of ids) {
    const w: PilotWhereWhen = whereWhen.get(id) ?? { places: [], start: null, end: null, lastEnd: null }
    facts.set(id, {
      places: w.places,
      start: w.start,
      end: w.end,
      ...(official
        ? { resultsOverdue: isResultsOverdue(w.lastEnd, withResults.has(id), new Date(now)) }
        : {}),
    })
  }
  return facts
}

function hasApproved(
  eb: ExpressionBuilder<Database, 'pilots'>,
  when?: 'active' | 'upcoming' | 'completed',
  now?: Date,
  areaId?: string,
) {
  let q = eb
    .selectFrom('bookings as ab')
    .innerJoin('facilities as af', 'af.id', 'ab.facility_id')
    .whereRef('ab.pilot_id', '=', 'pilots.id')
    .where(isApproved('ab'))
    .select(sql`1`.as('one'))
  if (areaId) q = q.where('af.area_id', '=', areaId)
  if (when === 'active' && now) q = q.where(bookingPeriodHolds('ab', now))
  if (when === 'upcoming' && now) q = q.where('ab.starts_at', '>', now)
  if (when === 'completed' && now) q = q.where('ab.ends_at', '<=', now)
  return eb.exists(q)
}

/** Has an approved booking on one of these facilities (none: false). One array parameter, however many. */
function approvedOnAny(eb: ExpressionBuilder<Database, 'pilots'>, facilityIds: string[]) {
  if (facilityIds.length === 0) return sql<boolean>`false`
  return eb.exists(
    eb
      .selectFrom('bookings as nb')
      .whereRef('nb.pilot_id', '=', 'pilots.id')
      .where(isApproved('nb'))
      .where(sql<boolean>`nb.facility_id = any(${facilityIds}::uuid[])`)
      .select(sql`1`.as('one')),
  )
}

export interface PilotFilter {
  phase?: 'active' | 'upcoming' | 'completed' | undefined
  areaId?: string | undefined
  category?: string | undefined
  mine?: boolean
  limit: number
  cursor?: string | undefined
  /** Residents: only pilots with an approved booking on one of these facilities (a "near" search). */
  nearFacilityIds?: ReadonlySet<string> | undefined
  /** Officials: only pilots whose results are overdue. */
  resultsOverdue?: boolean | undefined
}

/**
 * One page of pilots by title: the public ones (with an approved booking) or, with `mine`, the
 * caller's organisation's. The phase filter follows `pilotPhase`.
 */
export async function listPilots(db: Executor, filter: PilotFilter, user: SessionUser | null, now: Date) {
  let q = selectPilots(db)
  if (filter.mine)
    q = q.where('pilots.organisation_id', '=', user?.organisationId ?? '00000000-0000-0000-0000-000000000000')
  else q = q.where((eb) => hasApproved(eb, undefined, undefined, filter.areaId))
  if (filter.mine && filter.areaId) q = q.where((eb) => hasApproved(eb, undefined, undefined, filter.areaId))
  if (filter.category) q = q.where('pilots.category_id', '=', filter.category)
  const near = filter.nearFacilityIds
  if (near) q = q.where((eb) => approvedOnAny(eb, [...near]))
  if (filter.resultsOverdue) q = q.where((eb) => resultsOverdue(eb, now))
  if (filter.phase === 'active') q = q.where((eb) => hasApproved(eb, 'active', now))
  if (filter.phase === 'upcoming') {
    q = q.where((eb) => eb.and([eb.not(hasApproved(eb, 'active', now)), hasApproved(eb, 'upcoming', now)]))
  }
  if (filter.phase === 'completed') {
    q = q.where((eb) =>
      eb.and([
        eb.not(hasApproved(eb, 'active', now)),
        eb.not(hasApproved(eb, 'upcoming', now)),
        hasApproved(eb, 'completed', now),
      ]),
    )
  }
  if (filter.cursor) {
    const after = decodeCursor(filter.cursor)
    q = q.where(sql<boolean>`(pilots.title, pilots.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('pilots.title')
    .orderBy('pilots.id')
    .limit(filter.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, filter.limit, (r) => r.title)
  return { items: await withBookings(db, pageRows, user, now.getTime(), near), nextCursor }
}

/** One pilot with its organisation's name, whoever asks; undefined if there is none. */
export async function pilotRow(db: Executor, id: string) {
  return selectPilots(db).where('pilots.id', '=', id).executeTakeFirst()
}

/**
 * The bookings of a pilot a caller may see, as `bookingAccess` decides it one by one: every
 * booking for its parties (its organisation, admins, the departments that sign it off), the
 * approved ones for everyone.
 */
function visibleTo(user: SessionUser | null) {
  return (eb: ExpressionBuilder<Database, 'bookings' | 'pilots'>) =>
    user ? eb.or([isApproved('bookings'), partyScope(user)(eb)]) : isApproved('bookings')
}

/** A pilot's bookings that a caller may see: how many, and the pilot's phase (from its approved ones). */
export async function pilotBookingsSummary(
  db: Executor,
  pilotId: string,
  user: SessionUser | null,
  now: Date,
) {
  const approved = isApproved('bookings')
  const row = await db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .where('bookings.pilot_id', '=', pilotId)
    .where(visibleTo(user))
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<boolean | null>`bool_or(${approved} and ${bookingPeriodHolds('bookings', now)})`.as('active'),
      sql<boolean | null>`bool_or(${approved} and bookings.starts_at > ${now}::timestamptz)`.as('upcoming'),
      sql<boolean | null>`bool_or(${approved} and bookings.ends_at <= ${now}::timestamptz)`.as('completed'),
    ])
    .executeTakeFirstOrThrow()
  return { total: Number(row.total), phase: phaseOfSummary(row) }
}

/** Whether a caller may see at least one of a pilot's bookings. */
export async function seesAnyBooking(db: Executor, pilotId: string, user: SessionUser | null) {
  const row = await db
    .selectFrom('bookings')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .where('bookings.pilot_id', '=', pilotId)
    .where(visibleTo(user))
    .select(sql`1`.as('one'))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** A cursor of a pilot's bookings: the start (as `toISOString` wrote it) and id of the last one shown. */
function startCursor(cursor: string): CursorPosition & { start: Date } {
  const after = decodeInstantCursor(cursor)
  return { ...after, start: after.at }
}

/** One page of the bookings of a pilot a caller may see, by start, then id (`bookings_pilot_starts_idx`). */
export async function pilotBookingsPage(
  db: Executor,
  pilotId: string,
  user: SessionUser | null,
  page: { limit: number; cursor?: string | undefined },
  now: number,
): Promise<{ items: PilotBooking[]; nextCursor: string | null }> {
  let q = selectPilotBookings(db).where('bookings.pilot_id', '=', pilotId).where(visibleTo(user))
  if (page.cursor) {
    const after = startCursor(page.cursor)
    q = q.where(
      sql<boolean>`(bookings.starts_at, bookings.id) > (${after.start}::timestamptz, ${after.id}::uuid)`,
    )
  }
  const rows = await q
    .orderBy('bookings.starts_at')
    .orderBy('bookings.id')
    .limit(page.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, page.limit, (r) => r.starts_at.toISOString())
  return { items: pageRows.map((b) => toPilotBooking(b, now, accessTo(user, b))), nextCursor }
}

export async function pilotOwner(db: Executor, id: string) {
  return db
    .selectFrom('pilots')
    .select(['id', 'organisation_id', 'title', 'category_id', 'version'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertPilot(
  db: Executor,
  organisationId: string,
  createdBy: string,
  body: CreatePilotBody,
  now: Date,
) {
  const row = await db
    .insertInto('pilots')
    .values({
      organisation_id: organisationId,
      title: body.title,
      summary: body.summary,
      category_id: body.category,
      public_description: body.publicDescription,
      data_collected: body.dataCollected,
      contact_email: body.contactEmail,
      website: body.website ?? null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updatePilot(db: Executor, id: string, body: UpdatePilotBody, now: Date) {
  await db
    .updateTable('pilots')
    .set((eb) => ({
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.category !== undefined ? { category_id: body.category } : {}),
      ...(body.publicDescription !== undefined ? { public_description: body.publicDescription } : {}),
      ...(body.dataCollected !== undefined ? { data_collected: body.dataCollected } : {}),
      ...(body.contactEmail !== undefined ? { contact_email: body.contactEmail } : {}),
      ...(body.website !== undefined ? { website: body.website } : {}),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/**
 * What a booking request needs of a pilot: its organisation, category and title; undefined if
 * none. The row is held FOR KEY SHARE (the lock the booking's foreign key takes anyway), so that
 * deleting the pilot waits for the request, and a request that waited for a deletion finds no
 * pilot (404) instead of breaking the foreign key.
 */
export async function pilotForBooking(db: Executor, id: string) {
  return db
    .selectFrom('pilots')
    .select(['id', 'organisation_id', 'category_id', 'title'])
    .where('id', '=', id)
    .forKeyShare()
    .executeTakeFirst()
}

/** A pilot to delete, locked FOR UPDATE: booking requests for it wait (see `pilotForBooking`). */
export async function lockPilot(db: Executor, id: string) {
  return selectPilots(db).where('pilots.id', '=', id).forUpdate('pilots').executeTakeFirst()
}

/** Every booking of a pilot, by id, locked FOR UPDATE so that no decision changes one meanwhile. */
export async function lockPilotBookings(db: Executor, pilotId: string) {
  return db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .select([
      'bookings.id',
      'bookings.state',
      'bookings.facility_id',
      'facilities.name as facility_name',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.series_id',
    ])
    .where('bookings.pilot_id', '=', pilotId)
    .orderBy('bookings.id')
    .forUpdate('bookings')
    .execute()
}

/** Deletes a pilot with its bookings (their reviews go with them; a series with its pilot). */
export async function deletePilotRows(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('bookings').where('pilot_id', '=', id).execute()
  await db.deleteFrom('pilots').where('id', '=', id).execute()
}

/** A pilot's category; throws (Kysely's NoResultError) when there is no such pilot. */
export async function pilotCategory(db: Executor, id: string): Promise<string> {
  const pilot = await db
    .selectFrom('pilots')
    .select('category_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return pilot.category_id
}

/** Pilots with an approved booking overlapping a range, with their category and their organisation's cluster. */
export async function pilotsApprovedIn(db: Executor, range: Interval) {
  return db
    .selectFrom('pilots')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select(['pilots.id', 'pilots.category_id', 'organisations.cluster_id'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('bookings')
          .whereRef('bookings.pilot_id', '=', 'pilots.id')
          .where(isApproved('bookings'))
          .where(bookingPeriodOverlaps('bookings', new Date(range.start), new Date(range.end)))
          .select(sql`1`.as('one')),
      ),
    )
    .execute()
}
