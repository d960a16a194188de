import type { Kysely } from 'kysely'
import type { Database, Executor, Language } from '../../db/types.ts'
import { addressBucket, type ThrottleRule, throttleState } from '../domain/throttle.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { recordEvent } from '../queries/events.ts'
import {
  enqueuePrepared,
  feedbackPage,
  feedbackParties,
  insertFeedback,
  officialsOf,
  type PreparedMail,
} from '../queries/feedback.ts'
import { recentFailures, recordFailure } from '../queries/throttle.ts'
import type { FeedbackBody } from '../schemas/residents.ts'
import { pilotLink } from './results.ts'

/** Per client address: five messages about pilots an hour, whichever pilots. */
export const feedbackThrottle: ThrottleRule = { limit: 5, windowMs: 60 * 60 * 1000 }

const feedbackTexts: Record<Language, { subject: string; body: string; reply: string; none: string }> = {
  en: {
    subject: 'A resident wrote about {pilot}',
    body: 'A resident sent this message about the pilot "{pilot}":\n\n{message}\n\n{reply}{link}',
    reply: 'Reply to: {email}',
    none: 'The resident left no address to reply to.',
  },
  ru: {
    subject: 'Житель написал о пилоте «{pilot}»',
    body: 'Житель отправил сообщение о пилоте «{pilot}»:\n\n{message}\n\n{reply}{link}',
    reply: 'Ответить: {email}',
    none: 'Житель не оставил адреса для ответа.',
  },
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}

function feedbackMail(
  to: { id: string | null; email: string; language: Language },
  pilot: { id: string; title: string },
  body: FeedbackBody,
  feedbackId: string,
  publicUrl: string | undefined,
): PreparedMail {
  const text = feedbackTexts[to.language]
  const reply = body.email ? fill(text.reply, { email: body.email }) : text.none
  const values = { pilot: pilot.title, message: body.message, reply, link: pilotLink(publicUrl, pilot.id) }
  return {
    recipientUserId: to.id,
    recipientEmail: to.email,
    language: to.language,
    template: 'pilot.feedback',
    subject: fill(text.subject, values),
    body: fill(text.body, values),
    payload: { pilotId: pilot.id, feedbackId },
  }
}

/**
 * A resident's message about a public pilot (404 for any other), from anyone: at most five an hour
 * per client address (429 with Retry-After beyond; counted before it is stored, so refused ones
 * count too). Stored, never shown publicly, and sent to the pilot's contact address and the
 * officials of every department that signs off one of its bookings; recorded as `pilot.feedback`
 * (without the message, which stays in its own table).
 */
export async function giveFeedback(
  db: Kysely<Database>,
  pilotId: string,
  body: FeedbackBody,
  from: { clientAddress: string; publicUrl?: string | undefined },
  now: Date,
): Promise<{ id: string }> {
  return db.transaction().execute(async (tx) => {
    const key = `feedback:${addressBucket(from.clientAddress)}`
    const state = throttleState(
      await recentFailures(tx, key, new Date(now.getTime() - feedbackThrottle.windowMs)),
      feedbackThrottle,
      now,
    )
    if (state.locked) {
      throw new ApiError('rate_limited', say.tooMuchFeedback(state.retryAfterSeconds), {
        headers: { 'retry-after': String(state.retryAfterSeconds) },
      })
    }
    const parties = await feedbackParties(tx, pilotId)
    if (!parties?.public) throw new ApiError('not_found', say.noPilot)
    await recordFailure(tx, [key], now)
    const id = await insertFeedback(tx, pilotId, body, now)
    const officials = await officialsOf(tx, parties.departmentIds)
    const pilot = { id: parties.id, title: parties.title }
    const mails = [
      feedbackMail(
        { id: null, email: parties.contact_email, language: parties.contact_language ?? 'en' },
        pilot,
        body,
        id,
        from.publicUrl,
      ),
      ...officials.map((o) => feedbackMail(o, pilot, body, id, from.publicUrl)),
    ]
    await enqueuePrepared(tx, mails, now)
    await recordEvent(
      tx,
      {
        actorId: null,
        action: 'pilot.feedback',
        subjectType: 'pilot',
        subjectId: pilotId,
        details: { feedbackId: id, withEmail: body.email !== undefined },
      },
      now,
    )
    return { id }
  })
}

/**
 * A pilot's feedback, newest first, for its organisation, admins and officials of a department
 * that signs off one of its bookings; 404 for everyone else (the public never reads it).
 */
export async function readFeedback(
  db: Executor,
  pilotId: string,
  user: SessionUser | null,
  page: { limit: number; cursor?: string | undefined },
) {
  const parties = await feedbackParties(db, pilotId)
  const allowed =
    parties !== undefined &&
    (user?.role === 'admin' ||
      (user?.role === 'company' && user.organisationId === parties.organisation_id) ||
      (user?.role === 'official' &&
        user.departmentId !== null &&
        parties.departmentIds.includes(user.departmentId)))
  if (!allowed) throw new ApiError('not_found', say.noPilot)
  return feedbackPage(db, pilotId, page)
}
