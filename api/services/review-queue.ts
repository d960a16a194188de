import type { Executor } from '../../db/types.ts'
import { decideBy } from '../domain/deadlines.ts'
import type { SessionUser } from '../lib/context.ts'
import { decodeCursor, encodeCursor } from '../lib/cursor.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say } from '../lib/messages.ts'
import { toBooking } from '../queries/bookings.ts'
import {
  type QueueAfter,
  type QueueRow,
  type QueueSort,
  queuePage,
  queueTotal,
} from '../queries/review-queue.ts'
import type { ReviewQueueItem, ReviewQueueQuery } from '../schemas/review-queue.ts'
import { documentsOfPage } from './required-documents.ts'

function badCursor(): ApiError {
  return new ApiError('validation_failed', say.badCursor, {
    errors: [{ path: 'cursor', message: field.badCursor }],
  })
}

function instantOf(text: string): Date {
  const at = new Date(text)
  if (/^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) && at.toISOString() === text) return at
  throw badCursor()
}

/** A cursor's position; a deadline cursor's key is "rank|submitted", the others' an instant. */
function afterOf(cursor: string | undefined, sort: QueueSort): QueueAfter | undefined {
  if (!cursor) return undefined
  const { key, id } = decodeCursor(cursor)
  if (sort !== 'deadline') return { at: instantOf(key), id }
  const match = /^(\d{1,7})\|(.+)$/.exec(key)
  if (!match) throw badCursor()
  return { rank: Number(match[1]), at: instantOf(match[2] as string), id }
}

function keyOf(row: QueueRow, sort: QueueSort): string {
  if (sort === 'start') return row.starts_at.toISOString()
  if (sort === 'created') return row.created_at.toISOString()
  return `${row.rank}|${row.created_at.toISOString()}`
}

function toItem(
  row: QueueRow,
  now: number,
  timeZone: string,
  documents: ReviewQueueItem['documents'] = [],
): ReviewQueueItem {
  return {
    booking: toBooking(row, now, 'party'),
    pilot: {
      id: row.pilot_id,
      title: row.pilot_title,
      category: row.pilot_category,
      organisationName: row.organisation_name,
    },
    facility: { id: row.facility_id, name: row.facility_name, areaId: row.area_id, areaName: row.area_name },
    seriesId: row.series_id,
    occurrences: row.occurrences,
    myDepartmentId: row.department_id,
    myDecision: row.decision as ReviewQueueItem['myDecision'],
    decideBy: decideBy(row.created_at, row.review_period_days, timeZone, new Set(row.holidays)),
    conflicts: row.conflicts,
    documents,
  }
}

/** One page of an official's review queue (an admin's: every department's), with the total. */
export async function reviewQueue(
  db: Executor,
  user: SessionUser,
  query: ReviewQueueQuery,
  ctx: { now: Date; timeZone: string },
) {
  const filter = { ...query, from: toDate(query.from), to: toDate(query.to) }
  const after = afterOf(query.cursor, query.sort)
  const rows = await queuePage(db, user, filter, { limit: query.limit, after, timeZone: ctx.timeZone })
  const total = rows[0]?.total ?? (after ? await queueTotal(db, user, filter, ctx.timeZone) : 0)
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  const nextCursor =
    rows.length > query.limit && last
      ? encodeCursor({ key: keyOf(last, query.sort), id: last.review_id })
      : null
  // The site's required documents against each booking's end: one statement for the page.
  const documents = await documentsOfPage(db, page, ctx.timeZone)
  const items = page.map((row) => toItem(row, ctx.now.getTime(), ctx.timeZone, documents.get(row.id)))
  return { items, total, nextCursor }
}

function toDate(text: string | undefined): Date | undefined {
  return text === undefined ? undefined : new Date(text)
}
