/**
 * The booking lifecycle as transactions: each function runs inside the caller's transaction,
 * checks the rules (api/domain), changes the rows, writes the audit event and the notifications
 * (api/queries) — all or nothing.
 */
import type { Transaction } from 'kysely'
import type { BookingState, Database, ReviewDecision } from '../../db/types.ts'
import {
  checkBookingRules,
  exceedsCapacity,
  occupiedSpan,
  type RuleViolation,
  takenSpans,
} from '../domain/booking-rules.ts'
import type { Interval } from '../domain/intervals.ts'
import { isCancellable, isEditable, isReviewable, stateFromDecisions } from '../domain/lifecycle.ts'
import type { NotificationFacts, NotificationKind } from '../domain/notifications.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, joinTexts, say, spanText } from '../lib/messages.ts'
import type { ChangeScope } from '../lib/public-cache.ts'
import {
  applicantsOf,
  type BookableFacility,
  type BookingSelection,
  findBooking,
  insertBookingRequest,
  lockBookingRow,
  lockFacilityForBooking,
  lockStalePendingBookings,
  markBookingCancelled,
  occupancy,
  officialsOf,
  requiredDepartments,
  rescheduleBooking,
  reviseBooking,
  setBookingState,
} from '../queries/bookings.ts'
import { closuresOverBooking } from '../queries/closures.ts'
import { recordEvent } from '../queries/events.ts'
import { enqueueMany, enqueueNotifications } from '../queries/outbox.ts'
import { pilotCategory, pilotForBooking } from '../queries/pilots.ts'
import { recordReviewDecision, resetReviews, reviewDecisions } from '../queries/reviews.ts'
import { assertDocumentsHeld } from './required-documents.ts'

// Reads a route needs as they are, answered by the queries themselves.
export {
  type BookingSelection,
  facilityForBooking,
  findBooking,
  listBookings,
  requiredDepartments,
  toBooking,
} from '../queries/bookings.ts'
export { bookingEvents } from '../queries/events.ts'

type Tx = Transaction<Database>

/**
 * What a change of this booking may change in public reads, for the public cache: its facility
 * over its times, or over all time when its times moved (the old ones are gone by then). Whether
 * an approved booking appeared or went away follows from the state it ended in: only an approved
 * booking becomes cancelled or stays approved, and one that is pending, changes requested or
 * rejected was never approved.
 */
export function bookingChange(
  booking: BookingSelection,
  options: { timesMoved?: boolean } = {},
): ChangeScope {
  const approved = booking.state === 'approved' || booking.state === 'cancelled'
  return options.timesMoved
    ? { kind: 'bookings', facilityId: booking.facility_id, start: -Infinity, end: Infinity, approved }
    : {
        kind: 'bookings',
        facilityId: booking.facility_id,
        start: booking.starts_at.getTime(),
        end: booking.ends_at.getTime(),
        approved,
      }
}

/** A series tells the people once for all its occurrences: each occurrence's own message is left out. */
export interface Quiet {
  quiet?: boolean
}

export interface Clock {
  now: Date
  timeZone: string
  /** Where people open the app, for links in messages. */
  publicUrl?: string | undefined
}

/** The field a failed rule asks the applicant to change. */
const ruleField: Record<RuleViolation['code'], string> = {
  duration: 'end',
  lead_time: 'start',
  horizon: 'start',
  outside_opening_hours: 'start',
  in_closure: 'start',
  category_not_accepted: 'facilityId',
  not_published: 'facilityId',
}

/** A failed rule as a 422 whose `errors` names the field (`path`) and, for a closure, when it is. */
function ruleRefusal(violation: RuleViolation, path = ruleField[violation.code]): ApiError {
  const closure = violation.closure
  const when = closure
    ? { start: new Date(closure.start).toISOString(), end: new Date(closure.end).toISOString() }
    : {}
  return new ApiError(violation.code, violation.detail, {
    errors: [{ path, message: violation.detail, code: violation.code, ...when }],
  })
}

/** A 409 naming the times, setup and teardown included, at which the site is already full. */
function capacityRefusal(
  facility: BookableFacility,
  holding: Interval[],
  occupied: Interval,
  clock: Clock,
): ApiError {
  const taken = takenSpans(holding, occupied, facility.capacity).map((t) => ({
    ...t,
    text: spanText(t, clock.timeZone),
  }))
  const when = joinTexts(
    taken.map((t) => t.text),
    '; ',
  )
  const detail = facility.capacity === 1 ? say.bookedAt(when) : say.fullAt(facility.capacity, when)
  return new ApiError('capacity_exceeded', detail, {
    errors: taken.map((t) => ({
      path: 'start',
      message: field.taken(t.text),
      code: 'capacity_exceeded' as const,
      start: new Date(t.start).toISOString(),
      end: new Date(t.end).toISOString(),
    })),
  })
}

