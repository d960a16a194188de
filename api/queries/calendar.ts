import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { partyScope } from './bookings.ts'
import { bookingPeriodOverlaps, isApproved, isHolding } from './ranges.ts'

export interface CalendarFilter {
  start: Date
  end: Date
  /** For each approved booking's phase. */
  now: Date
  /** A signed-in caller also sees their own party's pending requests. */
  user: SessionUser | null
  facilityId?: string | undefined
  areaId?: string | undefined
}

/** An instant as JSON text, the way `toISOString` writes it. */
const isoText = (column: 'bookings.starts_at' | 'bookings.ends_at') =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * One FullCalendar event as JSON text, pasted together from its parts: a third cheaper for
 * PostgreSQL than `json_build_object` (and without its spaces). Names and titles go through `to_json` (quoted and escaped);
 * ids, the category and the state are plain words.
 */
function eventJson(now: Date): RawBuilder<string> {
  const phase = sql`case when bookings.state <> 'approved' then 'null'
    when ${now}::timestamptz < bookings.starts_at then '"upcoming"'
    when ${now}::timestamptz < bookings.ends_at then '"active"'
    else '"completed"' end`
  return sql<string>`'{"id":"' || bookings.id
    || '","title":' || to_json(pilots.title || ' — ' || organisations.name)::text
    || ',"start":"' || ${isoText('bookings.starts_at')} || '","end":"' || ${isoText('bookings.ends_at')}
    || '","extendedProps":{"bookingId":"' || bookings.id
    || '","pilotId":"' || pilots.id || '","pilotTitle":' || to_json(pilots.title)::text
    || ',"organisationName":' || to_json(organisations.name)::text
    || ',"facilityId":"' || facilities.id || '","facilityName":' || to_json(facilities.name)::text
    || ',"areaId":"' || facilities.area_id || '","category":"' || pilots.category_id
    || '","state":"' || bookings.state || '","phase":' || ${phase} || '}}'`
}

/**
 * The FullCalendar events of the bookings that meet `[start, end)`, as one JSON array text:
 * approved ones for everyone, and the caller's own party's pending requests. At most 5,000, by
 * start (then id, so that the order never depends on the plan).
 *
 * One statement, and the JSON is built once, by the database: a month is about a thousand events
 * (500 kB), and the Node process, which also answers HTTP and compresses, is the busier of the
 * two on a calendar read. The window is asked as a range overlap, which `bookings_period_idx`
 * answers without reading the bookings that ended before it.
 */
export async function calendarEvents(db: Executor, filter: CalendarFilter): Promise<string> {
  const { user } = filter
  let q = db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select(['bookings.starts_at', 'bookings.id', eventJson(filter.now).as('event')])
    .where(bookingPeriodOverlaps('bookings', filter.start, filter.end))
    .where((eb) =>
      user
        ? eb.and([isHolding('bookings'), eb.or([isApproved('bookings'), partyScope(user)(eb)])])
        : isApproved('bookings'),
    )
  if (filter.facilityId) q = q.where('bookings.facility_id', '=', filter.facilityId)
  if (filter.areaId) q = q.where('facilities.area_id', '=', filter.areaId)
  // The limit is written into the SQL: as a parameter, the generic plan of the prepared statement
  // guesses that a few rows are wanted and walks every approved booking in start order instead
  // of the window's (33 ms instead of 9 ms for a month at 40,000 bookings).
  const events = q.orderBy('bookings.starts_at').orderBy('bookings.id').limit(sql.lit(5000)).as('events')
  const row = await db
    .selectFrom(events)
    .select(
      sql<string>`'[' || coalesce(string_agg(events.event, ',' order by events.starts_at, events.id), '') || ']'`.as(
        'json',
      ),
    )
    .executeTakeFirstOrThrow()
  return row.json
}
