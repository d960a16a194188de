import { createRoute } from '@hono/zod-openapi'
import { requireUser } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { rangeOf } from '../schemas/catalogue.ts'
import { page, problemResponses } from '../schemas/common.ts'
import { FreeSpan, FreeTimeQuery } from '../schemas/free-time.ts'
import { findFreeTime } from '../services/free-time.ts'

const freeTimeRoute = createRoute({
  method: 'get',
  path: '/free-time',
  tags: ['Bookings'],
  summary: 'Find free time across every site: where and when a booking of a given length fits',
  description:
    'Every maximal span inside [from, to), at least `minutes` long, in which every instant is free for a new ' +
    'booking under its facility’s rules (opening hours, closures, capacity, setup and teardown, lead time, ' +
    'horizon), over every published facility that matches the filters, whose area accepts `category` and whose ' +
    'duration limits admit `minutes`. Sorted by start, then facility name. Signed-in users only.',
  request: { query: FreeTimeQuery },
  responses: {
    200: { description: 'A page of free spans', content: { 'application/json': { schema: page(FreeSpan) } } },
    ...problemResponses(400, 401),
  },
})

export const freeTime = createRouter().openapi(freeTimeRoute, async (c) => {
  requireUser(c)
  const query = c.req.valid('query')
  const now = c.get('now')()
  const range = rangeOf(query.from, query.to, now)
  if (!range.valid) {
    throw new ApiError('validation_failed', say.fieldProblem('to', field.within366Days), {
      errors: [{ path: 'to', message: field.within366Days }],
    })
  }
  const { items, nextCursor } = await findFreeTime(
    c.get('db'),
    { ...query, range, nightsOnly: query.nightsOnly ?? false },
    { now: now.getTime(), timeZone: c.get('config').cityTimeZone },
  )
  const iso = (t: number) => new Date(t).toISOString()
  return c.json(
    { items: items.map((s) => ({ ...s, start: iso(s.start), end: iso(s.end) })), nextCursor },
    200,
  )
})
