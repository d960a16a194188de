import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { claimDueMessage, markMessageSent, recordDeliveryFailure } from '../queries/outbox.ts'

/**
 * Something that delivers one message or throws: `MailRelayUnavailable` when the relay itself
 * cannot be reached or does not answer in time, any other error when it refuses this message.
 */
export interface MailTransport {
  name: string
  send(message: { to: string; subject: string; text: string }): Promise<void>
}

/** The relay is down, refusing connections or not answering: the messages after this one would fare no better. */
export class MailRelayUnavailable extends Error {
  override name = 'MailRelayUnavailable'
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
 * How long a claimed message is left to the dispatcher that claimed it. Well beyond the longest
 * send (a few SMTP timeouts), so that no other dispatcher sends it meanwhile; a dispatcher that
 * dies mid-send leaves its one message to be sent again after this.
 */
export const claimLeaseMinutes = 10

/**
 * Sends up to `batch` messages that are due, soonest due first, one at a time: each is claimed
 * in a short transaction of its own, sent outside any transaction, then marked sent in its own
 * commit. So sending never holds the database (PGlite has one connection), a message marked
 * sent is never sent again, and a crash re-sends at most the one message in flight. A failure
 * is recorded and retried later with backoff; when the relay is unavailable (down, refusing or
 * timing out) the run stops there, and the rest wait for the next run instead of each waiting
 * for its own timeout.
 */
export async function dispatchOutbox(
  db: Kysely<Database>,
  transport: MailTransport,
  now: Date,
  batch = 50,
): Promise<{ sent: number; retrying: number; failed: number }> {
  const result = { sent: 0, retrying: 0, failed: 0 }
  const leaseUntil = new Date(now.getTime() + claimLeaseMinutes * 60_000)
  for (let i = 0; i < batch; i++) {
    const message = await claimDueMessage(db, now, leaseUntil)
    if (!message) break
    try {
      await transport.send({ to: message.recipient_email, subject: message.subject, text: message.body })
    } catch (error) {
      const givingUp = message.attempts >= maxAttempts
      await recordDeliveryFailure(db, message.id, {
        attempts: message.attempts,
        status: givingUp ? 'failed' : 'pending',
        lastError: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
        nextAttemptAt: new Date(now.getTime() + backoffMinutes(message.attempts) * 60_000),
      })
      if (givingUp) result.failed++
      else result.retrying++
      if (error instanceof MailRelayUnavailable) break
      continue
    }
    await markMessageSent(db, message.id, now)
    result.sent++
  }
  return result
}
