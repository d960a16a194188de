import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { recordEvent } from '../queries/events.ts'
import { deleteHoliday, insertHoliday } from '../queries/holidays.ts'

export { listHolidays } from '../queries/holidays.ts'

/**
 * The subject of a holiday's audit events: the city's calendar, which has no row of its own
 * (events name their subject by uuid; the day travels in the details).
 */
export const cityCalendarId = '00000000-0000-0000-0000-000000000000'

/** An admin adds a public holiday (a day off for review deadlines); 409 when it is one already. */
export async function addHoliday(
  db: Kysely<Database>,
  actorId: string,
  holiday: { day: string; name: string },
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const row = await insertHoliday(tx, holiday)
    if (!row) throw new ApiError('conflict', say.holidayExists)
    await recordEvent(
      tx,
      { actorId, action: 'holiday.added', subjectType: 'calendar', subjectId: cityCalendarId, after: row },
      now,
    )
    return row
  })
}

/** An admin removes a public holiday; 404 when the day is none. */
export async function removeHoliday(db: Kysely<Database>, actorId: string, day: string, now: Date) {
  await db.transaction().execute(async (tx) => {
    const row = await deleteHoliday(tx, day)
    if (!row) throw new ApiError('not_found', say.noHoliday)
    await recordEvent(
      tx,
      { actorId, action: 'holiday.removed', subjectType: 'calendar', subjectId: cityCalendarId, before: row },
      now,
    )
  })
}
