/**
 * Review mail (issue 17): who hears of each request, and the daily digest's recipients and
 * counts. The department's load is counted only as far as the threshold needs (`limit`): as cheap
 * with 10,000 requests waiting as with 11 (index `reviews_pending_department_idx`).
 */
import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../../db/types.ts'
import { autoDigestAbove } from '../domain/digests.ts'

/**
 * The requests waiting for `users.department_id`, counted up to one past the threshold. A series
 * counts once, as in the queue: by its earliest occurrence still waiting for the department.
 */
function pendingOfUsersDepartment(): RawBuilder<number> {
  return sql<number>`(select count(*)::int from (select 1 from reviews wr
    join bookings wb on wb.id = wr.booking_id
    where wr.department_id = users.department_id and wr.decision = 'pending' and wb.state = 'pending'
    and (wb.series_id is null or not exists (select 1 from bookings o
      join reviews ro on ro.booking_id = o.id and ro.department_id = wr.department_id and ro.decision = 'pending'
      where o.series_id = wb.series_id and o.state = 'pending' and (o.starts_at, o.id) < (wb.starts_at, wb.id)))
    limit ${autoDigestAbove + 1}) waiting)`
}

/**
 * True for a `users` row that hears of each request: chosen, or automatic while its department's
 * load is at most the threshold. `alsoPending` counts requests the statement writes but cannot
 * see yet (a request inserted in the same statement).
 */
export function hearsOfEachRequest(alsoPending = 0): RawBuilder<boolean> {
  return sql<boolean>`(users.review_mail = 'each' or (users.review_mail is null
    and ${pendingOfUsersDepartment()} + ${alsoPending}::int <= ${autoDigestAbove}))`
}

/** A user's review-mail choice and, for an official, how many requests wait (counted to the threshold). */
export async function reviewMailOf(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'review_mail',
      sql<number>`case when department_id is null then 0 else ${pendingOfUsersDepartment()} end`.as(
        'pending',
      ),
    ])
    .where('id', '=', userId)
    .executeTakeFirst()
}

/** Sets a user's review-mail choice (null: automatic). */
export async function setReviewMail(
  db: Executor,
  userId: string,
  choice: 'each' | 'digest' | null,
  now: Date,
) {
  await db
    .updateTable('users')
    .set({ review_mail: choice, updated_at: now })
    .where('id', '=', userId)
    .execute()
}

/** Officials in digest mode (chosen or automatic) with something waiting and no digest yet on `day`. */
export async function digestRecipients(db: Executor, day: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'language', 'department_id'])
    .where('role', '=', 'official')
    .where('active', '=', true)
    .where('department_id', 'is not', null)
    .where(sql<boolean>`(digest_sent_on is null or digest_sent_on < ${day}::date)`)
    .where(
      sql<boolean>`(review_mail = 'digest' or (review_mail is null and ${pendingOfUsersDepartment()} > ${autoDigestAbove}))`,
    )
    .where(sql<boolean>`${pendingOfUsersDepartment()} > 0`)
    .orderBy('department_id')
    .execute()
}

/**
 * Claims an official's digest of `day`: true for the one transaction that moves their
 * `digest_sent_on` to it. A concurrent claim waits on the row lock, then finds the day taken.
 */
export async function claimDigest(db: Executor, userId: string, day: string): Promise<boolean> {
  const row = await db
    .updateTable('users')
    .set({ digest_sent_on: day })
    .where('id', '=', userId)
    .where(sql<boolean>`(digest_sent_on is null or digest_sent_on < ${day}::date)`)
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** How many queue items (a series counts once) waiting for the department were submitted before `before`. */
export async function countSubmittedBefore(db: Executor, departmentId: string, before: Date) {
  const row = await db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .where('reviews.department_id', '=', departmentId)
    .where('reviews.decision', '=', 'pending')
    .where('bookings.state', '=', 'pending')
    .where('bookings.created_at', '<', before)
    .select(sql<number>`count(distinct coalesce(bookings.series_id, bookings.id))::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}

/** A department's review period and the city's public holidays. */
export async function deadlineSettings(db: Executor, departmentId: string) {
  const department = await db
    .selectFrom('departments')
    .select(['review_period_days', 'name'])
    .where('id', '=', departmentId)
    .executeTakeFirstOrThrow()
  const holidays = await db.selectFrom('public_holidays').select(sql<string>`day::text`.as('day')).execute()
  return { ...department, holidays: new Set(holidays.map((h) => h.day)) }
}

/** The instant a city date begins in the zone (PostgreSQL's time zone rules, daylight saving included). */
export async function startOfCityDay(db: Executor, day: string, timeZone: string): Promise<Date> {
  const row = await sql<{
    at: Date
  }>`select (${day}::date::timestamp at time zone ${timeZone}) as at`.execute(db)
  return new Date((row.rows[0] as { at: Date }).at)
}
