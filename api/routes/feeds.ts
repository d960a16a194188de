import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import ical, { ICalEventStatus } from 'ical-generator'
import { requireRole, roles } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import type { CachedRead } from '../lib/public-cache.ts'
import { hashToken } from '../lib/tokens.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, problemResponses } from '../schemas/common.ts'
import { findArea, findFacility } from '../services/catalogue.ts'
import {
  type FeedBooking,
  feedBookings,
  organisationByFeedToken,
  replaceFeedToken,
} from '../services/feeds.ts'

const calendarResponse = {
  description: 'An iCalendar (RFC 5545) feed; times in UTC',
  content: {
    'text/calendar': { schema: z.string().openapi({ example: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…' }) },
  },
}

/** An iCalendar document of bookings, one VEVENT each, stable UID and DTSTAMP from the booking. */
function calendarText(c: Context<AppEnv>, name: string, bookings: FeedBooking[]): Response {
  const origin = c.get('config').publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin
  const calendar = ical({
    name,
    prodId: { company: 'City Testbed', product: 'city-testbed', language: 'EN' },
  })
  calendar.x([['X-WR-TIMEZONE', c.get('config').cityTimeZone]])
  for (const b of bookings) {
    calendar.createEvent({
      id: `${b.id}@city-testbed`,
      start: b.starts_at,
      end: b.ends_at,
      stamp: b.updated_at,
      created: b.created_at,
      lastModified: b.updated_at,
      summary: `${b.title} — ${b.organisation_name}`,
      description: `${b.summary}\n\n${b.public_description}\n\nData collected: ${b.data_collected}`,
      location: `${b.facility_name}, ${b.area_name}`,
      url: `${origin}/pilots/${b.pilot_id}`,
      status: b.state === 'approved' ? ICalEventStatus.CONFIRMED : ICalEventStatus.TENTATIVE,
      categories: [{ name: b.category_id }],
    })
  }
  return c.body(calendar.toString(), 200, {
    'content-type': 'text/calendar; charset=utf-8',
    'cache-control': 'public, max-age=300',
  })
}

/** Public cache: the public feeds hold approved bookings only (not the private organisation feed). */
export const feedsCached: CachedRead[] = [
  {
    path: /^\/api\/feeds\/pilots\.ics$/,
    why: 'every approved booking; 10,000 events take a second to write',
  },
  {
    path: /^\/api\/(facilities|areas)\/[^/]+\/calendar\.ics$/,
    why: 'approved bookings of one site or area',
    reads: (url) => {
      const [, , kind, id] = url.pathname.split('/')
      return { facilityId: kind === 'facilities' ? id : undefined, start: -Infinity, end: Infinity }
    },
  },
]

const pilotsFeedRoute = createRoute({
  method: 'get',
  path: '/feeds/pilots.ics',
  tags: ['Public calendar and feeds'],
  summary: 'Every approved pilot booking as iCalendar',
  responses: { 200: calendarResponse },
})

const facilityFeedRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}/calendar.ics',
  tags: ['Public calendar and feeds'],
  summary: 'Approved bookings of one facility as iCalendar',
  request: { params: IdParam },
  responses: { 200: calendarResponse, ...problemResponses(400, 404) },
})

const areaFeedRoute = createRoute({
  method: 'get',
  path: '/areas/{id}/calendar.ics',
  tags: ['Public calendar and feeds'],
  summary: 'Approved bookings in one area as iCalendar',
  request: { params: IdParam },
  responses: { 200: calendarResponse, ...problemResponses(400, 404) },
})

const privateFeedRoute = createRoute({
  method: 'get',
  path: '/feeds/organisations/{token}',
  tags: ['Public calendar and feeds'],
  summary: 'An organisation’s private feed: its pending and approved bookings (path ends in .ics)',
  description:
    'The unguessable token in the path is the only credential, so that calendar apps can subscribe.',
  request: {
    params: z.object({
      token: z
        .string()
        .regex(/^[A-Za-z0-9_-]{43}\.ics$/, 'must be a feed token followed by .ics')
        .openapi({ param: { name: 'token', in: 'path' }, example: 'q3V…Xw.ics' }),
    }),
  },
  responses: { 200: calendarResponse, ...problemResponses(400, 404) },
})

const rotateRoute = createRoute({
  method: 'post',
  path: '/feeds/organisation-token',
  tags: ['Public calendar and feeds'],
  summary: 'Make (or replace) your organisation’s private feed address; the old one stops working',
  middleware: roles('company'),
  responses: {
    200: {
      description: 'The new private address, shown once',
      content: {
        'application/json': {
          schema: z.object({ url: z.string(), path: z.string() }).openapi('PrivateFeed'),
        },
      },
    },
    ...problemResponses(401, 403),
  },
})

export const feeds = createRouter()
  .openapi(pilotsFeedRoute, async (c) => {
    return calendarText(c, 'City Testbed: pilots', await feedBookings(c.get('db'), { states: ['approved'] }))
  })
  .openapi(facilityFeedRoute, async (c) => {
    const { id } = c.req.valid('param')
    const facility = await findFacility(c.get('db'), id)
    if (!facility) throw new ApiError('not_found', say.noFacility)
    return calendarText(
      c,
      `City Testbed: ${facility.name}`,
      await feedBookings(c.get('db'), { states: ['approved'], facilityId: id }),
    )
  })
  .openapi(areaFeedRoute, async (c) => {
    const { id } = c.req.valid('param')
    const area = await findArea(c.get('db'), id)
    if (!area) throw new ApiError('not_found', say.noArea)
    return calendarText(
      c,
      `City Testbed: ${area.name}`,
      await feedBookings(c.get('db'), { states: ['approved'], areaId: id }),
    )
  })
  .openapi(privateFeedRoute, async (c) => {
    const token = c.req.valid('param').token.replace(/\.ics$/, '')
    const org = await organisationByFeedToken(c.get('db'), await hashToken(token))
    if (!org) throw new ApiError('not_found', say.noFeed)
    const bookings = await feedBookings(c.get('db'), {
      states: ['pending', 'changes_requested', 'approved'],
      organisationId: org.id,
    })
    const res = calendarText(c, `City Testbed: ${org.name} (private)`, bookings)
    res.headers.set('cache-control', 'private, no-store')
    return res
  })
  .openapi(rotateRoute, async (c) => {
    const user = requireRole(c, 'company')
    const token = await replaceFeedToken(c.get('db'), user, c.get('now')())
    const path = `/api/feeds/organisations/${token}.ics`
    const origin = c.get('config').publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin
    return c.json({ url: `${origin}${path}`, path }, 200)
  })
