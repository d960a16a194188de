import { createRoute } from '@hono/zod-openapi'
import { seesFacility, unpublishedScope } from '../domain/permissions.ts'
import { requireRole, roles } from '../lib/auth.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say } from '../lib/messages.ts'
import { type CachedRead, noBookings } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import {
  Availability,
  AvailabilityQuery,
  CreateFacilityBody,
  Facility,
  FacilityListQuery,
  rangeOf,
  UpdateFacilityBody,
} from '../schemas/catalogue.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'
import { facilityAndAvailability, withRoomFor } from '../services/availability.ts'
import { facilityForBooking } from '../services/bookings.ts'
import { changeFacility, createFacility, findFacility, listFacilities } from '../services/catalogue.ts'

const staff = roles('official', 'admin')

const listFacilitiesRoute = createRoute({
  method: 'get',
  path: '/facilities',
  tags: ['Catalogue'],
  summary: 'Test sites, searchable by their technical specs',
  description:
    'Published facilities in published areas, by name (officials also see their department’s drafts, admins every ' +
    'draft). Every filter given must hold: area, accepted category, kind, words in name or description, minimum ' +
    'power, load and height, indoor or outdoor, and connectivity.',
  request: { query: FacilityListQuery },
  responses: {
    200: { description: 'A page of facilities', content: { 'application/json': { schema: page(Facility) } } },
    ...problemResponses(400),
  },
})

const getFacilityRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}',
  tags: ['Catalogue'],
  summary: 'One facility with its specs and booking rules',
  request: { params: IdParam },
  responses: {
    200: { description: 'The facility', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 404),
  },
})

/** Public cache: free and busy time shows no pilot details, the same for every anonymous caller. */
export const availabilityCached: CachedRead = {
  path: /^\/api\/facilities\/[^/]+\/availability$/,
  why: 'free and busy spans without pilot details; published sites only for anonymous callers',
  // Setup and teardown (up to a year each) let bookings far outside the range shape it: all time.
  reads: (url) => ({
    facilityId: url.pathname.split('/')[3],
    start: -Infinity,
    end: Infinity,
  }),
}

/**
 * Public cache: a visitor sees published sites only, the same for everyone (officials and admins
 * also see drafts, and are never answered from the cache). With availableFrom and availableTo
 * the answer also depends on every site's bookings, so any booking change drops it.
 */
export const facilitiesCached: CachedRead = {
  path: /^\/api\/facilities$/,
  why: 'published sites only for anonymous callers; the most asked list, 40 kB a page',
  reads: (url) =>
    url.searchParams.has('availableFrom') || url.searchParams.has('availableTo')
      ? { start: -Infinity, end: Infinity }
      : noBookings,
}

const availabilityRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}/availability',
  tags: ['Catalogue'],
  summary: 'Free and busy time of a facility (at most a year at once)',
  description:
    'Free spans are where a booking may start and end, with capacity, setup and teardown, opening hours, closures, ' +
    'lead time and horizon allowed for. Busy spans say why the rest is not free; visitors see no pilot details.',
  request: { params: IdParam, query: AvailabilityQuery },
  responses: {
    200: { description: 'Free and busy spans', content: { 'application/json': { schema: Availability } } },
    ...problemResponses(400, 404),
  },
})

const createFacilityRoute = createRoute({
  method: 'post',
  path: '/facilities',
  tags: ['Catalogue'],
  summary: 'Create a facility (admin, or an official of the area’s department)',
  middleware: staff,
  request: { body: jsonBody(CreateFacilityBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 401, 403),
  },
})

const updateFacilityRoute = createRoute({
  method: 'patch',
  path: '/facilities/{id}',
  tags: ['Catalogue'],
  summary:
    'Change a facility: specs, rules, opening hours, sign-offs (admin, or an official of its department)',
  middleware: staff,
  request: { params: IdParam, body: jsonBody(UpdateFacilityBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

function invalidRange(from: string, to: string): ApiError {
  const message = field.withinAYear(from)
  return new ApiError('validation_failed', say.fieldProblem(to, message), { errors: [{ path: to, message }] })
}

export const facilities = createRouter()
  .openapi(listFacilitiesRoute, async (c) => {
    const query = c.req.valid('query')
    const scope = unpublishedScope(c.get('user'))
    if (query.availableFrom === undefined && query.availableTo === undefined) {
      return c.json(await listFacilities(c.get('db'), query, scope), 200)
    }
    if (!query.availableFrom || !query.availableTo) {
      throw new ApiError('validation_failed', say.availableTogether, {
        errors: [
          { path: query.availableFrom ? 'availableTo' : 'availableFrom', message: field.requiredWithOther },
        ],
      })
    }
    const span = rangeOf(query.availableFrom, query.availableTo, c.get('now')())
    if (!span.valid) throw invalidRange('availableFrom', 'availableTo')
    // Room is computed per facility, so the matching catalogue is filtered first and paged after.
    const { items: candidates } = await listFacilities(
      c.get('db'),
      { ...query, cursor: undefined, limit: 2000 },
      scope,
    )
    const available = await withRoomFor(c.get('db'), candidates, span, {
      now: c.get('now')().getTime(),
      timeZone: c.get('config').cityTimeZone,
    })
    const after = query.cursor ? decodeCursor(query.cursor) : undefined
    const from = after ? available.findIndex((f) => f.id === after.id) + 1 : 0
    const { rows, nextCursor } = paginate(available.slice(from), query.limit, (f) => f.name)
    return c.json({ items: rows, nextCursor }, 200)
  })
  .openapi(availabilityRoute, async (c) => {
    const { id } = c.req.valid('param')
    const query = c.req.valid('query')
    const range = rangeOf(query.from, query.to, c.get('now')())
    const clock = { now: c.get('now')().getTime(), timeZone: c.get('config').cityTimeZone }
    // One read serves the visibility check, the rules and the bookings; an unknown or hidden
    // site is a 404 before a bad range is a 400.
    const found = range.valid
      ? await facilityAndAvailability(c.get('db'), id, range, clock)
      : { facility: await facilityForBooking(c.get('db'), id, { lock: false }), free: [], busy: [] }
    if (!found?.facility || !seesFacility(unpublishedScope(c.get('user')), found.facility)) {
      throw new ApiError('not_found', say.noFacility)
    }
    if (!range.valid) throw invalidRange('from', 'to')
    const { free, busy } = found
    const iso = (t: number) => new Date(t).toISOString()
    return c.json(
      {
        free: free.map((f) => ({ start: iso(f.start), end: iso(f.end) })),
        busy: busy.map((b) => ({
          start: iso(b.start),
          end: iso(b.end),
          kind: b.kind,
          ...(b.reason ? { reason: b.reason } : {}),
        })),
      },
      200,
    )
  })
  .openapi(getFacilityRoute, async (c) => {
    const facility = await findFacility(c.get('db'), c.req.valid('param').id, unpublishedScope(c.get('user')))
    if (!facility) throw new ApiError('not_found', say.noFacility)
    return c.json(facility, 200)
  })
  .openapi(createFacilityRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const body = c.req.valid('json')
    const facility = await createFacility(c.get('db'), user, body, c.get('now')())
    return c.json(facility as Facility, 201)
  })
  .openapi(updateFacilityRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const facility = await changeFacility(c.get('db'), user, id, body, c.get('now')())
    return c.json(facility as Facility, 200)
  })
