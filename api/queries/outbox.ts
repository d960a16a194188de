import type { Executor, Language } from '../../db/types.ts'
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
