import { TZDate } from '@date-fns/tz'
import { createRoute, z } from '@hono/zod-openapi'
import { isTimeZone } from '../lib/config.ts'
import { ApiError } from '../lib/errors.ts'
import { field, type Localized, say } from '../lib/messages.ts'
import type { CachedRead } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { CategoryId } from '../schemas/catalogue.ts'
import { Id, problemResponses } from '../schemas/common.ts'
import { BookingState, Phase } from '../schemas/pilots.ts'
import { calendarEvents } from '../services/calendar.ts'

const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i
const local = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/

/**
 * An instant from FullCalendar's start and end parameters: with an offset as it is, or a local
 * date or date-time (what FullCalendar sends for a named time zone) read in `timeZone`.
 */
export function calendarInstant(value: string, timeZone: string): number | undefined {
  if (withOffset.test(value)) {
    const t = Date.parse(value)
    return Number.isNaN(t) ? undefined : t
  }
  const m = local.exec(value)
  if (!m) return undefined
  const [, y, mo, d, hh = '0', mm = '0', ss = '0'] = m
  const date = new TZDate(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss), timeZone)
  const t = date.getTime()
  return Number.isNaN(t) || date.getDate() !== Number(d) ? undefined : t
}

const CalendarQuery = z.object({
  start: z
    .string()
    .max(40)
    .openapi({ param: { name: 'start', in: 'query' }, example: '2027-03-01' }),
  end: z
    .string()
    .max(40)
    .openapi({ param: { name: 'end', in: 'query' }, example: '2027-04-01' }),
  facilityId: Id.optional().openapi({ param: { name: 'facilityId', in: 'query' } }),
  areaId: Id.optional().openapi({ param: { name: 'areaId', in: 'query' } }),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow')
    .optional()
    .openapi({
      param: { name: 'timeZone', in: 'query' },
      description: 'How to read start and end without an offset; default the city’s',
    }),
})

const CalendarEvent = z
  .object({
    id: Id,
    title: z.string(),
    start: z.string(),
    end: z.string(),
    extendedProps: z.object({
      bookingId: Id,
      pilotId: Id,
      pilotTitle: z.string(),
      organisationName: z.string(),
      facilityId: Id,
      facilityName: z.string(),
      areaId: Id,
      category: CategoryId,
      state: BookingState,
      phase: Phase.nullable(),
    }),
  })
  .openapi('CalendarEvent')

const day = 24 * 3600 * 1000
const utf8 = new TextEncoder()

/**
 * Public cache: anonymous callers see approved bookings only, the same for everyone; so only a
 * change that approves a booking or takes an approved one away drops a month, never a request.
 */
export const calendarCached: CachedRead = {
  path: /^\/api\/calendar$/,
  why: 'approved bookings only for anonymous callers; a month is 500 kB that costs 10 ms to build',
  // The window as the route reads it, a day wider on each side for any time zone it is read in.
  reads: (url) => {
    const q = url.searchParams
    const start = calendarInstant(q.get('start') ?? '', 'UTC')
    const end = calendarInstant(q.get('end') ?? '', 'UTC')
    return {
      facilityId: q.get('facilityId') ?? undefined,
      start: start === undefined ? -Infinity : start - day,
      end: end === undefined ? Infinity : end + day,
      approvedOnly: true,
    }
  },
}

const calendarRoute = createRoute({
  method: 'get',
  path: '/calendar',
  tags: ['Public calendar and feeds'],
  summary: 'Bookings as a FullCalendar event feed',
  description:
    'A JSON array of FullCalendar event objects overlapping [start, end) (at most 400 days). Visitors get approved ' +
    'bookings; signed in, also the pending and changes-requested ones of your organisation or department, marked with their state.',
  request: { query: CalendarQuery },
  responses: {
    200: { description: 'Events', content: { 'application/json': { schema: z.array(CalendarEvent) } } },
    ...problemResponses(400),
  },
})

export const calendar = createRouter().openapi(calendarRoute, async (c) => {
  const query = c.req.valid('query')
  const zone = query.timeZone ?? c.get('config').cityTimeZone
  const start = calendarInstant(query.start, zone)
  const end = calendarInstant(query.end, zone)
  const bad = (path: string, message: Localized) =>
    new ApiError('validation_failed', say.fieldProblem(path, message), { errors: [{ path, message }] })
  if (start === undefined) throw bad('start', field.dateOrDateTime)
  if (end === undefined) throw bad('end', field.dateOrDateTime)
  if (end <= start || end - start > 400 * 24 * 3600 * 1000) throw bad('end', field.within400Days)

  const events = await calendarEvents(c.get('db'), {
    start: new Date(start),
    end: new Date(end),
    now: c.get('now')(),
    user: c.get('user'),
    facilityId: query.facilityId,
    areaId: query.areaId,
  })
  // As bytes: a string body is checked and copied again by the Response (a month is 500 kB).
  return c.body(utf8.encode(events), 200, {
    'content-type': 'application/json; charset=utf-8',
  }) as never
})
