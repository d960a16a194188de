import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { expireStaleRequests } from './bookings.ts'
import { sendDigests } from './digests.ts'
import { remindExpiringDocuments } from './document-expiry.ts'
import { type DocumentStoreSettings, sweepConfiguredDocuments } from './documents.ts'
import { dispatchOutbox, type MailTransport } from './outbox.ts'
import { remindOverdueResults } from './results.ts'
import { forgetOldThrottleRecords } from './sessions.ts'

/**
 * The periodic work: expire requests left undecided too long (writing their notifications), write
 * the officials' daily review digests once the city's clocks show `digestHour` (default 8), send
 * what the outbox holds, then forget sign-in and registration records older than a day
 * (`throttleForgotten`: an address that never comes back would otherwise be kept for ever). Run
 * by a timer on Node and by a Cron Trigger on Workers. No transaction is open while mail goes
 * out, and a relay that hangs costs one timeout per run: the messages after it wait for the next.
 */
export async function runMaintenance(
  db: Kysely<Database>,
  transport: MailTransport,
  settings: {
    bookingExpiryDays: number
    cityTimeZone: string
    publicUrl?: string | undefined
    digestHour?: number | undefined
  } & DocumentStoreSettings,
  now: Date,
) {
  const expired = await db.transaction().execute((tx) =>
    expireStaleRequests(tx, settings.bookingExpiryDays, {
      now,
      timeZone: settings.cityTimeZone,
      publicUrl: settings.publicUrl,
    }),
  )
  const digests = await sendDigests(
    db,
    {
      cityTimeZone: settings.cityTimeZone,
      digestHour: settings.digestHour ?? 8,
      publicUrl: settings.publicUrl,
    },
    now,
  )
  const documentReminders = await remindExpiringDocuments(
    db,
    { cityTimeZone: settings.cityTimeZone, publicUrl: settings.publicUrl },
    now,
  )
  const resultsReminders = await remindOverdueResults(db, { publicUrl: settings.publicUrl }, now)
  const mail = await dispatchOutbox(db, transport, now)
  const throttleForgotten = await forgetOldThrottleRecords(db, now)
  // Stored files no document row points at, left by a crash mid-upload or mid-delete (issue 19).
  const orphanDocumentsSwept = await sweepConfiguredDocuments(db, settings, now)
  return {
    expired,
    digests,
    documentReminders,
    resultsReminders,
    ...mail,
    throttleForgotten,
    orphanDocumentsSwept,
  }
}
