import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { expireStaleRequests } from './bookings.ts'
import { dispatchOutbox, type MailTransport } from './outbox.ts'

/**
 * The periodic work: expire requests left undecided too long (writing their notifications), then
 * send what the outbox holds. Run by a timer on Node and by a Cron Trigger on Workers.
 */
export async function runMaintenance(
  db: Kysely<Database>,
  transport: MailTransport,
  settings: { bookingExpiryDays: number; cityTimeZone: string; publicUrl?: string | undefined },
  now: Date,
) {
  const expired = await db.transaction().execute((tx) =>
    expireStaleRequests(tx, settings.bookingExpiryDays, {
      now,
      timeZone: settings.cityTimeZone,
      publicUrl: settings.publicUrl,
    }),
  )
  const mail = await dispatchOutbox(db, transport, now)
  return { expired, ...mail }
}
