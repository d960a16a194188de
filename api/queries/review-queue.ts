import { type ExpressionBuilder, sql } from 'kysely'
import type { BookingState, Database, Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { likePattern } from '../lib/search.ts'
import { type BookingSelection, selectBookings } from './bookings.ts'
import { isHolding } from './ranges.ts'

export type QueueSort = 'deadline' | 'start' | 'created'

export interface QueueFilter {
  state?: BookingState | undefined
  facilityId?: string | undefined
  areaId?: string | undefined
  category?: string | undefined
  from?: Date | undefined
  to?: Date | undefined
  q?: string | undefined
  sort: QueueSort
}

/** Where a page starts: after this item's sort key (deadline key and submission, or one instant). */
export interface QueueAfter {
  rank?: number
  at: Date
  id: string
}

type Tables = 'reviews' | 'bookings' | 'departments'

/**
 * The deadline as a number that sorts like `decideBy`: the count of working days (weekdays that
 * are not public holidays) from Monday 2000-01-03 to the submission's city date, plus the review
 * period. api/domain/deadlines.ts turns it into the date; both skip the same days.
 */
function deadlineRank(timeZone: string) {
  const day = sql`(bookings.created_at at time zone ${timeZone})::date`
  const n = sql`(${day} - date '2000-01-03')`
  // The holidays on weekdays up to that date: a binary search in their sorted array, built once
  // per statement (a count per row cost 10 ms with 10,000 waiting).
  const holidays = sql`(select coalesce(array_agg(h.day order by h.day), '{}') from public_holidays h
    where h.day >= date '2000-01-03' and extract(isodow from h.day) < 6)`
  return sql<number>`(5 * (${n} / 7) + least(${n} % 7 + 1, 5) - width_bucket(${day}, ${holidays})
    + departments.review_period_days)`
}

function scope(user: SessionUser, filter: QueueFilter) {
  return (eb: ExpressionBuilder<Database, Tables>) => {
    const all = [
      filter.state
        ? eb('bookings.state', '=', filter.state)
        : eb.and([sql<boolean>`bookings.state = 'pending'`, sql<boolean>`reviews.decision = 'pending'`]),
    ]
    if (user.role !== 'admin') all.push(eb('reviews.department_id', '=', user.departmentId ?? ''))
    if (filter.facilityId) all.push(eb('bookings.facility_id', '=', filter.facilityId))
    if (filter.from) all.push(eb('bookings.ends_at', '>', filter.from))
    if (filter.to) all.push(eb('bookings.starts_at', '<', filter.to))
    if (filter.areaId) {
      const sites = eb
        .selectFrom('facilities')
        .where('facilities.area_id', '=', filter.areaId)
        .select('facilities.id')
      all.push(eb('bookings.facility_id', 'in', sites))
    }
    if (filter.category || filter.q) all.push(eb('bookings.pilot_id', 'in', pilotsMatching(eb, filter)))
    return eb.and(all)
  }
}

/** The pilots of the category whose title or company's name contains `q`. */
function pilotsMatching(eb: ExpressionBuilder<Database, Tables>, filter: QueueFilter) {
  let pilots = eb
    .selectFrom('pilots as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select('p.id')
  if (filter.category) pilots = pilots.where('p.category_id', '=', filter.category)
  if (filter.q) {
    const like = likePattern(filter.q)
    pilots = pilots.where((w) => w.or([w('p.title', 'ilike', like), w('o.name', 'ilike', like)]))
  }
  return pilots
}

/** Every sign-off the caller's queue holds, each series' occurrences numbered by start. */
function waiting(db: Executor, user: SessionUser, filter: QueueFilter, timeZone: string) {
  const group = sql`coalesce(bookings.series_id, bookings.id), reviews.department_id`
  return db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .innerJoin('departments', 'departments.id', 'reviews.department_id')
    .where(scope(user, filter))
    .select([
      'reviews.id as review_id',
      'reviews.booking_id',
      'reviews.department_id',
      'reviews.decision',
      'departments.review_period_days',
      'bookings.created_at as submitted_at',
      'bookings.starts_at as begins_at',
      deadlineRank(timeZone).as('rank'),
      sql<number>`row_number() over (partition by ${group} order by bookings.starts_at, bookings.id)`.as(
        'nth',
      ),
      sql<number>`count(*) over (partition by ${group})::int`.as('occurrences'),
    ])
}

function afterCursor(sort: QueueSort, after: QueueAfter) {
  if (sort === 'deadline') {
    return sql<boolean>`(w.rank, w.submitted_at, w.review_id) > (${after.rank ?? 0}::int, ${after.at}::timestamptz, ${after.id}::uuid)`
  }
  const column = sort === 'start' ? sql.ref('w.begins_at') : sql.ref('w.submitted_at')
  return sql<boolean>`(${column}, w.review_id) > (${after.at}::timestamptz, ${after.id}::uuid)`
}

const orderOf: Record<QueueSort, string> = {
  deadline: 'w.rank, w.submitted_at, w.review_id',
  start: 'w.begins_at, w.review_id',
  created: 'w.submitted_at, w.review_id',
}

/**
 * The page's sign-offs, chosen before anything is joined to them: the whole queue is counted
 * (before the cursor's condition) and sorted on its own columns, and only the page's rows go on
 * to meet their bookings, pilots and sites. With 10,000 waiting, joining them all first cost
 * four times the rest of the query.
 */
function pageOf(db: Executor, user: SessionUser, filter: QueueFilter, page: QueuePageOptions) {
  const counted = db
    .selectFrom(waiting(db, user, filter, page.timeZone).as('all'))
    .where('all.nth', '=', 1)
    .selectAll('all')
    .select(sql<number>`count(*) over ()::int`.as('total'))
  let chosen = db.selectFrom(counted.as('w')).selectAll('w')
  if (page.after) chosen = chosen.where(afterCursor(filter.sort, page.after))
  return chosen.orderBy(sql.raw(orderOf[filter.sort])).limit(page.limit + 1)
}

interface QueuePageOptions {
  limit: number
  after?: QueueAfter | undefined
  timeZone: string
}

export interface QueueRowExtra {
  review_id: string
  department_id: string
  decision: string
  review_period_days: number
  rank: number
  occurrences: number
  /** Every page's items, counted before the cursor. */
  total: number
  pilot_category: string
  organisation_name: string
  area_id: string
  area_name: string
  conflicts: string[]
  holidays: string[]
}
export type QueueRow = BookingSelection & QueueRowExtra

/**
 * One page of the queue, in one statement: the bookings, their pilots, sites, series, conflicts
 * and the count of the whole queue (taken before the cursor's condition).
 */
export async function queuePage(
  db: Executor,
  user: SessionUser,
  filter: QueueFilter,
  page: QueuePageOptions,
): Promise<QueueRow[]> {
  const rows = await selectBookings(db)
    .innerJoin(pageOf(db, user, filter, page).as('w'), 'w.booking_id', 'bookings.id')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select([
      'w.total',
      'w.review_id',
      'w.department_id',
      'w.decision',
      'w.review_period_days',
      'w.rank',
      'w.occurrences',
      'pilots.category_id as pilot_category',
      'organisations.name as organisation_name',
      'areas.id as area_id',
      'areas.name as area_name',
      sql<string[]>`array(select o.id::text from bookings o where o.facility_id = bookings.facility_id
        and o.id <> bookings.id and o.state = 'pending' and ${isHolding('o')}
        and tstzrange(o.starts_at, o.ends_at, '[)') && tstzrange(bookings.starts_at, bookings.ends_at, '[)')
        order by o.starts_at, o.id limit 50)`.as('conflicts'),
      sql<
        string[]
      >`(select coalesce(json_agg(h.day::text order by h.day), '[]'::json) from public_holidays h)`.as(
        'holidays',
      ),
    ])
    .orderBy(sql.raw(orderOf[filter.sort]))
    .execute()
  return rows as unknown as QueueRow[]
}

/** How many items the whole queue holds (every page): for a cursor past the last item. */
export async function queueTotal(db: Executor, user: SessionUser, filter: QueueFilter, timeZone: string) {
  const row = await db
    .selectFrom(waiting(db, user, filter, timeZone).as('w'))
    .where('w.nth', '=', 1)
    .select(sql<number>`count(*)::int`.as('total'))
    .executeTakeFirstOrThrow()
  return row.total
}
