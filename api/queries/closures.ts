import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import type { Closure as RuleClosure } from '../domain/booking-rules.ts'
import type { UnpublishedScope } from '../domain/permissions.ts'
import type { Closure, ClosureOverview } from '../schemas/catalogue.ts'
import type { ClosureOverlap } from '../schemas/closures.ts'
import { closureOverlaps, isHolding, occupiedOverlaps } from './ranges.ts'

type ClosureRow = {
  id: string
  facility_id: string | null
  area_id: string | null
  starts_at: Date
  ends_at: Date
  reason: string
}

function toClosure(row: ClosureRow): Closure {
  return {
    id: row.id,
    facilityId: row.facility_id,
    areaId: row.area_id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    reason: row.reason,
  }
}

const columns = ['id', 'facility_id', 'area_id', 'starts_at', 'ends_at', 'reason'] as const

/**
 * Closures that affect a facility — its own and its whole area's — overlapping [from, to)
 * when given, by start.
 */
export async function listClosures(
  db: Executor,
  target: { facilityId?: string; areaId: string },
  range: { from?: string | undefined; to?: string | undefined },
) {
  let q = db.selectFrom('closures').select(columns)
  q = target.facilityId
    ? q.where((eb) =>
        eb.or([eb('facility_id', '=', target.facilityId as string), eb('area_id', '=', target.areaId)]),
      )
    : q.where('area_id', '=', target.areaId)
  if (range.from && range.to) q = q.where(closureOverlaps(new Date(range.from), new Date(range.to)))
  else if (range.from) q = q.where('ends_at', '>', new Date(range.from))
  else if (range.to) q = q.where('starts_at', '<', new Date(range.to))
  const rows = await q.orderBy('starts_at').orderBy('id').limit(1000).execute()
  return rows.map(toClosure)
}

/** A closure of a facility or of a whole area (exactly one of the two), with its public reason. */
export interface NewClosure {
  facilityId?: string
  areaId?: string
  start: string
  end: string
  reason: string
  createdBy: string
}

