import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { claimDueMessages, markMessageSent, recordDeliveryFailure } from '../queries/outbox.ts'

/** Something that delivers one message or throws. */
export interface MailTransport {
  name: string
  send(message: { to: string; subject: string; text: string }): Promise<void>
}

/** The default transport: writes each message to the log, for development and demo mode. */
export const logTransport: MailTransport = {
  name: 'log',
  async send(message) {
    console.log(`[mail] to ${message.to}: ${message.subject}`)
  },
}

/** After this many failed attempts a message is marked failed; `npm run cli -- outbox retry` revives it. */
export const maxAttempts = 8

/** Minutes to wait after the n-th failure: 1, 2, 4 … up to six hours. */
export function backoffMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), 360)
}

/**
 * Sends the messages that are due, oldest first. Rows are claimed with FOR UPDATE SKIP LOCKED,
 * so dispatchers on several isolates or processes never send one message twice; a failure is
 * recorded and retried later with backoff, so no message is lost.
 */
export async function dispatchOutbox(
  db: Kysely<Database>,
  transport: MailTransport,
  now: Date,
  batch = 50,
): Promise<{ sent: number; retrying: number; failed: number }> {
  return db.transaction().execute(async (tx) => {
    const due = await claimDueMessages(tx, now, batch)
    const result = { sent: 0, retrying: 0, failed: 0 }
    for (const message of due) {
      try {
        await transport.send({ to: message.recipient_email, subject: message.subject, text: message.body })
        await markMessageSent(tx, message.id, message.attempts + 1, now)
        result.sent++
      } catch (error) {
        const attempts = message.attempts + 1
        const givingUp = attempts >= maxAttempts
        await recordDeliveryFailure(tx, message.id, {
          attempts,
          status: givingUp ? 'failed' : 'pending',
          lastError: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
          nextAttemptAt: new Date(now.getTime() + backoffMinutes(attempts) * 60_000),
        })
        if (givingUp) result.failed++
        else result.retrying++
      }
    }
    return result
  })
}