/** Runs every booking rule and the capacity check for a span on a locked facility; throws the first failure. */
async function assertSlotAvailable(
  tx: Tx,
  facility: BookableFacility,
  span: Interval,
  pilotCategory: string,
  clock: Clock,
  excludeBookingId?: string,
) {
  const occupied = occupiedSpan(span, facility.rules)
  const { holding, closures } = await occupancy(tx, facility, occupied, excludeBookingId)
  const violation = checkBookingRules(span, facility.rules, {
    now: clock.now.getTime(),
    timeZone: clock.timeZone,
    closures,
    categoryAccepted: facility.categories.includes(pilotCategory),
    published: facility.published,
  })
  if (violation) throw ruleRefusal(violation)
  if (exceedsCapacity(holding, occupied, facility.capacity))
    throw capacityRefusal(facility, holding, occupied, clock)
  return occupied
}

function factsFor(
  booking: BookingSelection,
  clock: Clock,
  extra: Partial<NotificationFacts> = {},
): NotificationFacts {
  return {
    pilotTitle: booking.pilot_title,
    facilityName: booking.facility_name,
    start: booking.starts_at.toISOString(),
    end: booking.ends_at.toISOString(),
    timeZone: clock.timeZone,
    ...(clock.publicUrl ? { link: `${clock.publicUrl.replace(/\/$/, '')}/bookings/${booking.id}` } : {}),
    ...extra,
  }
}

async function notifyReviewers(
  tx: Tx,
  booking: BookingSelection,
  kind: NotificationKind,
  clock: Clock,
  extra: Partial<NotificationFacts> = {},
) {
  const officials = await officialsOf(tx, requiredDepartments(booking))
  await enqueueNotifications(
    tx,
    officials,
    kind,
    factsFor(booking, clock, extra),
    { bookingId: booking.id },
    clock.now,
  )
}

async function notifyApplicant(
  tx: Tx,
  booking: BookingSelection,
  kind: NotificationKind,
  clock: Clock,
  extra: Partial<NotificationFacts> = {},
) {
  const applicants = await applicantsOf(tx, {
    createdBy: booking.created_by,
    organisationId: booking.organisation_id,
  })
  await enqueueNotifications(
    tx,
    applicants,
    kind,
    factsFor(booking, clock, extra),
    { bookingId: booking.id },
    clock.now,
  )
}

/** The name of one of a booking's signing departments. */
function departmentName(booking: BookingSelection, departmentId: string | null): string | undefined {
  return (booking.reviews as { department_id: string; department_name: string }[]).find(
    (r) => r.department_id === departmentId,
  )?.department_name
}

function snapshot(b: BookingSelection) {
  return { state: b.state, start: b.starts_at.toISOString(), end: b.ends_at.toISOString(), note: b.note }
}

async function reload(tx: Tx, id: string): Promise<BookingSelection> {
  const booking = await findBooking(tx, id)
  if (!booking) throw new Error(`booking ${id} vanished inside its transaction`)
  return booking
}

/** A company asks for a facility for one of its pilots: checked, held as pending, sent to every department that signs off. */
export async function requestBooking(
  tx: Tx,
  user: SessionUser,
  input: { pilotId: string; facilityId: string; start: string; end: string; note?: string | undefined },
  clock: Clock,
): Promise<BookingSelection> {
  const pilot = await pilotForBooking(tx, input.pilotId)
  if (!pilot || pilot.organisation_id !== user.organisationId)
    throw new ApiError('not_found', say.noPilotOfYours)
  const facility = await lockFacilityForBooking(tx, input.facilityId)
  if (!facility) {
    throw new ApiError('validation_failed', say.fieldProblem('facilityId', field.namesNoFacility), {
      errors: [{ path: 'facilityId', message: field.namesNoFacility }],
    })
  }
  const span = { start: Date.parse(input.start), end: Date.parse(input.end) }
  const occupied = await assertSlotAvailable(tx, facility, span, pilot.category_id, clock)
  await assertDocumentsHeld(tx, { pilotId: pilot.id, facilityId: facility.id, end: span.end }, clock.timeZone)
  const startsAt = new Date(span.start)
  const endsAt = new Date(span.end)
  const note = input.note ?? null
  const { booking, officials } = await insertBookingRequest(tx, {
    pilotId: pilot.id,
    pilotTitle: pilot.title,
    organisationId: pilot.organisation_id,
    facilityId: facility.id,
    facilityName: facility.name,
    departmentIds: [facility.departmentId, ...facility.signoffDepartmentIds],
    startsAt,
    endsAt,
    occupiedFrom: new Date(occupied.start),
    occupiedTo: new Date(occupied.end),
    note,
    createdBy: user.id,
    at: clock.now,
    eventDetails: {
      after: { state: 'pending', start: startsAt.toISOString(), end: endsAt.toISOString(), note },
    },
  })
  // The officials' messages and the applicant's receipt, in one statement.
  const facts = factsFor(booking, clock)
  await enqueueMany(
    tx,
    [
      { recipients: officials, kind: 'booking.submitted', facts },
      { recipients: [user], kind: 'booking.received', facts },
    ],
    { bookingId: booking.id },
    clock.now,
  )
  return booking
}

