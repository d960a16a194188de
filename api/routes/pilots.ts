import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bookingAccess } from '../domain/permissions.ts'
import { requireRole, requireUser, roles } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { idempotent } from '../lib/idempotency.ts'
import { say } from '../lib/messages.ts'
import { changed } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, PageQuery, page, problemResponses } from '../schemas/common.ts'
import {
  Booking,
  CreateBookingBody,
  CreatePilotBody,
  PilotBooking,
  PilotDetail,
  PilotListItem,
  PilotListQuery,
  UpdatePilotBody,
} from '../schemas/pilots.ts'
import {
  bookingChange,
  type Clock,
  requestBooking,
  requiredDepartments,
  toBooking,
} from '../services/bookings.ts'
import {
  changePilot,
  createPilot,
  deletePilot,
  findPilot,
  listPilots,
  pilotBookings,
  pilotBookingsPageSize,
} from '../services/pilots.ts'
import { facilitiesNear } from '../services/places.ts'

/** The clock, zone and public address that booking transactions use. */
export function clockOf(c: Context<AppEnv>): Clock {
  return { now: c.get('now')(), timeZone: c.get('config').cityTimeZone, publicUrl: c.get('config').publicUrl }
}

const listPilotsRoute = createRoute({
  method: 'get',
  path: '/pilots',
  tags: ['Pilots'],
  summary: 'Public pilots, or your organisation’s',
  description:
    'Pilots with an approved booking, each with its organisation’s name and approved bookings, by title. ' +
    '`phase` follows the clock: active while any approved booking runs. Signed in, `mine=true` lists your ' +
    'organisation’s pilots, approved or not, with all their bookings. Each carries `places` (the sites of its ' +
    'approved bookings), `start` and `end`. `near=<lat>,<lng>` keeps those with an approved booking on a ' +
    'published site within `radiusM` metres (default 1,000, at most 20,000), and their `places` are the sites ' +
    'within it. Officials and admins also get `resultsOverdue` on each, and may ask `resultsOverdue=true` ' +
    '(others: 401/403) for the pilots whose last approved booking ended over 30 days ago without results.',
  request: { query: PilotListQuery },
  responses: {
    200: {
      description: 'A page of pilots',
      content: { 'application/json': { schema: page(PilotListItem) } },
    },
    ...problemResponses(400, 401, 403),
  },
})

const getPilotRoute = createRoute({
  method: 'get',
  path: '/pilots/{id}',
  tags: ['Pilots'],
  summary: 'One pilot: who, what, where, when, why, which data',
  description:
    `With the first ${pilotBookingsPageSize} of the bookings you may see, by start, and \`bookingsCursor\` ` +
    'for `GET /api/pilots/{id}/bookings` to page on. Its organisation and admins always see it; others ' +
    'when they may see one of its bookings (an approved one, or one their department signs off).',
  request: { params: IdParam },
  responses: {
    200: { description: 'The pilot', content: { 'application/json': { schema: PilotDetail } } },
    ...problemResponses(400, 404),
  },
})

const pilotBookingsRoute = createRoute({
  method: 'get',
  path: '/pilots/{id}/bookings',
  tags: ['Bookings'],
  summary: 'A pilot’s bookings, page by page',
  description:
    'The bookings of the pilot page you may see — approved ones for the public, all for the pilot’s ' +
    'organisation and admins, also those your department signs off — by start, then id. Start with ' +
    'the pilot’s `bookingsCursor`; 404 when you may not see the pilot.',
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: {
      description: 'A page of bookings',
      content: { 'application/json': { schema: page(PilotBooking) } },
    },
    ...problemResponses(400, 404),
  },
})

const createPilotRoute = createRoute({
  method: 'post',
  path: '/pilots',
  tags: ['Pilots'],
  summary: 'Create a pilot (company)',
  description:
    'An `Idempotency-Key` header makes a retry return the first response instead of a second pilot.',
  middleware: roles('company'),
  request: { body: jsonBody(CreatePilotBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: PilotDetail } } },
    ...problemResponses(400, 401, 403, 422),
  },
})

