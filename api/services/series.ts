/**
 * Series of bookings (issue 16): one request for a facility on a recurring pattern. All or
 * nothing — every occurrence passes every rule and capacity (counting the series' own earlier
 * occurrences), or nothing is written and the answer names each failing occurrence.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../../db/types.ts'
import { checkBookingRules, exceedsCapacity, occupiedSpan } from '../domain/booking-rules.ts'
import type { Interval } from '../domain/intervals.ts'
import { isCancellable } from '../domain/lifecycle.ts'
import type { NotificationFacts, NotificationKind } from '../domain/notifications.ts'
import { occurrences, type Recurrence } from '../domain/recurrence.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError, type ErrorCode, type FieldIssue } from '../lib/errors.ts'
import { dayText, field, say } from '../lib/messages.ts'
import {
  applicantsOf,
  type BookableFacility,
  type BookingSelection,
  insertBookingRequest,
  lockFacilityForBooking,
  occupancy,
  officialsOf,
  requiredDepartments,
} from '../queries/bookings.ts'
import { recordEvent } from '../queries/events.ts'
import { enqueueMany, enqueueNotifications } from '../queries/outbox.ts'
import { pilotForBooking } from '../queries/pilots.ts'
import { findSeries, insertSeries, type SeriesRow, seriesBookings } from '../queries/series.ts'
import { type Clock, cancelBooking, decideBooking } from './bookings.ts'
import { assertDocumentsHeld } from './required-documents.ts'

type Tx = Transaction<Database>

export interface SeriesRequest {
  pilotId: string
  facilityId: string
  start: string
  end: string
  note?: string | undefined
  recurrence: Recurrence
}

const iso = (t: number) => new Date(t).toISOString()

/** The occurrences a request describes, or a 400 naming the recurrence field to change. */
function plannedOccurrences(input: SeriesRequest, timeZone: string): Interval[] {
  const first = { start: Date.parse(input.start), end: Date.parse(input.end) }
  if (!(first.start < first.end)) {
    throw new ApiError('validation_failed', say.fieldProblem('end', field.afterStart), {
      errors: [{ path: 'end', message: field.afterStart }],
    })
  }
  const planned = occurrences(first, input.recurrence, timeZone)
  if ('problem' in planned) {
    const { path, text } = planned.problem
    throw new ApiError('validation_failed', say.recurrenceProblem(text), {
      errors: [{ path, message: text }],
    })
  }
  return planned.occurrences
}

/** Checks every occurrence against the rules and capacity; returns one error per failing occurrence. */
async function failingOccurrences(
  tx: Tx,
  facility: BookableFacility,
  spans: Interval[],
  category: string,
  clock: Clock,
): Promise<FieldIssue[]> {
  const occupied = spans.map((s) => occupiedSpan(s, facility.rules))
  const whole = {
    start: Math.min(...occupied.map((o) => o.start)),
    end: Math.max(...occupied.map((o) => o.end)),
  }
  const { holding, closures } = await occupancy(tx, facility, whole)
  const context = {
    now: clock.now.getTime(),
    timeZone: clock.timeZone,
    closures,
    categoryAccepted: facility.categories.includes(category),
    published: facility.published,
  }
  const accepted: Interval[] = []
  const failures: FieldIssue[] = []
  spans.forEach((span, i) => {
    const at = { path: `occurrences/${i}`, start: iso(span.start), end: iso(span.end) }
    const violation = checkBookingRules(span, facility.rules, context)
    if (violation) failures.push({ ...at, code: violation.code, message: violation.detail })
    else if (exceedsCapacity([...holding, ...accepted], occupied[i] as Interval, facility.capacity)) {
      failures.push({ ...at, code: 'capacity_exceeded', message: field.occurrenceFull })
    } else accepted.push(occupied[i] as Interval)
  })
  return failures
}

/** 422 when any occurrence breaks a rule (409 when capacity is all that fails), naming each. */
function refusal(failures: FieldIssue[], total: number, timeZone: string): ApiError {
  const rule = failures.find((f) => f.code !== 'capacity_exceeded')
  const code: ErrorCode = rule?.code ?? 'capacity_exceeded'
  const first = failures[0] as FieldIssue
  const day = dayText(Date.parse(first.start as string), timeZone)
  return new ApiError(code, say.seriesRefused(failures.length, total, day, first.message), {
    errors: failures,
  })
}