/** Locks a booking row so that concurrent decisions and edits of it run one after another. */
async function lockBooking(tx: Tx, id: string) {
  await lockBookingRow(tx, id)
  return findBooking(tx, id)
}

/** The applicant edits a request before it is decided; new times are checked like a new request and reset every sign-off. */
export async function editBooking(
  tx: Tx,
  user: SessionUser,
  id: string,
  input: {
    start?: string | undefined
    end?: string | undefined
    note?: string | null | undefined
    version?: number | undefined
  },
  clock: Clock,
): Promise<BookingSelection> {
  // The facility lock comes first, as in requestBooking, so that the two never wait on each other.
  const peek = await findBooking(tx, id)
  if (!peek || peek.organisation_id !== user.organisationId)
    throw new ApiError('not_found', say.noBookingOfYours)
  const facility = await lockFacilityForBooking(tx, peek.facility_id)
  const before = await lockBooking(tx, id)
  if (!before || !facility) throw new ApiError('not_found', say.noBookingOfYours)
  if (input.version !== undefined && input.version !== before.version) {
    throw new ApiError('version_conflict', say.bookingChanged(before.version))
  }
  if (!isEditable(before.state)) throw new ApiError('invalid_state', say.cannotEdit(before.state))
  const span = {
    start: input.start ? Date.parse(input.start) : before.starts_at.getTime(),
    end: input.end ? Date.parse(input.end) : before.ends_at.getTime(),
  }
  if (span.start >= span.end) {
    throw new ApiError('validation_failed', say.fieldProblem('end', field.afterStart), {
      errors: [{ path: 'end', message: field.afterStart }],
    })
  }
  const timesChanged = span.start !== before.starts_at.getTime() || span.end !== before.ends_at.getTime()
  const resubmitted = timesChanged || before.state === 'changes_requested'
  if (timesChanged) {
    const category = await pilotCategory(tx, before.pilot_id)
    const occupied = await assertSlotAvailable(tx, facility, span, category, clock, id)
    const held = { pilotId: before.pilot_id, facilityId: facility.id, end: span.end }
    await assertDocumentsHeld(tx, held, clock.timeZone)
    await rescheduleBooking(tx, id, {
      startsAt: new Date(span.start),
      endsAt: new Date(span.end),
      occupiedFrom: new Date(occupied.start),
      occupiedTo: new Date(occupied.end),
    })
  }
  await reviseBooking(tx, id, { note: input.note, state: resubmitted ? 'pending' : undefined }, clock.now)
  if (resubmitted) await resetReviews(tx, id)
  const after = await reload(tx, id)
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: 'booking.edited',
      subjectType: 'booking',
      subjectId: id,
      before: snapshot(before),
      after: snapshot(after),
    },
    clock.now,
  )
  if (resubmitted) await notifyReviewers(tx, after, 'booking.updated', clock)
  return after
}

const decisionOf: Record<'approve' | 'reject' | 'request_changes', ReviewDecision> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
}

/**
 * A closure made after a request (road works, an event) covers it: approving it would send the
 * pilot to a closed site, so the approval is refused with the closure's times and reason.
 */
async function assertNoClosure(tx: Tx, bookingId: string, clock: Clock) {
  const closure = (await closuresOverBooking(tx, bookingId))[0]
  if (!closure) return
  const detail = say.closedNoApproval(spanText(closure, clock.timeZone), closure.reason)
  throw ruleRefusal({ code: 'in_closure', detail, closure }, 'decision')
}

