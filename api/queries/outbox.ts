import type { Executor, Language, OutboxStatus } from '../../db/types.ts'
import { type NotificationFacts, type NotificationKind, renderNotification } from '../domain/notifications.ts'

export interface Recipient {
  id: string
  email: string
  language: Language
}

/** Writes one message per recipient; call it in the transaction of the change that causes it. */
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
 * Claims at most `limit` pending messages due by `now`, soonest due first, locked FOR UPDATE SKIP
 * LOCKED so that concurrent dispatchers never take the same message.
 */
export async function claimDueMessages(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('outbox')
    .select(['id', 'recipient_email', 'subject', 'body', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
}

/** Marks a message sent at `now` after `attempts` attempts, clearing the last error. */
export async function markMessageSent(db: Executor, id: string, attempts: number, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now, attempts, last_error: null })
    .where('id', '=', id)
    .execute()
}

/** Records a failed attempt to send a message: the count, its new status, the error and when to try again. */
export async function recordDeliveryFailure(
  db: Executor,
  id: string,
  failure: { attempts: number; status: OutboxStatus; lastError: string; nextAttemptAt: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      attempts: failure.attempts,
      status: failure.status,
      last_error: failure.lastError,
      next_attempt_at: failure.nextAttemptAt,
    })
    .where('id', '=', id)
    .execute()
}