const updatePilotRoute = createRoute({
  method: 'patch',
  path: '/pilots/{id}',
  tags: ['Pilots'],
  summary: 'Change a pilot (its organisation)',
  middleware: roles('company'),
  request: { params: IdParam, body: jsonBody(UpdatePilotBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: PilotDetail } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const deletePilotRoute = createRoute({
  method: 'delete',
  path: '/pilots/{id}',
  tags: ['Pilots'],
  summary: 'Delete a pilot that has no approved booking (its organisation)',
  description:
    'A pilot with an approved booking (past, running or ahead) stays on the public record: 409 ' +
    '`invalid_state`, whose `detail` and `errors` name those bookings, and nothing changes. Otherwise ' +
    'its open requests (`pending`, `changes_requested`) are withdrawn as by `POST /api/bookings/{id}/cancel` ' +
    '(an audit event each, the reviewing officials told), and the pilot goes with all its bookings and ' +
    'their reviews; the deletion is recorded as the audit event `pilot.deleted`. Another organisation’s ' +
    'pilot is a 404.',
  middleware: roles('company'),
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const createBookingRoute = createRoute({
  method: 'post',
  path: '/pilots/{id}/bookings',
  tags: ['Bookings'],
  summary: 'Request a facility for a pilot (its organisation)',
  description:
    'Checks every booking rule (422 with the rule’s code and what to change) and capacity (409 ' +
    '`capacity_exceeded`) in one transaction that serialises requests per facility; the new booking is `pending` ' +
    'and holds its slot. An `Idempotency-Key` header makes a retry return the first response.',
  middleware: roles('company'),
  request: { params: IdParam, body: jsonBody(CreateBookingBody) },
  responses: {
    201: { description: 'Requested', content: { 'application/json': { schema: Booking } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
})

export const pilots = createRouter()
  .openapi(listPilotsRoute, async (c) => {
    const { near, resultsOverdue, ...query } = c.req.valid('query')
    const mine = query.mine === 'true'
    if (mine) requireUser(c)
    if (resultsOverdue === 'true') requireRole(c, 'official', 'admin')
    const nearFacilityIds =
      near === undefined ? undefined : await facilitiesNear(c.get('db'), near, query.radiusM)
    const filter = { ...query, mine, nearFacilityIds, resultsOverdue: resultsOverdue === 'true' }
    const result = await listPilots(c.get('db'), filter, c.get('user'), c.get('now')())
    return c.json(result, 200)
  })
  .openapi(getPilotRoute, async (c) => {
    const pilot = await findPilot(c.get('db'), c.req.valid('param').id, c.get('user'), c.get('now')())
    if (!pilot) throw new ApiError('not_found', say.noPilot)
    return c.json(pilot, 200)
  })
  .openapi(pilotBookingsRoute, async (c) => {
    const { id } = c.req.valid('param')
    const result = await pilotBookings(c.get('db'), id, c.get('user'), c.req.valid('query'), c.get('now')())
    return c.json(result, 200)
  })
  .openapi(createPilotRoute, async (c) => {
    const user = requireRole(c, 'company')
    const body = c.req.valid('json')
    const result = await idempotent(c, user.id, body, async (tx) => ({
      status: 201 as const,
      body: (await createPilot(tx, user, body, c.get('now')())) as PilotDetail,
    }))
    return c.json(result.body, 201)
  })
  .openapi(updatePilotRoute, async (c) => {
    const user = requireRole(c, 'company')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const pilot = await changePilot(c.get('db'), user, id, body, c.get('now')())
    return c.json(pilot as PilotDetail, 200)
  })
  .openapi(deletePilotRoute, async (c) => {
    const user = requireRole(c, 'company')
    const freed = await deletePilot(c.get('db'), user, c.req.valid('param').id, clockOf(c))
    for (const scope of freed) changed(c, scope)
    return c.body(null, 204)
  })
  .openapi(createBookingRoute, async (c) => {
    const user = requireRole(c, 'company')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const clock = clockOf(c)
    const result = await idempotent(c, user.id, body, async (tx) => {
      const booking = await requestBooking(tx, user, { pilotId: id, ...body }, clock)
      changed(c, bookingChange(booking))
      const access = bookingAccess(user, {
        organisationId: booking.organisation_id,
        requiredDepartmentIds: requiredDepartments(booking),
        state: booking.state,
      })
      return { status: 201 as const, body: toBooking(booking, clock.now.getTime(), access) }
    })
    return c.json(result.body, 201)
  })
