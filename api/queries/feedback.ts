import { sql } from 'kysely'
import type { Executor, Language } from '../../db/types.ts'
import { decodeInstantCursor, paginate } from '../lib/cursor.ts'
import type { Feedback, FeedbackBody } from '../schemas/residents.ts'

/** Stores a resident's message about a pilot; returns its id. */
export async function insertFeedback(db: Executor, pilotId: string, body: FeedbackBody, now: Date) {
  const row = await db
    .insertInto('pilot_feedback')
    .values({ pilot_id: pilotId, message: body.message, email: body.email ?? null, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** One page of a pilot's feedback, newest first (`pilot_feedback_pilot_idx`). */
export async function feedbackPage(
  db: Executor,
  pilotId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Feedback[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('pilot_feedback')
    .select(['id', 'pilot_id', 'message', 'email', 'created_at'])
    .where('pilot_id', '=', pilotId)
  if (page.cursor) {
    const after = decodeInstantCursor(page.cursor)
    q = q.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, page.limit, (r) => r.created_at.toISOString())
  return {
    items: pageRows.map((r) => ({
      id: r.id,
      pilotId: r.pilot_id,
      message: r.message,
      email: r.email,
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor,
  }
}

/**
 * Who hears of a pilot's feedback and may read it: its organisation, its contact address, and the
 * departments that sign off on any of its bookings (the contact is written to in the language of
 * the member who created the pilot). Undefined when there is no such pilot.
 */
export async function feedbackParties(db: Executor, pilotId: string) {
  const pilot = await db
    .selectFrom('pilots')
    .select((eb) => [
      'pilots.id',
      'pilots.title',
      'pilots.organisation_id',
      'pilots.contact_email',
      eb
        .selectFrom('users')
        .whereRef('users.id', '=', 'pilots.created_by')
        .select(sql<Language>`users.language`.as('language'))
        .as('contact_language'),
      eb
        .exists(
          eb
            .selectFrom('bookings')
            .whereRef('bookings.pilot_id', '=', 'pilots.id')
            .where('bookings.state', '=', 'approved')
            .select(sql`1`.as('one')),
        )
        .as('public'),
    ])
    .where('pilots.id', '=', pilotId)
    .executeTakeFirst()
  if (!pilot) return undefined
  const departments = await db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .select('reviews.department_id')
    .distinct()
    .where('bookings.pilot_id', '=', pilotId)
    .execute()
  return { ...pilot, departmentIds: departments.map((d) => d.department_id) }
}

/** The active officials of some departments, to write to. */
export async function officialsOf(db: Executor, departmentIds: readonly string[]) {
  if (departmentIds.length === 0) return []
  return db
    .selectFrom('users')
    .select(['id', 'email', 'language'])
    .where('role', '=', 'official')
    .where('active', '=', true)
    .where('department_id', 'in', [...departmentIds])
    .orderBy('id')
    .execute()
}

/** A message already written in its reader's language, to go out with the outbox. */
export interface PreparedMail {
  recipientUserId: string | null
  recipientEmail: string
  language: Language
  template: string
  subject: string
  body: string
  payload: Record<string, unknown>
}

/** Puts prepared messages in the outbox, in the caller's transaction. */
export async function enqueuePrepared(db: Executor, mails: readonly PreparedMail[], now: Date) {
  if (mails.length === 0) return
  await db
    .insertInto('outbox')
    .values(
      mails.map((m) => ({
        created_at: now,
        next_attempt_at: now,
        recipient_user_id: m.recipientUserId,
        recipient_email: m.recipientEmail,
        language: m.language,
        template: m.template,
        subject: m.subject,
        body: m.body,
        payload: JSON.stringify(m.payload),
      })),
    )
    .execute()
}
