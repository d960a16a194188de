import type { Executor } from '../../db/types.ts'
import type { Recurrence } from '../domain/recurrence.ts'
import { selectBookings } from './bookings.ts'

export interface NewSeries {
  pilotId: string
  facilityId: string
  recurrence: Recurrence
  note: string | null
  createdBy: string
  at: Date
}

/** Writes the series row; its occurrences are inserted as bookings with its id. */
export async function insertSeries(db: Executor, series: NewSeries): Promise<string> {
  const row = await db
    .insertInto('series')
    .values({
      pilot_id: series.pilotId,
      facility_id: series.facilityId,
      frequency: series.recurrence.frequency,
      interval: series.recurrence.interval ?? 1,
      weekdays: [...(series.recurrence.weekdays ?? [])],
      until: series.recurrence.until,
      note: series.note,
      created_by: series.createdBy,
      created_at: series.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A series with its pilot's organisation, or undefined. */
export async function findSeries(db: Executor, id: string) {
  return db
    .selectFrom('series')
    .innerJoin('pilots', 'pilots.id', 'series.pilot_id')
    .select([
      'series.id',
      'series.pilot_id',
      'series.facility_id',
      'series.frequency',
      'series.interval',
      'series.weekdays',
      (eb) => eb.cast<string>('series.until', 'text').as('until'),
      'series.note',
      'pilots.organisation_id',
      'pilots.title as pilot_title',
    ])
    .where('series.id', '=', id)
    .executeTakeFirst()
}

export type SeriesRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>

/** Every occurrence of a series, by start. */
export async function seriesBookings(db: Executor, seriesId: string) {
  return selectBookings(db)
    .where('bookings.series_id', '=', seriesId)
    .orderBy('bookings.starts_at')
    .orderBy('bookings.id')
    .execute()
}
