import type { Kysely, Transaction } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import { isCancellable } from '../domain/lifecycle.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say, spanText } from '../lib/messages.ts'
import type { ChangeScope } from '../lib/public-cache.ts'
import { recordEvent } from '../queries/events.ts'
import {
  deletePilotRows,
  insertPilot,
  lockPilot,
  lockPilotBookings,
  pilotBookingsPage,
  pilotBookingsSummary,
  pilotOwner,
  pilotRow,
  residentFacts,
  seesAnyBooking,
  toPilot,
  updatePilot,
} from '../queries/pilots.ts'
import { findResults } from '../queries/results.ts'
import type { CreatePilotBody, PilotDetail, UpdatePilotBody } from '../schemas/pilots.ts'
import { type Clock, cancelBooking } from './bookings.ts'
import { cancelSeries } from './series.ts'

// Reads a route needs as they are, answered by the queries themselves.
export { listPilots } from '../queries/pilots.ts'

/** How many bookings a pilot's page shows before "More bookings" (and the default page after it). */
export const pilotBookingsPageSize = 50

/** Its organisation's members and admins see a pilot whatever its bookings; others need one they may see. */
function seesEveryBooking(user: SessionUser | null, organisationId: string): boolean {
  return user?.role === 'admin' || (user?.role === 'company' && user.organisationId === organisationId)
}

/**
 * One pilot as a caller may see it, with the first page of its bookings: its organisation and
 * admins always; others when it has a booking they may see (an approved one, or one their
 * department signs off). Undefined otherwise.
 */
export async function findPilot(
  db: Executor,
  id: string,
  user: SessionUser | null,
  now: Date,
): Promise<PilotDetail | undefined> {
  const row = await pilotRow(db, id)
  if (!row) return undefined
  const summary = await pilotBookingsSummary(db, id, user, now)
  if (summary.total === 0 && !seesEveryBooking(user, row.organisation_id)) return undefined
  const first = await pilotBookingsPage(db, id, user, { limit: pilotBookingsPageSize }, now.getTime())
  const residents = (await residentFacts(db, [row], user, now.getTime())).get(id)
  return {
    ...toPilot(row, first.items, summary.phase, residents),
    bookingsCursor: first.nextCursor,
    bookingsTotal: summary.total,
    results: (await findResults(db, id)) ?? null,
  }
}

/** A page of a pilot's bookings, for whoever may see the pilot (404 for anyone else), by start. */
export async function pilotBookings(
  db: Executor,
  id: string,
  user: SessionUser | null,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
) {
  const owner = await pilotOwner(db, id)
  if (!owner) throw new ApiError('not_found', say.noPilot)
  const result = await pilotBookingsPage(db, id, user, page, now.getTime())
  const hidden =
    result.items.length === 0 &&
    !seesEveryBooking(user, owner.organisation_id) &&
    !(await seesAnyBooking(db, id, user))
  if (hidden) throw new ApiError('not_found', say.noPilot)
  return result
}

/** A company member changes their organisation's pilot (if the version they read is current); recorded. */
export async function changePilot(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  body: UpdatePilotBody,
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const owner = await pilotOwner(tx, id)
    if (!owner || owner.organisation_id !== user.organisationId)
      throw new ApiError('not_found', say.noPilotOfYours)
    if (body.version !== undefined && body.version !== owner.version) {
      throw new ApiError('version_conflict', say.pilotChanged(owner.version))
    }
    const before = await findPilot(tx, id, user, now)
    await updatePilot(tx, id, body, now)
    const after = await findPilot(tx, id, user, now)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'pilot.updated',
        subjectType: 'pilot',
        subjectId: id,
        before: { ...before, bookings: undefined, bookingsCursor: undefined, bookingsTotal: undefined },
        after: body,
      },
      now,
    )
    return after
  })
}

/** A company member creates a pilot for their organisation, inside the caller's transaction; recorded. */
export async function createPilot(tx: Executor, user: SessionUser, body: CreatePilotBody, now: Date) {
  const id = await insertPilot(tx, user.organisationId as string, user.id, body, now)
  await recordEvent(
    tx,
    { actorId: user.id, action: 'pilot.created', subjectType: 'pilot', subjectId: id, after: body },
    now,
  )
  return findPilot(tx, id, user, now)
}