/** A company asks for a facility on a recurring pattern: all occurrences pending, or none. */
export async function requestSeries(tx: Tx, user: SessionUser, input: SeriesRequest, clock: Clock) {
  const pilot = await pilotForBooking(tx, input.pilotId)
  if (!pilot || pilot.organisation_id !== user.organisationId)
    throw new ApiError('not_found', say.noPilotOfYours)
  const spans = plannedOccurrences(input, clock.timeZone)
  const facility = await lockFacilityForBooking(tx, input.facilityId)
  if (!facility) {
    throw new ApiError('validation_failed', say.fieldProblem('facilityId', field.namesNoFacility), {
      errors: [{ path: 'facilityId', message: field.namesNoFacility }],
    })
  }
  const failures = await failingOccurrences(tx, facility, spans, pilot.category_id, clock)
  if (failures.length > 0) throw refusal(failures, spans.length, clock.timeZone)
  // Documents must cover the whole series: valid until its last occurrence ends.
  const lastEnd = Math.max(...spans.map((s) => s.end))
  await assertDocumentsHeld(tx, { pilotId: pilot.id, facilityId: facility.id, end: lastEnd }, clock.timeZone)
  const note = input.note ?? null
  const seriesId = await insertSeries(tx, {
    pilotId: pilot.id,
    facilityId: facility.id,
    recurrence: input.recurrence,
    note,
    createdBy: user.id,
    at: clock.now,
  })
  const bookings = await insertOccurrences(tx, { pilot, facility, spans, note, seriesId, user, clock })
  await announceSeries(tx, bookings, seriesId, user, clock)
  return { seriesId, bookings }
}

interface Occurrences {
  pilot: NonNullable<Awaited<ReturnType<typeof pilotForBooking>>>
  facility: BookableFacility
  spans: Interval[]
  note: string | null
  seriesId: string
  user: SessionUser
  clock: Clock
}

/** Inserts each occurrence as a pending booking of the series, with its reviews and audit event. */
async function insertOccurrences(tx: Tx, o: Occurrences): Promise<BookingSelection[]> {
  const bookings: BookingSelection[] = []
  for (const span of o.spans) {
    const occupied = occupiedSpan(span, o.facility.rules)
    const startsAt = new Date(span.start)
    const endsAt = new Date(span.end)
    const { booking } = await insertBookingRequest(tx, {
      pilotId: o.pilot.id,
      pilotTitle: o.pilot.title,
      organisationId: o.pilot.organisation_id,
      facilityId: o.facility.id,
      facilityName: o.facility.name,
      departmentIds: [o.facility.departmentId, ...o.facility.signoffDepartmentIds],
      startsAt,
      endsAt,
      occupiedFrom: new Date(occupied.start),
      occupiedTo: new Date(occupied.end),
      note: o.note,
      createdBy: o.user.id,
      at: o.clock.now,
      seriesId: o.seriesId,
      eventDetails: {
        seriesId: o.seriesId,
        after: { state: 'pending', start: startsAt.toISOString(), end: endsAt.toISOString(), note: o.note },
      },
    })
    bookings.push(booking)
  }
  return bookings
}

/** One message to each official who signs off, about the whole series; and the series' own audit event. */
async function announceSeries(
  tx: Tx,
  bookings: BookingSelection[],
  seriesId: string,
  user: SessionUser,
  clock: Clock,
) {
  const first = bookings[0] as BookingSelection
  const last = bookings[bookings.length - 1] as BookingSelection
  const officials = await officialsOf(tx, requiredDepartments(first))
  const facts = {
    pilotTitle: first.pilot_title,
    facilityName: first.facility_name,
    start: first.starts_at.toISOString(),
    end: first.ends_at.toISOString(),
    lastStart: last.starts_at.toISOString(),
    lastEnd: last.ends_at.toISOString(),
    occurrences: bookings.length,
    timeZone: clock.timeZone,
  }
  await enqueueMany(
    tx,
    [
      { recipients: officials, kind: 'series.submitted', facts },
      { recipients: [user], kind: 'series.received', facts },
    ],
    { seriesId },
    clock.now,
  )
  await recordEvent(
    tx,
    {
      actorId: first.created_by,
      action: 'series.requested',
      subjectType: 'series',
      subjectId: seriesId,
      details: { occurrences: bookings.length, bookingIds: bookings.map((b) => b.id) },
    },
    clock.now,
  )
}

/** A series and its occurrences, or undefined. */
export async function findSeriesWithBookings(db: Tx | Parameters<typeof findSeries>[0], id: string) {
  const series = await findSeries(db, id)
  if (!series) return undefined
  return { series, bookings: await seriesBookings(db, id) }
}

export type { SeriesRow }

/** What one message about several occurrences says: the first and the last, and how many. */
function seriesFacts(bookings: BookingSelection[], clock: Clock, extra: Partial<NotificationFacts> = {}) {
  const first = bookings[0] as BookingSelection
  const last = bookings[bookings.length - 1] as BookingSelection
  return {
    pilotTitle: first.pilot_title,
    facilityName: first.facility_name,
    start: first.starts_at.toISOString(),
    end: first.ends_at.toISOString(),
    ...(bookings.length > 1
      ? { lastStart: last.starts_at.toISOString(), lastEnd: last.ends_at.toISOString() }
      : {}),
    occurrences: bookings.length,
    timeZone: clock.timeZone,
    ...extra,
  }
}

