import { createRoute, z } from '@hono/zod-openapi'
import { bookingAccess } from '../domain/permissions.ts'
import { requireRole, requireUser, roles } from '../lib/auth.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { idempotent } from '../lib/idempotency.ts'
import { say } from '../lib/messages.ts'
import { changed } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, problemResponses } from '../schemas/common.ts'
import { CancelBody, ReviewBody } from '../schemas/pilots.ts'
import { CreateSeriesBody, Series } from '../schemas/series.ts'
import { type BookingSelection, requiredDepartments, toBooking } from '../services/bookings.ts'
import {
  cancelSeries,
  findSeriesWithBookings,
  requestSeries,
  reviewSeries,
  type SeriesRow,
} from '../services/series.ts'
import { clockOf } from './pilots.ts'

const createSeriesRoute = createRoute({
  method: 'post',
  path: '/pilots/{id}/series',
  tags: ['Bookings'],
  summary: 'Request a facility on a recurring pattern, as one series (its organisation)',
  description:
    'The first occurrence is `start`–`end`; the others repeat its local times daily or weekly (on `weekdays`) ' +
    'up to and including the date `until`, in the city’s time zone, at most 366. All or nothing: when any ' +
    'occurrence breaks a rule (422) or finds the site full (409 when capacity is all that fails), nothing is ' +
    'created and `errors` names each, as `{ path: "occurrences/<i>", message, code, start, end }`. An ' +
    '`Idempotency-Key` header makes a retry return the first response.',
  middleware: roles('company'),
  request: { params: IdParam, body: jsonBody(CreateSeriesBody) },
  responses: {
    201: { description: 'Requested', content: { 'application/json': { schema: Series } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
})

const getSeriesRoute = createRoute({
  method: 'get',
  path: '/series/{id}',
  tags: ['Bookings'],
  summary: 'A series with its occurrences (its organisation, the officials who sign it off, admins)',
  request: { params: IdParam },
  responses: {
    200: { description: 'The series', content: { 'application/json': { schema: Series } } },
    ...problemResponses(400, 401, 404),
  },
})

const reviewSeriesRoute = createRoute({
  method: 'post',
  path: '/series/{id}/reviews',
  tags: ['Reviews'],
  summary: 'Decide your department’s sign-off on every occurrence of a series still waiting for it',
  description:
    'One transaction; each occurrence gets its own review and audit event, and its state follows from all its ' +
    'sign-offs as for a single booking. The applicant gets one message for the series. 409 `invalid_state` ' +
    'when nothing waits for your department; 404 when your department does not sign the series off.',
  middleware: roles('official'),
  request: { params: IdParam, body: jsonBody(ReviewBody) },
  responses: {
    200: {
      description: 'Decided',
      content: { 'application/json': { schema: z.object({ series: Series, decided: z.number().int() }) } },
    },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const cancelSeriesRoute = createRoute({
  method: 'post',
  path: '/series/{id}/cancel',
  tags: ['Bookings'],
  summary: 'Cancel every occurrence of a series not yet ended (withdraw, or revoke with a reason)',
  description:
    'The applicant withdraws; a signing department or an admin revokes, with a reason. Occurrences already over, ' +
    'rejected or cancelled stay as they are. 409 `invalid_state` when none is left to cancel.',
  middleware: roles('company', 'official', 'admin'),
  request: {
    params: IdParam,
    body: { content: { 'application/json': { schema: CancelBody } }, required: false },
  },
  responses: {
    200: { description: 'Cancelled', content: { 'application/json': { schema: Series } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

/** What a change of a series may change in public reads: its site over its whole span. */
function seriesChange(bookings: BookingSelection[]) {
  const first = bookings[0] as BookingSelection
  const last = bookings[bookings.length - 1] as BookingSelection
  return {
    kind: 'bookings' as const,
    facilityId: first.facility_id,
    start: first.starts_at.getTime(),
    end: last.ends_at.getTime(),
  }
}

/** The series as the API shows it, with each occurrence as the caller may see it. */
function seriesBody(series: SeriesRow, bookings: BookingSelection[], user: SessionUser | null, now: number) {
  return {
    id: series.id,
    pilotId: series.pilot_id,
    facilityId: series.facility_id,
    recurrence: {
      frequency: series.frequency,
      interval: series.interval,
      weekdays: series.weekdays,
      until: series.until,
    },
    note: series.note,
    bookings: bookings.map((b) => toBooking(b, now, accessTo(user, b))),
  }
}

function accessTo(user: SessionUser | null, b: BookingSelection) {
  return bookingAccess(user, {
    organisationId: b.organisation_id,
    requiredDepartmentIds: requiredDepartments(b),
    state: b.state,
  })
}

export const series = createRouter()
  .openapi(createSeriesRoute, async (c) => {
    const user = requireRole(c, 'company')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const clock = clockOf(c)
    const result = await idempotent(c, user.id, body, async (tx) => {
      const { seriesId, bookings } = await requestSeries(tx, user, { pilotId: id, ...body }, clock)
      const found = await findSeriesWithBookings(tx, seriesId)
      if (!found) throw new Error(`series ${seriesId} vanished inside its transaction`)
      changed(c, { ...seriesChange(bookings), approved: false })
      return {
        status: 201 as const,
        body: seriesBody(found.series, found.bookings, user, clock.now.getTime()),
      }
    })
    return c.json(result.body, 201)
  })
  .openapi(getSeriesRoute, async (c) => {
    const user = requireUser(c)
    const found = await findSeriesWithBookings(c.get('db'), c.req.valid('param').id)
    // Parties only: its organisation, admins, and officials of a department that signs it off.
    if (!found?.bookings.some((b) => accessTo(user, b) === 'party')) {
      throw new ApiError('not_found', say.noSeriesYouTakePart)
    }
    return c.json(seriesBody(found.series, found.bookings, user, c.get('now')().getTime()), 200)
  })
  .openapi(reviewSeriesRoute, async (c) => {
    const user = requireRole(c, 'official')
    const { id } = c.req.valid('param')
    const input = c.req.valid('json')
    const clock = clockOf(c)
    const { decided, found } = await c
      .get('db')
      .transaction()
      .execute(async (tx) => {
        const decided = await reviewSeries(tx, user, id, input, clock)
        return { decided, found: await findSeriesWithBookings(tx, id) }
      })
    if (!found) throw new ApiError('not_found', say.noSeries)
    changed(c, { ...seriesChange(found.bookings), approved: true })
    return c.json(
      { series: seriesBody(found.series, found.bookings, user, clock.now.getTime()), decided },
      200,
    )
  })
  .openapi(cancelSeriesRoute, async (c) => {
    const user = requireRole(c, 'company', 'official', 'admin')
    const { id } = c.req.valid('param')
    const { reason } = c.req.valid('json')
    const clock = clockOf(c)
    const found = await c
      .get('db')
      .transaction()
      .execute(async (tx) => {
        await cancelSeries(tx, user, id, reason, clock)
        return findSeriesWithBookings(tx, id)
      })
    if (!found) throw new ApiError('not_found', say.noSeries)
    changed(c, { ...seriesChange(found.bookings), approved: true })
    return c.json(seriesBody(found.series, found.bookings, user, clock.now.getTime()), 200)
  })
