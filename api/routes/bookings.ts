import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bookingAccess } from '../domain/permissions.ts'
import { requireRole, requireUser, roles } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { changed } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'
import { AuditEvent, Booking, BookingListQuery, CancelBody, UpdateBookingBody } from '../schemas/pilots.ts'
import {
  type BookingSelection,
  bookingChange,
  bookingEvents,
  cancelBooking,
  editBooking,
  findBooking,
  listBookings,
  requiredDepartments,
  toBooking,
} from '../services/bookings.ts'
import { clockOf } from './pilots.ts'

export const bookingResponse = { content: { 'application/json': { schema: Booking } } }

function accessTo(c: Context<AppEnv>, booking: BookingSelection) {
  return bookingAccess(c.get('user'), {
    organisationId: booking.organisation_id,
    requiredDepartmentIds: requiredDepartments(booking),
    state: booking.state,
  })
}

/** A booking as the caller may see it, with its phase at the app's now. */
export function show(c: Context<AppEnv>, booking: BookingSelection) {
  return toBooking(booking, c.get('now')().getTime(), accessTo(c, booking))
}

const listRoute = createRoute({
  method: 'get',
  path: '/bookings',
  tags: ['Bookings'],
  summary: 'Bookings you are a party to',
  description:
    'A company sees its organisation’s bookings, an official those their department signs off, an admin all; newest first.',
  request: { query: BookingListQuery },
  responses: {
    200: { description: 'A page of bookings', content: { 'application/json': { schema: page(Booking) } } },
    ...problemResponses(400, 401),
  },
})

const getRoute = createRoute({
  method: 'get',
  path: '/bookings/{id}',
  tags: ['Bookings'],
  summary: 'One booking: its parties see everything, others only an approved one’s public view',
  request: { params: IdParam },
  responses: { 200: { description: 'The booking', ...bookingResponse }, ...problemResponses(400, 404) },
})

const updateRoute = createRoute({
  method: 'patch',
  path: '/bookings/{id}',
  tags: ['Bookings'],
  summary: 'Edit a request while it is pending or changes are requested (its organisation)',
  description:
    'New times are checked like a new request and send it back to `pending` with every sign-off reset.',
  middleware: roles('company'),
  request: { params: IdParam, body: jsonBody(UpdateBookingBody) },
  responses: {
    200: { description: 'Edited', ...bookingResponse },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
})

const cancelRoute = createRoute({
  method: 'post',
  path: '/bookings/{id}/cancel',
  tags: ['Bookings'],
  summary: 'Withdraw (the applicant) or revoke (a signing department or an admin, with a reason)',
  middleware: roles('company', 'official', 'admin'),
  request: {
    params: IdParam,
    body: { content: { 'application/json': { schema: CancelBody } }, required: false },
  },
  responses: {
    200: { description: 'Cancelled', ...bookingResponse },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const eventsRoute = createRoute({
  method: 'get',
  path: '/bookings/{id}/events',
  tags: ['Bookings'],
  summary: 'The audit trail of a booking, oldest first (its parties)',
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Events',
      content: {
        'application/json': { schema: z.object({ items: z.array(AuditEvent), nextCursor: z.null() }) },
      },
    },
    ...problemResponses(400, 401, 404),
  },
})

export const bookings = createRouter()
  .openapi(listRoute, async (c) => {
    const user = requireUser(c)
    const { rows, nextCursor } = await listBookings(c.get('db'), user, c.req.valid('query'))
    return c.json({ items: rows.map((b) => show(c, b)), nextCursor }, 200)
  })
  .openapi(getRoute, async (c) => {
    const booking = await findBooking(c.get('db'), c.req.valid('param').id)
    if (!booking || accessTo(c, booking) === 'none') throw new ApiError('not_found', say.noBooking)
    return c.json(show(c, booking), 200)
  })
  .openapi(updateRoute, async (c) => {
    const user = requireRole(c, 'company')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const booking = await c
      .get('db')
      .transaction()
      .execute((tx) => editBooking(tx, user, id, body, clockOf(c)))
    changed(c, bookingChange(booking, { timesMoved: true }))
    return c.json(show(c, booking), 200)
  })
  .openapi(cancelRoute, async (c) => {
    const user = requireRole(c, 'company', 'official', 'admin')
    const { id } = c.req.valid('param')
    const { reason } = c.req.valid('json')
    const booking = await c
      .get('db')
      .transaction()
      .execute((tx) => cancelBooking(tx, user, id, reason, clockOf(c)))
    changed(c, bookingChange(booking))
    return c.json(show(c, booking), 200)
  })
  .openapi(eventsRoute, async (c) => {
    requireUser(c)
    const { id } = c.req.valid('param')
    const booking = await findBooking(c.get('db'), id)
    if (!booking || accessTo(c, booking) !== 'party') throw new ApiError('not_found', say.noBookingOfYours)
    return c.json({ items: await bookingEvents(c.get('db'), id), nextCursor: null }, 200)
  })
