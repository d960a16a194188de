/**
 * The required-documents rule (issue 19) where it is checked: inside the transaction of a
 * booking or series request, and for the officials' review queue.
 */
import type { DocumentKind, Executor } from '../../db/types.ts'
import {
  type DocumentStanding,
  documentStandings,
  documentsRefusal,
  lastDayNeeded,
  standingProblem,
} from '../domain/required-documents.ts'
import { ApiError } from '../lib/errors.ts'
import { documentsForBooking, documentsOfBookings } from '../queries/document-rules.ts'

/**
 * Refuses with 422 `missing_document` a booking of `pilotId` on `facilityId` ending at `end`
 * (epoch ms; for a series, its last occurrence's end) unless the pilot holds a document of each
 * kind the site requires, valid until at least the city day the booking ends; `errors` names
 * each kind missing or expiring (`requiredDocuments/<kind>`).
 */
export async function assertDocumentsHeld(
  db: Executor,
  booking: { pilotId: string; facilityId: string; end: number },
  timeZone: string,
): Promise<void> {
  const { required, held } = await documentsForBooking(db, booking.pilotId, booking.facilityId)
  if (required.length === 0) return
  const needUntil = lastDayNeeded(booking.end, timeZone)
  const failing = documentStandings(required, held, needUntil).filter((s) => s.status !== 'valid')
  if (failing.length === 0) return
  throw new ApiError('missing_document', documentsRefusal(failing), {
    errors: failing.map((s) => ({
      path: `requiredDocuments/${s.kind}`,
      code: 'missing_document' as const,
      message: standingProblem(s, needUntil) ?? documentsRefusal([s]),
    })),
  })
}

/**
 * For each booking of a page, how each kind its site requires stands against its end: one
 * statement for the whole page. Bookings whose site requires nothing map to an empty list.
 */
export async function documentsOfPage(
  db: Executor,
  bookings: readonly { id: string; ends_at: Date }[],
  timeZone: string,
): Promise<Map<string, (DocumentStanding & { kind: DocumentKind })[]>> {
  const rows = await documentsOfBookings(
    db,
    bookings.map((b) => b.id),
  )
  const byBooking = new Map<string, { kind: string; held: boolean; validUntil: string | null }[]>()
  for (const r of rows) {
    const list = byBooking.get(r.booking_id) ?? []
    list.push({ kind: r.kind, held: r.held, validUntil: r.valid_until })
    byBooking.set(r.booking_id, list)
  }
  // The kinds come from facilities.required_documents, which holds only document kinds.
  const result = new Map<string, (DocumentStanding & { kind: DocumentKind })[]>()
  for (const b of bookings) {
    const kinds = byBooking.get(b.id) ?? []
    const held = kinds.filter((k) => k.held).map((k) => ({ kind: k.kind, validUntil: k.validUntil }))
    const needUntil = lastDayNeeded(b.ends_at.getTime(), timeZone)
    result.set(
      b.id,
      documentStandings(
        kinds.map((k) => k.kind),
        held,
        needUntil,
      ) as (DocumentStanding & { kind: DocumentKind })[],
    )
  }
  return result
}
