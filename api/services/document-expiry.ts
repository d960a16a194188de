/**
 * Expiry reminders (issue 19): 30 and 7 days before a pilot's document expires, while an
 * approved booking of the pilot still runs past its last day, the organisation's members get a
 * message in their language — once per document per threshold, each claimed in its own
 * transaction with the messages it writes, so a second run or a second process sends none.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { cityDate } from '../domain/deadlines.ts'
import { daysBetween, reminderDue, renderExpiryReminder } from '../domain/required-documents.ts'
import {
  bookingsPastDay,
  claimReminder,
  documentsNearingExpiry,
  organisationMembers,
  type ReminderCandidate,
} from '../queries/document-rules.ts'
import { recordEvent } from '../queries/events.ts'
import { enqueueRendered } from '../queries/outbox.ts'

export interface ExpirySettings {
  cityTimeZone: string
  publicUrl?: string | undefined
}

const dayMs = 86_400_000

async function remindOne(
  db: Kysely<Database>,
  doc: ReminderCandidate,
  today: string,
  settings: ExpirySettings,
  now: Date,
): Promise<boolean> {
  const threshold = reminderDue(doc.valid_until, today, {
    reminded30: doc.reminded_30,
    reminded7: doc.reminded_7,
  })
  if (!threshold) return false
  return db.transaction().execute(async (tx) => {
    if (!(await claimReminder(tx, doc.id, threshold, now))) return false
    const bookings = await bookingsPastDay(tx, doc.pilot_id, doc.valid_until, settings.cityTimeZone)
    const facts = {
      pilotTitle: doc.pilot_title,
      kind: doc.kind,
      title: doc.title,
      validUntil: doc.valid_until,
      daysLeft: daysBetween(today, doc.valid_until),
      bookings: bookings.map((b) => ({ facilityName: b.facility_name, end: b.ends_at.toISOString() })),
      timeZone: settings.cityTimeZone,
      ...(settings.publicUrl
        ? { link: `${settings.publicUrl.replace(/\/$/, '')}/my/pilots/${doc.pilot_id}` }
        : {}),
    }
    const payload = { documentId: doc.id, pilotId: doc.pilot_id, threshold }
    for (const member of await organisationMembers(tx, doc.organisation_id)) {
      const message = renderExpiryReminder(member.language, facts)
      await enqueueRendered(tx, member, { template: 'document.expiring', ...message, payload }, now)
    }
    await recordEvent(
      tx,
      {
        actorId: null,
        action: 'document.expiry_reminded',
        subjectType: 'document',
        subjectId: doc.id,
        details: { threshold, validUntil: doc.valid_until },
      },
      now,
    )
    return true
  })
}

/** Sends the reminders due on the city's today; returns how many documents were reminded of. */
export async function remindExpiringDocuments(
  db: Kysely<Database>,
  settings: ExpirySettings,
  now: Date,
): Promise<number> {
  const today = cityDate(now, settings.cityTimeZone)
  const lastDay = cityDate(new Date(now.getTime() + 31 * dayMs), settings.cityTimeZone)
  const due = await documentsNearingExpiry(db, today, lastDay, settings.cityTimeZone)
  let reminded = 0
  for (const doc of due) if (await remindOne(db, doc, today, settings, now)) reminded++
  return reminded
}
