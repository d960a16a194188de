import { sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { partyScope } from './bookings.ts'

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

/**
 * The FullCalendar events of the bookings that meet `[start, end)`, each as JSON text: approved
 * ones for everyone, and the caller's own party's pending requests. At most 5,000, by start.
 */
export async function calendarEvents(db: Executor, filter: CalendarFilter): Promise<string[]> {
  const { user, now } = filter
  const iso = (column: 'bookings.starts_at' | 'bookings.ends_at') =>
    sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  let q = db
    .selectFrom('bookings')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    // The events are built as JSON by the database: a month can hold a thousand of them, and
    // mapping rows to objects and back to text in JavaScript cost three times the query.
    .select(
      sql<string>`json_build_object(
        'id', bookings.id,
        'title', pilots.title || ' — ' || organisations.name,
        'start', ${iso('bookings.starts_at')},
        'end', ${iso('bookings.ends_at')},
        'extendedProps', json_build_object(
          'bookingId', bookings.id,
          'pilotId', pilots.id,
          'pilotTitle', pilots.title,
          'organisationName', organisations.name,
          'facilityId', facilities.id,
          'facilityName', facilities.name,
          'areaId', facilities.area_id,
          'category', pilots.category_id,
          'state', bookings.state,
          'phase', case when bookings.state <> 'approved' then null
            when ${now} < bookings.starts_at then 'upcoming'
            when ${now} < bookings.ends_at then 'active'
            else 'completed' end
        )
      )::text`.as('event'),
    )
    .where('bookings.starts_at', '<', filter.end)
    .where('bookings.ends_at', '>', filter.start)
    .where((eb) =>
      user
        ? eb.or([
            eb('bookings.state', '=', 'approved'),
            eb.and([eb('bookings.state', 'in', ['pending', 'changes_requested']), partyScope(user)(eb)]),
          ])
        : eb('bookings.state', '=', 'approved'),
    )
  if (filter.facilityId) q = q.where('bookings.facility_id', '=', filter.facilityId)
  if (filter.areaId) q = q.where('facilities.area_id', '=', filter.areaId)
  const rows = await q.orderBy('bookings.starts_at').limit(5000).execute()
  return rows.map((r) => r.event)
}