async function tellApplicant(
  tx: Tx,
  bookings: BookingSelection[],
  kind: NotificationKind,
  facts: NotificationFacts,
  seriesId: string,
  clock: Clock,
) {
  const first = bookings[0] as BookingSelection
  const applicants = await applicantsOf(tx, {
    createdBy: first.created_by,
    organisationId: first.organisation_id,
  })
  await enqueueNotifications(tx, applicants, kind, facts, { seriesId }, clock.now)
}

type Decision = 'approve' | 'reject' | 'request_changes'

const outcome: Record<Decision, { state: string; kind: NotificationKind }> = {
  approve: { state: 'approved', kind: 'series.approved' },
  reject: { state: 'rejected', kind: 'series.rejected' },
  request_changes: { state: 'changes_requested', kind: 'series.changes_requested' },
}

/** The name of one of an occurrence's signing departments. */
function nameOf(booking: BookingSelection, departmentId: string | null): string | undefined {
  return (booking.reviews as { department_id: string; department_name: string }[]).find(
    (r) => r.department_id === departmentId,
  )?.department_name
}

/** The occurrences still waiting for this department's sign-off. */
function waitingFor(departmentId: string, bookings: BookingSelection[]): BookingSelection[] {
  return bookings.filter(
    (b) =>
      b.state === 'pending' &&
      (b.reviews as { department_id: string; decision: string }[]).some(
        (r) => r.department_id === departmentId && r.decision === 'pending',
      ),
  )
}

/**
 * An official decides their department's sign-off on every occurrence still waiting for it, in
 * one transaction; each occurrence keeps its own review and audit event. The applicant hears once,
 * when the decision settles the occurrences (all approved, or rejected, or sent back).
 */
export async function reviewSeries(
  tx: Tx,
  user: SessionUser,
  seriesId: string,
  input: { decision: Decision; note?: string | undefined },
  clock: Clock,
): Promise<number> {
  const series = await findSeries(tx, seriesId)
  const all = series ? await seriesBookings(tx, seriesId) : []
  const department = user.departmentId
  if (!series || !department || !all.some((b) => requiredDepartments(b).includes(department))) {
    throw new ApiError('not_found', say.noSeriesToReview)
  }
  const waiting = waitingFor(department, all)
  if (waiting.length === 0) throw new ApiError('invalid_state', say.nothingWaits)
  const decided: BookingSelection[] = []
  for (const b of waiting) decided.push(await decideBooking(tx, user, b.id, input, clock, { quiet: true }))
  const { state, kind } = outcome[input.decision]
  const settled = decided.filter((b) => b.state === state)
  const departmentName = nameOf(decided[0] as BookingSelection, department)
  if (settled.length > 0) {
    const facts = seriesFacts(settled, clock, { departmentName, note: input.note })
    await tellApplicant(tx, settled, kind, facts, seriesId, clock)
  }
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: `series.${state}`,
      subjectType: 'series',
      subjectId: seriesId,
      details: { departmentId: department, decided: decided.length, note: input.note ?? null },
    },
    clock.now,
  )
  return decided.length
}

/**
 * Withdraws (the applicant) or revokes (a signing department or an admin, with a reason) every
 * occurrence of a series that has not ended and can still be cancelled; those past stay as they
 * are. One message for the whole series.
 */
export async function cancelSeries(
  tx: Tx,
  user: SessionUser,
  seriesId: string,
  reason: string | undefined,
  clock: Clock,
): Promise<number> {
  const series = await findSeries(tx, seriesId)
  const all = series ? await seriesBookings(tx, seriesId) : []
  const applicant = user.role === 'company' && user.organisationId === series?.organisation_id
  const city =
    user.role === 'admin' ||
    (user.role === 'official' && all.some((b) => requiredDepartments(b).includes(user.departmentId ?? '')))
  if (!series || (!applicant && !city)) throw new ApiError('not_found', say.noSeriesOfYours)
  const open = all.filter((b) => b.ends_at.getTime() > clock.now.getTime() && isCancellable(b.state))
  if (open.length === 0) throw new ApiError('invalid_state', say.nothingToCancel)
  const cancelled: BookingSelection[] = []
  for (const b of open) cancelled.push(await cancelBooking(tx, user, b.id, reason, clock, { quiet: true }))
  const departmentName = nameOf(cancelled[0] as BookingSelection, user.departmentId)
  const facts = seriesFacts(cancelled, clock, { note: reason, departmentName })
  if (applicant) {
    const officials = await officialsOf(tx, requiredDepartments(cancelled[0] as BookingSelection))
    await enqueueNotifications(tx, officials, 'series.withdrawn', facts, { seriesId }, clock.now)
  } else await tellApplicant(tx, cancelled, 'series.revoked', facts, seriesId, clock)
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: applicant ? 'series.withdrawn' : 'series.revoked',
      subjectType: 'series',
      subjectId: seriesId,
      details: { cancelled: cancelled.length, reason: reason ?? null },
    },
    clock.now,
  )
  return cancelled.length
}
