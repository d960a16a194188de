import { sql } from 'kysely'
import type { Executor, ReviewDecision } from '../../db/types.ts'
import type { Interval } from '../domain/intervals.ts'

/** Sets every sign-off of a booking back to pending, forgetting who decided, when and why. */
export async function resetReviews(db: Executor, bookingId: string): Promise<void> {
  await db
    .updateTable('reviews')
    .set({ decision: 'pending', note: null, decided_by: null, decided_at: null })
    .where('booking_id', '=', bookingId)
    .execute()
}

/** Writes one department's decision on a booking, with its note, who decided and when. */
export async function recordReviewDecision(
  db: Executor,
  review: {
    bookingId: string
    departmentId: string
    decision: ReviewDecision
    note: string | null
    decidedBy: string
    decidedAt: Date
  },
): Promise<void> {
  await db
    .updateTable('reviews')
    .set({
      decision: review.decision,
      note: review.note,
      decided_by: review.decidedBy,
      decided_at: review.decidedAt,
    })
    .where('booking_id', '=', review.bookingId)
    .where('department_id', '=', review.departmentId)
    .execute()
}

/** The decisions of all the sign-offs of a booking, pending ones included. */
export async function reviewDecisions(db: Executor, bookingId: string): Promise<ReviewDecision[]> {
  const rows = await db.selectFrom('reviews').select('decision').where('booking_id', '=', bookingId).execute()
  return rows.map((r) => r.decision)
}

/** Decisions (not pending) made within a range: the department, when its booking was requested, when decided. */
export async function decisionsMadeIn(db: Executor, range: Interval) {
  return db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .innerJoin('departments', 'departments.id', 'reviews.department_id')
    .select(['departments.id', 'departments.name', 'bookings.created_at', 'reviews.decided_at'])
    .where('reviews.decision', '!=', 'pending')
    .where('reviews.decided_at', '>=', new Date(range.start))
    .where('reviews.decided_at', '<', new Date(range.end))
    .execute()
}

/** The city's public holidays, as `YYYY-MM-DD` dates: not working days. */
export async function publicHolidays(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('public_holidays')
    .select(sql<string>`day::text`.as('day'))
    .orderBy('day')
    .execute()
  return rows.map((r) => r.day)
}

/** At most 5000 rejections decided within a range, newest first, with department, pilot, site and note. */
export async function rejectionsMadeIn(db: Executor, range: Interval) {
  return db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .innerJoin('pilots', 'pilots.id', 'bookings.pilot_id')
    .innerJoin('facilities', 'facilities.id', 'bookings.facility_id')
    .innerJoin('departments', 'departments.id', 'reviews.department_id')
    .select([
      'reviews.booking_id',
      'reviews.decided_at',
      'reviews.note',
      'departments.name as department_name',
      'pilots.title',
      'facilities.name as facility_name',
    ])
    .where('reviews.decision', '=', 'rejected')
    .where('reviews.decided_at', '>=', new Date(range.start))
    .where('reviews.decided_at', '<', new Date(range.end))
    .orderBy('reviews.decided_at', 'desc')
    .limit(5000)
    .execute()
}