/** An official decides their department's sign-off; the booking's state follows from all sign-offs. */
export async function decideBooking(
  tx: Tx,
  user: SessionUser,
  id: string,
  input: { decision: 'approve' | 'reject' | 'request_changes'; note?: string | undefined },
  clock: Clock,
  options: Quiet = {},
): Promise<BookingSelection> {
  const before = await lockBooking(tx, id)
  const departments = before ? requiredDepartments(before) : []
  if (!before || !user.departmentId || !departments.includes(user.departmentId)) {
    throw new ApiError('not_found', say.noBookingToReview)
  }
  if (!isReviewable(before.state)) throw new ApiError('invalid_state', say.cannotReview(before.state))
  if (input.decision === 'approve') await assertNoClosure(tx, id, clock)
  const decision = decisionOf[input.decision]
  await recordReviewDecision(tx, {
    bookingId: id,
    departmentId: user.departmentId,
    decision,
    note: input.note ?? null,
    decidedBy: user.id,
    decidedAt: clock.now,
  })
  const state: BookingState = stateFromDecisions(await reviewDecisions(tx, id))
  await setBookingState(tx, id, { state, decidedAt: state !== 'pending' ? clock.now : undefined }, clock.now)
  const after = await reload(tx, id)
  const department = departmentName(after, user.departmentId)
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: `review.${decision}`,
      subjectType: 'booking',
      subjectId: id,
      details: { departmentId: user.departmentId, note: input.note ?? null },
      before: snapshot(before),
      after: snapshot(after),
    },
    clock.now,
  )
  const kind: NotificationKind | undefined =
    state === 'approved'
      ? 'booking.approved'
      : state === 'rejected'
        ? 'booking.rejected'
        : state === 'changes_requested'
          ? 'booking.changes_requested'
          : undefined
  if (kind && !options.quiet) {
    await notifyApplicant(tx, after, kind, clock, { departmentName: department, note: input.note })
  }
  return after
}

/**
 * Withdraws (the applicant, reason optional) or revokes (an official of a signing department or
 * an admin, reason required) a booking; the slot is free again.
 */
export async function cancelBooking(
  tx: Tx,
  user: SessionUser,
  id: string,
  reason: string | undefined,
  clock: Clock,
  options: Quiet = {},
): Promise<BookingSelection> {
  const before = await lockBooking(tx, id)
  if (!before) throw new ApiError('not_found', say.noBooking)
  const applicant = user.role === 'company' && user.organisationId === before.organisation_id
  const city =
    user.role === 'admin' ||
    (user.role === 'official' &&
      !!user.departmentId &&
      requiredDepartments(before).includes(user.departmentId))
  if (!applicant && !city) {
    if (before.state === 'approved') throw new ApiError('forbidden', say.onlyApplicantOrSigning)
    throw new ApiError('not_found', say.noBooking)
  }
  if (!isCancellable(before.state)) throw new ApiError('invalid_state', say.cannotCancel(before.state))
  // What has happened stays on record: an ended booking is neither withdrawn nor revoked.
  if (before.ends_at.getTime() <= clock.now.getTime()) throw new ApiError('invalid_state', say.bookingOver)
  if (!applicant && !reason) {
    throw new ApiError('validation_failed', say.sayWhyCityCancels, {
      errors: [{ path: 'reason', message: field.requiredWhenCityCancels }],
    })
  }
  await markBookingCancelled(tx, id, reason ?? null, clock.now)
  const after = await reload(tx, id)
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: applicant ? 'booking.withdrawn' : 'booking.revoked',
      subjectType: 'booking',
      subjectId: id,
      details: { reason: reason ?? null },
      before: snapshot(before),
      after: snapshot(after),
    },
    clock.now,
  )
  if (options.quiet) return after
  if (applicant) await notifyReviewers(tx, after, 'booking.withdrawn', clock, { note: reason })
  else {
    // An admin acts for no department: the message then names the city.
    const department = departmentName(after, user.departmentId)
    await notifyApplicant(tx, after, 'booking.revoked', clock, { departmentName: department, note: reason })
  }
  return after
}

/** How many stale requests one sweep expires at most; the next sweep takes the rest. */
const expiryBatch = 500

/**
 * Cancels requests left undecided (pending) for longer than `days` since their last change, so
 * that they stop holding the slot, and tells the applicants. Returns how many expired.
 */
export async function expireStaleRequests(tx: Tx, days: number, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now.getTime() - days * 24 * 60 * 60 * 1000)
  const stale = await lockStalePendingBookings(tx, cutoff, expiryBatch)
  for (const { id } of stale) {
    const before = await reload(tx, id)
    await markBookingCancelled(tx, id, `expired: no decision within ${days} days`, clock.now)
    const after = await reload(tx, id)
    await recordEvent(
      tx,
      {
        actorId: null,
        action: 'booking.expired',
        subjectType: 'booking',
        subjectId: id,
        before: snapshot(before),
        after: snapshot(after),
      },
      clock.now,
    )
    await notifyApplicant(tx, after, 'booking.expired', clock)
  }
  return stale.length
}