export async function insertClosure(db: Executor, closure: NewClosure, now: Date) {
  const row = await db
    .insertInto('closures')
    .values({
      facility_id: closure.facilityId ?? null,
      area_id: closure.areaId ?? null,
      starts_at: new Date(closure.start),
      ends_at: new Date(closure.end),
      reason: closure.reason,
      created_by: closure.createdBy,
      created_at: now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toClosure(row)
}

/** A closure with the department that manages what it closes. */
/**
 * The closures of a booking's site or area that meet the span it occupies (setup and teardown
 * included), earliest first: an official may not approve a booking that one of them covers.
 */
export async function closuresOverBooking(db: Executor, bookingId: string): Promise<RuleClosure[]> {
  const rows = await db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('closures', (join) =>
      join.on((eb) =>
        eb.or([
          eb('closures.facility_id', '=', eb.ref('facilities.id')),
          eb('closures.area_id', '=', eb.ref('facilities.area_id')),
        ]),
      ),
    )
    .where('bookings.id', '=', bookingId)
    .where(
      sql<boolean>`tstzrange(closures.starts_at, closures.ends_at) && tstzrange(bookings.occupied_from, bookings.occupied_to, '[)')`,
    )
    .select(['closures.starts_at', 'closures.ends_at', 'closures.reason'])
    .orderBy('closures.starts_at')
    .execute()
  return rows.map((r) => ({ start: r.starts_at.getTime(), end: r.ends_at.getTime(), reason: r.reason }))
}

export async function findClosure(db: Executor, id: string) {
  const row = await db
    .selectFrom('closures')
    .leftJoin('facilities', 'facilities.id', 'closures.facility_id')
    .leftJoin('areas', 'areas.id', 'closures.area_id')
    .select([
      'closures.id',
      'closures.facility_id',
      'closures.area_id',
      'closures.starts_at',
      'closures.ends_at',
      'closures.reason',
      'facilities.department_id as facility_department_id',
      'areas.department_id as area_department_id',
    ])
    .where('closures.id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  const departmentId = row.facility_department_id ?? row.area_department_id
  if (!departmentId) return undefined
  return { closure: toClosure(row), departmentId }
}

export async function deleteClosure(db: Executor, id: string) {
  await db.deleteFrom('closures').where('id', '=', id).execute()
}

/** Set the changed fields of a closure; its new state. */
export async function updateClosure(
  db: Executor,
  id: string,
  change: { start: string; end: string; reason: string },
) {
  const row = await db
    .updateTable('closures')
    .set({ starts_at: new Date(change.start), ends_at: new Date(change.end), reason: change.reason })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toClosure(row)
}

type OverviewEb = ExpressionBuilder<Database, 'closures' | 'areas' | 'facilities'>

/**
 * What a caller may see: closures of published areas and of published facilities in them, plus
 * the drafts the scope allows (as `GET /facilities/{id}/closures` and `/areas/{id}/closures` do).
 */
function visibleClosure(scope: UnpublishedScope) {
  return (eb: OverviewEb) => {
    if (scope.kind === 'all') return eb.lit(true)
    const published = eb.and([
      eb('areas.published', '=', true),
      eb.or([eb('closures.facility_id', 'is', null), eb('facilities.published', '=', true)]),
    ])
    if (scope.kind === 'none') return published
    return eb.or([
      published,
      eb('areas.department_id', '=', scope.departmentId),
      eb('facilities.department_id', '=', scope.departmentId),
    ])
  }
}

/** What the overview is filtered by: a window, an area (with its facilities), a facility (with its area). */
export interface ClosureFilter {
  from?: string | undefined
  to?: string | undefined
  areaId?: string | undefined
  facilityId?: string | undefined
  /** Keyset position: after this start and id. */
  after?: { at: Date; id: string } | undefined
  limit: number
}

function filtered(eb: OverviewEb, filter: ClosureFilter) {
  const tests = []
  if (filter.areaId) {
    tests.push(
      eb.or([eb('closures.area_id', '=', filter.areaId), eb('facilities.area_id', '=', filter.areaId)]),
    )
  }
  if (filter.facilityId) {
    const areaOf = eb.selectFrom('facilities as f').select('f.area_id').where('f.id', '=', filter.facilityId)
    tests.push(
      eb.or([eb('closures.facility_id', '=', filter.facilityId), eb('closures.area_id', '=', areaOf)]),
    )
  }
  if (filter.from && filter.to) tests.push(closureOverlaps(new Date(filter.from), new Date(filter.to)))
  else if (filter.from) tests.push(eb('closures.ends_at', '>', new Date(filter.from)))
  else if (filter.to) tests.push(eb('closures.starts_at', '<', new Date(filter.to)))
  const after = filter.after
  if (after) {
    tests.push(
      eb.or([
        eb('closures.starts_at', '>', after.at),
        eb.and([eb('closures.starts_at', '=', after.at), eb('closures.id', '>', after.id)]),
      ]),
    )
  }
  return eb.and(tests)
}

/** Every closure a caller may see that meets the filter, by start, with what it closes; `limit + 1` rows. */
export async function listClosureOverview(db: Executor, filter: ClosureFilter, scope: UnpublishedScope) {
  const rows = await db
    .selectFrom('closures')
    .leftJoin('facilities', 'facilities.id', 'closures.facility_id')
    .innerJoin('areas', (join) =>
      join.on((eb) => eb('areas.id', '=', eb.fn.coalesce('closures.area_id', 'facilities.area_id'))),
    )
    .select([
      ...columns.map((c) => `closures.${c}` as const),
      'areas.name as area_name',
      'facilities.name as facility_name',
    ])
    .select(['areas.id as closed_area_id'])
    .where(visibleClosure(scope))
    .where((eb) => filtered(eb, filter))
    .orderBy('closures.starts_at')
    .orderBy('closures.id')
    .limit(filter.limit + 1)
    .execute()
  return rows.map(
    (row): ClosureOverview => ({
      ...toClosure(row),
      area: { id: row.closed_area_id, name: row.area_name },
      facility:
        row.facility_id && row.facility_name ? { id: row.facility_id, name: row.facility_name } : null,
    }),
  )
}

/** What a closure would close: one facility, or every facility of an area; over [from, to). */
export interface ClosurePlace {
  facilityId?: string | undefined
  areaId?: string | undefined
  from: Date
  to: Date
  /** A closure whose bookings, as it stands, are left out (the one being edited). */
  excludeId?: string | undefined
  limit: number
}

type OverlapEb = ExpressionBuilder<Database, 'bookings' | 'facilities'>

/** The booking is one the closure `excludeId` already meets where and when it is now. */
function alreadyClosed(eb: OverlapEb, excludeId: string) {
  return eb.exists(
    eb
      .selectFrom('closures as c')
      .select(sql.lit(1).as('one'))
      .where('c.id', '=', excludeId)
      .where(sql<boolean>`tstzrange(c.starts_at, c.ends_at) && bookings.occupied`)
      .where((inner) =>
        inner.or([
          inner('c.facility_id', '=', inner.ref('bookings.facility_id')),
          inner('c.area_id', '=', inner.ref('facilities.area_id')),
        ]),
      ),
  )
}

/**
 * The bookings holding their slot whose occupied span (setup and teardown included, as booking
 * rule 8 tests it) meets a closure's place and times, by start, at most `limit`, with how many
 * there are in all — one statement: `bookings_facility_occupied_idx` per facility.
 */
export async function listClosureOverlaps(db: Executor, place: ClosurePlace) {
  let q = db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select([
      'bookings.id',
      'bookings.pilot_id',
      'pilots.title',
      'organisations.name as organisation_name',
      'bookings.facility_id',
      'facilities.name as facility_name',
      'bookings.starts_at',
      'bookings.ends_at',
      'bookings.state',
      sql<number>`(count(*) over ())::int`.as('total'),
    ])
    .where(isHolding('bookings'))
    .where(occupiedOverlaps(place.from, place.to))
  q = place.facilityId
    ? q.where('bookings.facility_id', '=', place.facilityId)
    : q.where('facilities.area_id', '=', place.areaId as string)
  const excludeId = place.excludeId
  if (excludeId) q = q.where((eb) => eb.not(alreadyClosed(eb, excludeId)))
  const rows = await q.orderBy('bookings.starts_at').orderBy('bookings.id').limit(place.limit).execute()
  const items = rows.map(
    (row): ClosureOverlap => ({
      bookingId: row.id,
      pilotId: row.pilot_id,
      pilotTitle: row.title,
      organisationName: row.organisation_name,
      facilityId: row.facility_id,
      facilityName: row.facility_name,
      start: row.starts_at.toISOString(),
      end: row.ends_at.toISOString(),
      state: row.state as ClosureOverlap['state'],
    }),
  )
  return { items, total: rows[0]?.total ?? 0 }
}