type LockedBooking = Awaited<ReturnType<typeof lockPilotBookings>>[number]

/** How many approved bookings a refused deletion names in its `errors`. */
const namedApprovedLimit = 100

/** The 409 for a pilot with approved bookings: it names them, in the city's time. */
function approvedBookingsConflict(approved: LockedBooking[], timeZone: string): ApiError {
  const named = approved.slice(0, namedApprovedLimit).map((b) => ({
    booking: b,
    text: field.siteAt(b.facility_name, spanText({ start: b.starts_at, end: b.ends_at }, timeZone)),
  }))
  const firstThree = named.slice(0, 3).map((n) => n.text)
  return new ApiError('invalid_state', say.pilotHasApproved(approved.length, firstThree), {
    errors: named.map(({ booking, text }) => ({
      path: `bookings/${booking.id}`,
      message: field.isApproved(text),
      start: booking.starts_at.toISOString(),
      end: booking.ends_at.toISOString(),
    })),
  })
}

/** The deletion's audit event: the pilot as it was, and every booking that goes with it. */
async function recordDeletion(
  tx: Executor,
  user: SessionUser,
  pilot: NonNullable<Awaited<ReturnType<typeof lockPilot>>>,
  bookings: LockedBooking[],
  now: Date,
) {
  const before = { ...toPilot(pilot, [], null), bookings: undefined, phase: undefined }
  const removed = bookings.map((b) => ({
    id: b.id,
    state: b.state,
    seriesId: b.series_id,
    facilityId: b.facility_id,
    start: b.starts_at.toISOString(),
    end: b.ends_at.toISOString(),
  }))
  await recordEvent(
    tx,
    {
      actorId: user.id,
      action: 'pilot.deleted',
      subjectType: 'pilot',
      subjectId: pilot.id,
      before,
      details: { bookings: removed },
    },
    now,
  )
}

/**
 * Withdraws a pilot's open requests as its applicant would, each with its audit event: a series'
 * occurrences ahead in one go (one message to the officials, as `POST /api/series/:id/cancel`),
 * single requests one by one (a message each), and occurrences of a series already over quietly.
 * Returns the times they held, for the public cache.
 */
async function withdrawOpenRequests(
  tx: Transaction<Database>,
  user: SessionUser,
  bookings: LockedBooking[],
  clock: Clock,
): Promise<ChangeScope[]> {
  const open = bookings.filter((b) => isCancellable(b.state))
  const ahead = (b: LockedBooking) => b.series_id !== null && b.ends_at.getTime() > clock.now.getTime()
  const series = new Set(open.filter(ahead).map((b) => b.series_id as string))
  for (const id of series) await cancelSeries(tx, user, id, undefined, clock)
  for (const b of open.filter((b) => !ahead(b)))
    await cancelBooking(tx, user, b.id, undefined, clock, { quiet: b.series_id !== null })
  return open.map((b) => ({
    kind: 'bookings',
    facilityId: b.facility_id,
    start: b.starts_at.getTime(),
    end: b.ends_at.getTime(),
    approved: false,
  }))
}

/**
 * A company member deletes their organisation's pilot, unless it has an approved booking (409).
 * Its open requests are withdrawn first, as the applicant would (`withdrawOpenRequests`); then
 * the pilot goes with every booking and review, and its series. Returns what the public cache
 * must forget: the times of the withdrawn requests, which were never approved.
 */
export async function deletePilot(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  clock: Clock,
): Promise<ChangeScope[]> {
  return db.transaction().execute(async (tx) => {
    const pilot = await lockPilot(tx, id)
    if (!pilot || pilot.organisation_id !== user.organisationId)
      throw new ApiError('not_found', say.noPilotOfYours)
    const bookings = await lockPilotBookings(tx, id)
    const approved = bookings.filter((b) => b.state === 'approved')
    if (approved.length > 0) throw approvedBookingsConflict(approved, clock.timeZone)
    const freed = await withdrawOpenRequests(tx, user, bookings, clock)
    await recordDeletion(tx, user, pilot, bookings, clock.now)
    await deletePilotRows(tx, id)
    return freed
  })
}
