import type { Executor, Language, OutboxStatus } from '../../db/types.ts'
import { type NotificationFacts, type NotificationKind, renderNotification } from '../domain/notifications.ts'

export interface Recipient {
  id: string
  email: string
  language: Language
}

/** Writes one message per recipient; call it in the transaction of the change that causes it. */
/** Messages of several kinds in one statement (a request: the officials' and the applicant's receipt). */
export async function enqueueMany(
  db: Executor,
  batches: readonly { recipients: readonly Recipient[]; kind: NotificationKind; facts: NotificationFacts }[],
  payload: Record<string, unknown>,
  now: Date,
) {
  const rows = batches.flatMap((b) =>
    b.recipients.map((r) => {
      const { subject, body } = renderNotification(b.kind, r.language, b.facts)
      return {
        created_at: now,
        next_attempt_at: now,
        recipient_user_id: r.id,
        recipient_email: r.email,
        language: r.language,
        template: b.kind,
        subject,
        body,
        payload: JSON.stringify(payload),
      }
    }),
  )
  if (rows.length > 0) await db.insertInto('outbox').values(rows).execute()
}

export async function enqueueNotifications(
  db: Executor,
  recipients: readonly Recipient[],
  kind: NotificationKind,
  facts: NotificationFacts,
  payload: Record<string, unknown>,
  now: Date,
) {
  if (recipients.length === 0) return
  await db
    .insertInto('outbox')
    .values(
      recipients.map((r) => {
        const { subject, body } = renderNotification(kind, r.language, facts)
        return {
          created_at: now,
          next_attempt_at: now,
          recipient_user_id: r.id,
          recipient_email: r.email,
          language: r.language,
          template: kind,
          subject,
          body,
          payload: JSON.stringify(payload),
        }
      }),
    )
    .execute()
}

/**
 * Claims the message due soonest, if any, in one statement of its own (so its own short
 * transaction): it moves the message's next attempt to `leaseUntil` and counts the attempt, so
 * that no other dispatcher takes it while it is being sent, and a dispatcher that dies leaves it
 * to be tried again once the lease is over. FOR UPDATE SKIP LOCKED keeps concurrent dispatchers
 * on PostgreSQL from waiting on, or taking, the same row.
 */
export async function claimDueMessage(db: Executor, now: Date, leaseUntil: Date) {
  return db
    .updateTable('outbox')
    .set((eb) => ({ next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'pending')
    .returning(['id', 'recipient_email', 'subject', 'body', 'attempts'])
    .executeTakeFirst()
}

/**
 * Marks a message sent at `now`, clearing the last error. Once sent it is never claimed again,
 * whoever held it.
 */
export async function markMessageSent(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, last_error: null })
    .where('id', '=', id)
    .execute()
}

/**
 * Records a failed attempt to send a message: its new status, the error and when to try again.
 * Only while the claim that made `attempts` still holds: a later claim or a delivery wins.
 */
export async function recordDeliveryFailure(
  db: Executor,
  id: string,
  failure: { attempts: number; status: OutboxStatus; lastError: string; nextAttemptAt: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: failure.status,
      last_error: failure.lastError,
      next_attempt_at: failure.nextAttemptAt,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', failure.attempts)
    .execute()
}

/** Writes one message already rendered (a digest) to the outbox. */
export async function enqueueRendered(
  db: Executor,
  recipient: Recipient,
  message: { template: string; subject: string; body: string; payload: Record<string, unknown> },
  now: Date,
) {
  await db
    .insertInto('outbox')
    .values({
      created_at: now,
      next_attempt_at: now,
      recipient_user_id: recipient.id,
      recipient_email: recipient.email,
      language: recipient.language,
      template: message.template,
      subject: message.subject,
      body: message.body,
      payload: JSON.stringify(message.payload),
    })
    .execute()
}
