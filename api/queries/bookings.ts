import { type ExpressionBuilder, sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { precompiled } from '../../db/precompiled.ts'
import type { BookingState, Database, Executor, ReviewDecision } from '../../db/types.ts'
import type { BookingRules, Closure } from '../domain/booking-rules.ts'
import type { Interval } from '../domain/intervals.ts'
import { phaseOf } from '../domain/lifecycle.ts'
import type { BookingAccess } from '../domain/permissions.ts'
import type { SessionUser } from '../lib/context.ts'
import { decodeInstantCursor, paginate } from '../lib/cursor.ts'
import type { Booking } from '../schemas/pilots.ts'
import { durationRulesOf, openingHoursOf } from './catalogue.ts'
import { hearsOfEachRequest } from './digests.ts'
import { bookingPeriodOverlaps, closureOverlaps, isApproved, isHolding, occupiedOverlaps } from './ranges.ts'

export function selectBookings(db: Executor) {
  return db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .select((eb) => [
      'bookings.id',
      'bookings.pilot_id',
      'bookings.facility_id',
      'facilities.name as facility_name',
      'pilots.organisation_id',
      'pilots.title as pilot_title',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.state',
      'bookings.note',
      'bookings.cancel_reason',
      'bookings.created_by',
      'bookings.created_at',
      'bookings.updated_at',
      'bookings.version',
      'bookings.series_id',
      jsonArrayFrom(
        eb
          .selectFrom('reviews')
          .innerJoin('departments', 'departments.id', 'reviews.department_id')
          .leftJoin('users', 'users.id', 'reviews.decided_by')
          .whereRef('reviews.booking_id', '=', 'bookings.id')
          .select([
            'reviews.department_id',
            'departments.name as department_name',
            'reviews.decision',
            'reviews.note',
            'users.name as decided_by',
            sql<
              string | null
            >`to_char(reviews.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as(
              'decided_at',
            ),
          ])
          .orderBy('departments.name'),
      ).as('reviews'),
    ])
}

export type BookingSelection = Awaited<
  ReturnType<ReturnType<typeof selectBookings>['executeTakeFirstOrThrow']>
>

type ReviewRow = {
  department_id: string
  department_name: string
  decision: ReviewDecision
  note: string | null
  decided_by: string | null
  decided_at: string | null
}

/** The departments that must sign a booking off: one review row each, fixed when it was requested. */
export function requiredDepartments(row: BookingSelection): string[] {
  return (row.reviews as ReviewRow[]).map((r) => r.department_id)
}

/** A booking as the API shows it; the public view leaves out notes and who decided. */
export function toBooking(row: BookingSelection, now: number, access: BookingAccess): Booking {
  const party = access === 'party'
  return {
    id: row.id,
    pilotId: row.pilot_id,
    facilityId: row.facility_id,
    facilityName: row.facility_name,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    state: row.state,
    phase: phaseOf(row.state, { start: row.starts_at.getTime(), end: row.ends_at.getTime() }, now),
    note: party ? row.note : null,
    cancelReason: party ? row.cancel_reason : null,
    reviews: (row.reviews as ReviewRow[]).map((r) => ({
      departmentId: r.department_id,
      departmentName: r.department_name,
      decision: r.decision,
      note: party ? r.note : null,
      decidedBy: party ? r.decided_by : null,
      decidedAt: r.decided_at,
    })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
    seriesId: row.series_id,
  }
}

export async function findBooking(db: Executor, id: string) {
  return selectBookings(db).where('bookings.id', '=', id).executeTakeFirst()
}

/** Bookings a signed-in caller is a party to: their organisation's, their department's, or all for admins. */
export function partyScope(user: SessionUser) {
  return (eb: ExpressionBuilder<Database, 'bookings' | 'pilots'>) => {
    if (user.role === 'admin') return eb.lit(true)
    if (user.role === 'company') return eb('pilots.organisation_id', '=', user.organisationId ?? '')
    return eb.exists(
      eb
        .selectFrom('reviews as mine')
        .whereRef('mine.booking_id', '=', 'bookings.id')
        .where('mine.department_id', '=', user.departmentId ?? '00000000-0000-0000-0000-000000000000')
        .select(sql`1`.as('one')),
    )
  }
}

export interface BookingFilter {
  state?: BookingState | undefined
  facilityId?: string | undefined
  pilotId?: string | undefined
  limit: number
  cursor?: string | undefined
}

/** One page of the bookings a caller is a party to, newest first. */
export async function listBookings(db: Executor, user: SessionUser, filter: BookingFilter) {
  let q = selectBookings(db).where(partyScope(user))
  if (filter.state) q = q.where('bookings.state', '=', filter.state)
  if (filter.facilityId) q = q.where('bookings.facility_id', '=', filter.facilityId)
  if (filter.pilotId) q = q.where('bookings.pilot_id', '=', filter.pilotId)
  if (filter.cursor) {
    const after = decodeInstantCursor(filter.cursor)
    q = q.where(
      sql<boolean>`(bookings.created_at, bookings.id) < (${after.at}::timestamptz, ${after.id}::uuid)`,
    )
  }
  const rows = await q
    .orderBy('bookings.created_at', 'desc')
    .orderBy('bookings.id', 'desc')
    .limit(filter.limit + 1)
    .execute()
  return paginate(rows, filter.limit, (r) => r.created_at.toISOString())
}

/**
 * The facility a request is for, with everything its rules need, locked FOR UPDATE: the lock
 * serialises every request for one facility, so that checking capacity and inserting are one
 * step under any concurrency.
 */
export function lockFacilityForBooking(db: Executor, facilityId: string) {
  return facilityForBooking(db, facilityId, { lock: true })
}

function facilityForBookingQuery(db: Executor, facilityId: string) {
  return db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select((eb) => [
      'facilities.id',
      'facilities.name',
      'facilities.area_id',
      'facilities.capacity',
      'facilities.published',
      'areas.published as area_published',
      'areas.department_id as area_department_id',
      'facilities.department_id',
      'facilities.min_duration_minutes',
      'facilities.max_duration_minutes',
      'facilities.lead_time_minutes',
      'facilities.horizon_days',
      'facilities.setup_minutes',
      'facilities.teardown_minutes',
      openingHoursOf(eb).as('opening_hours'),
      eb
        .selectFrom('facility_signoff_departments as sd')
        .whereRef('sd.facility_id', '=', 'facilities.id')
        .select(sql<string[]>`coalesce(array_agg(sd.department_id::text), '{}')`.as('ids'))
        .as('signoff_department_ids'),
      eb
        .selectFrom('area_categories as ac')
        .whereRef('ac.area_id', '=', 'facilities.area_id')
        .select(sql<string[]>`coalesce(array_agg(ac.category_id), '{}')`.as('ids'))
        .as('categories'),
    ])
    .where('facilities.id', '=', facilityId)
}

const facilityRow = precompiled((db, p: { id: string }) => facilityForBookingQuery(db, p.id))
const lockedFacilityRow = precompiled((db, p: { id: string }) =>
  facilityForBookingQuery(db, p.id).forUpdate('facilities'),
)

/** A facility with its booking rules, sign-off departments and area categories; optionally locked. */
export async function facilityForBooking(db: Executor, facilityId: string, options: { lock: boolean }) {
  const [row] = await (options.lock ? lockedFacilityRow : facilityRow)(db, { id: facilityId })
  return row ? bookableFacility(row) : undefined
}

type FacilityRow = Awaited<ReturnType<typeof facilityRow>>[number]

function bookableFacility(row: FacilityRow) {
  const rules: BookingRules = {
    ...durationRulesOf(row),
    openingHours: row.opening_hours as { weekday: number; from: string; to: string }[],
  }
  return {
    id: row.id,
    name: row.name,
    areaId: row.area_id,
    capacity: row.capacity,
    published: row.published && row.area_published,
    departmentId: row.department_id,
    areaDepartmentId: row.area_department_id,
    signoffDepartmentIds: (row.signoff_department_ids ?? []).filter((d) => d !== row.department_id),
    categories: row.categories ?? [],
    rules,
  }
}

export type BookableFacility = ReturnType<typeof bookableFacility>

/** An instant as epoch milliseconds, the way `Date.getTime` gives it, for JSON built in SQL. */
const epochMs = (column: string) => sql`floor(extract(epoch from ${sql.ref(column)}) * 1000)`

/**
 * [from, to) widened by the facility's setup and teardown on each side: bookings and closures
 * that near still shape free time. Matches `bookings_facility_occupied_idx` and the closure indexes.
 */
const widened = (p: { from: Date; to: Date }) =>
  sql`tstzrange(${p.from}::timestamptz - make_interval(mins => facilities.setup_minutes + facilities.teardown_minutes),
    ${p.to}::timestamptz + make_interval(mins => facilities.setup_minutes + facilities.teardown_minutes), '[)')`

const facilityWithOccupancyRow = precompiled((db, p: { id: string; from: Date; to: Date }) =>
  facilityForBookingQuery(db, p.id).select([
    sql<
      [number, number][]
    >`(select coalesce(json_agg(json_build_array(${epochMs('b.occupied_from')}, ${epochMs('b.occupied_to')})), '[]')
      from bookings b where b.facility_id = facilities.id and ${isHolding('b')} and b.occupied && ${widened(p)})`.as(
      'holding',
    ),
    sql<
      [number, number, string][]
    >`(select coalesce(json_agg(json_build_array(${epochMs('c.starts_at')}, ${epochMs('c.ends_at')}, c.reason) order by c.starts_at), '[]')
      from closures c where (c.facility_id = facilities.id or c.area_id = facilities.area_id)
      and tstzrange(c.starts_at, c.ends_at) && ${widened(p)})`.as('closure_spans'),
  ]),
)

/**
 * A facility as `facilityForBooking` gives it, with what `occupancy` would find over `range`
 * widened by its setup and teardown, in one round trip instead of two (free and busy time, the
 * most asked read of a site). Times come as epoch milliseconds in JSON: parsing a timestamp per
 * row was a twentieth of the request.
 */
export async function facilityWithOccupancy(db: Executor, facilityId: string, range: Interval) {
  const [row] = await facilityWithOccupancyRow(db, {
    id: facilityId,
    from: new Date(range.start),
    to: new Date(range.end),
  })
  if (!row) return undefined
  return {
    facility: bookableFacility(row),
    holding: row.holding.map(([start, end]) => ({ start, end })),
    closures: row.closure_spans.map(([start, end, reason]) => ({ start, end, reason })),
  }
}

interface OccupancyParams {
  facilityId: string
  areaId: string
  from: Date
  to: Date
  excludeBookingId: string
}

function occupancyQuery(db: Executor, p: OccupancyParams, excluding: boolean) {
  let bookings = db
    .selectFrom('bookings')
    .select([
      sql<string>`'booking'`.as('kind'),
      'occupied_from as starts',
      'occupied_to as ends',
      sql<string | null>`null`.as('reason'),
    ])
    .where('facility_id', '=', p.facilityId)
    .where(isHolding('bookings'))
    .where(occupiedOverlaps(p.from, p.to))
  if (excluding) bookings = bookings.where('id', '!=', p.excludeBookingId)
  const closures = db
    .selectFrom('closures')
    .select([sql<string>`'closure'`.as('kind'), 'starts_at as starts', 'ends_at as ends', 'reason'])
    .where((eb) => eb.or([eb('facility_id', '=', p.facilityId), eb('area_id', '=', p.areaId)]))
    .where(closureOverlaps(p.from, p.to))
  return bookings.unionAll(closures)
}

const occupancyRows = precompiled((db, p: OccupancyParams) => occupancyQuery(db, p, false))
const occupancyExcludingRows = precompiled((db, p: OccupancyParams) => occupancyQuery(db, p, true))

/**
 * What occupies a facility within a range, in one round trip: the occupied spans of the bookings
 * that hold it (all but `excludeBookingId`) and the closures of the facility and its area.
 */
export async function occupancy(
  db: Executor,
  facility: { id: string; areaId: string },
  range: Interval,
  excludeBookingId?: string,
): Promise<{ holding: Interval[]; closures: Closure[] }> {
  const params = {
    facilityId: facility.id,
    areaId: facility.areaId,
    from: new Date(range.start),
    to: new Date(range.end),
    excludeBookingId: excludeBookingId ?? '',
  }
  const rows = await (excludeBookingId ? occupancyExcludingRows : occupancyRows)(db, params)
  return {
    holding: rows
      .filter((r) => r.kind === 'booking')
      .map((r) => ({ start: r.starts.getTime(), end: r.ends.getTime() })),
    closures: rows
      .filter((r) => r.kind === 'closure')
      .map((r) => ({ start: r.starts.getTime(), end: r.ends.getTime(), reason: r.reason ?? '' }))
      .sort((a, b) => a.start - b.start),
  }
}

/** The values of the statement that writes a booking request. */
interface InsertBookingParams {
  pilotId: string
  facilityId: string
  startsAt: Date
  endsAt: Date
  occupiedFrom: Date
  occupiedTo: Date
  note: string | null
  createdBy: string
  at: Date
  departmentIds: string[]
  /** The audit event's details, as JSON text. */
  eventDetails: string
  /** The series the booking is an occurrence of; absent for a single booking. */
  seriesId?: string | null | undefined
}

/** A new booking request as `requestBooking` has checked it, with what the answer shows of its pilot and site. */
export interface NewBookingRequest extends Omit<InsertBookingParams, 'eventDetails'> {
  facilityName: string
  pilotTitle: string
  organisationId: string
  eventDetails: Record<string, unknown>
}

const insertBookingRequestRow = precompiled((db, p: InsertBookingParams) =>
  db
    .with('b', (q) =>
      q
        .insertInto('bookings')
        .values({
          pilot_id: p.pilotId,
          facility_id: p.facilityId,
          starts_at: p.startsAt,
          ends_at: p.endsAt,
          occupied_from: p.occupiedFrom,
          occupied_to: p.occupiedTo,
          state: 'pending',
          note: p.note,
          created_by: p.createdBy,
          created_at: p.at,
          updated_at: p.at,
          series_id: p.seriesId,
        })
        .returning([
          'id',
          'pilot_id',
          'facility_id',
          'starts_at',
          'ends_at',
          'state',
          'note',
          'cancel_reason',
          'created_by',
          'created_at',
          'updated_at',
          'version',
          'series_id',
        ]),
    )
    .with('r', (q) =>
      q
        .insertInto('reviews')
        .columns(['booking_id', 'department_id'])
        .expression((eb) =>
          eb
            .selectFrom(['b', 'departments'])
            .select(['b.id', 'departments.id as department_id'])
            .where(sql<boolean>`departments.id = any(${p.departmentIds}::uuid[])`),
        )
        .returning(['department_id', 'decision', 'note']),
    )
    .with('e', (q) =>
      q
        .insertInto('events')
        .columns(['at', 'actor_id', 'action', 'subject_type', 'subject_id', 'details'])
        .expression((eb) =>
          eb
            .selectFrom('b')
            .select([
              sql<Date>`${p.at}::timestamptz`.as('at'),
              sql<string>`${p.createdBy}::uuid`.as('actor_id'),
              sql<string>`'booking.requested'`.as('action'),
              sql<string>`'booking'`.as('subject_type'),
              'b.id',
              sql<string>`${p.eventDetails}::jsonb`.as('details'),
            ]),
        ),
    )
    .selectFrom('b')
    .selectAll('b')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('r')
          .innerJoin('departments', 'departments.id', 'r.department_id')
          .select([
            'r.department_id',
            'departments.name as department_name',
            'r.decision',
            'r.note',
            sql<string | null>`null`.as('decided_by'),
            sql<string | null>`null`.as('decided_at'),
          ])
          .orderBy('departments.name'),
      ).as('reviews'),
      jsonArrayFrom(
        eb
          .selectFrom('users')
          .select(['id', 'email', 'name', 'language'])
          .where('role', '=', 'official')
          .where('active', '=', true)
          .where(sql<boolean>`department_id = any(${p.departmentIds}::uuid[])`)
          // The request this statement writes is not visible to it yet: count it in.
          .where(hearsOfEachRequest(1)),
      ).as('officials'),
    ]),
)

/**
 * Writes a booking request in one statement: the booking, a pending review for each department,
 * and its audit event; returns the booking as `selectBookings` shows it and the officials to tell.
 * One round trip instead of five (insert, reviews, reload, event, officials) on the busiest write.
 */
export async function insertBookingRequest(db: Executor, request: NewBookingRequest) {
  const [row] = await insertBookingRequestRow(db, {
    ...request,
    seriesId: request.seriesId ?? null,
    eventDetails: JSON.stringify(request.eventDetails),
  })
  if (!row) throw new Error('inserting a booking returned no row')
  const { officials, ...booking } = row
  const selection: BookingSelection = {
    ...booking,
    facility_name: request.facilityName,
    pilot_title: request.pilotTitle,
    organisation_id: request.organisationId,
  }
  return { booking: selection, officials }
}

/** Active officials of the given departments who hear of each request (the others read the daily digest). */
export async function officialsOf(db: Executor, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return []
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language'])
    .where('role', '=', 'official')
    .where('active', '=', true)
    .where('department_id', 'in', [...departmentIds])
    .where(hearsOfEachRequest())
    .execute()
}

/** Who hears about a decision: the member who asked, or the organisation's active members when they are gone. */
export async function applicantsOf(
  db: Executor,
  booking: { createdBy: string | null; organisationId: string },
) {
  if (booking.createdBy) {
    const creator = await db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'language'])
      .where('id', '=', booking.createdBy)
      .where('active', '=', true)
      .executeTakeFirst()
    if (creator) return [creator]
  }
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language'])
    .where('organisation_id', '=', booking.organisationId)
    .where('active', '=', true)
    .execute()
}

/** Locks a booking's row FOR UPDATE until the transaction ends (an unknown id locks nothing). */
export async function lockBookingRow(db: Executor, id: string): Promise<void> {
  await db.selectFrom('bookings').select('id').where('id', '=', id).forUpdate().execute()
}

/** Moves a booking to new times, with the span it occupies (setup and teardown included). */
export async function rescheduleBooking(
  db: Executor,
  id: string,
  times: { startsAt: Date; endsAt: Date; occupiedFrom: Date; occupiedTo: Date },
): Promise<void> {
  await db
    .updateTable('bookings')
    .set({
      starts_at: times.startsAt,
      ends_at: times.endsAt,
      occupied_from: times.occupiedFrom,
      occupied_to: times.occupiedTo,
    })
    .where('id', '=', id)
    .execute()
}

/** Writes an edit of a booking: the note and the state where given, the time of the change, a new version. */
export async function reviseBooking(
  db: Executor,
  id: string,
  changes: { note?: string | null | undefined; state?: BookingState | undefined },
  now: Date,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set((eb) => ({
      ...(changes.note !== undefined ? { note: changes.note } : {}),
      ...(changes.state !== undefined ? { state: changes.state } : {}),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/** Sets a booking's state, and its decision time where given, with the time of the change and a new version. */
export async function setBookingState(
  db: Executor,
  id: string,
  change: { state: BookingState; decidedAt?: Date | undefined },
  now: Date,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set((eb) => ({
      state: change.state,
      updated_at: now,
      ...(change.decidedAt !== undefined ? { decided_at: change.decidedAt } : {}),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/** Marks a booking cancelled with its reason (null for none), the time of the change and a new version. */
export async function markBookingCancelled(
  db: Executor,
  id: string,
  reason: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('bookings')
    .set((eb) => ({
      state: 'cancelled' as const,
      cancel_reason: reason,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/**
 * The ids of at most `limit` pending bookings last changed before `changedBefore`, oldest change
 * first, locked FOR UPDATE SKIP LOCKED so that concurrent sweeps take different rows.
 */
export async function lockStalePendingBookings(
  db: Executor,
  changedBefore: Date,
  limit: number,
): Promise<{ id: string }[]> {
  return db
    .selectFrom('bookings')
    .select('id')
    .where('state', '=', 'pending')
    .where('updated_at', '<', changedBefore)
    .orderBy('updated_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

/** The facility and times of every approved booking that overlaps a range. */
export async function approvedBookingsOverlapping(db: Executor, range: Interval) {
  return db
    .selectFrom('bookings')
    .select(['facility_id', 'starts_at', 'ends_at'])
    .where(isApproved('bookings'))
    .where(bookingPeriodOverlaps('bookings', new Date(range.start), new Date(range.end)))
    .execute()
}
