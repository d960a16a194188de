import { createRoute } from '@hono/zod-openapi'
import { requireRole, roles } from '../lib/auth.ts'
import { createRouter } from '../lib/validation.ts'
import { problemResponses } from '../schemas/common.ts'
import { ReviewQueuePage, ReviewQueueQuery } from '../schemas/review-queue.ts'
import { reviewQueue } from '../services/review-queue.ts'

const queueRoute = createRoute({
  method: 'get',
  path: '/review-queue',
  tags: ['Bookings'],
  summary: 'The bookings waiting for your department’s decision (officials; admins: every department’s)',
  description:
    'One item per waiting sign-off, a series as one item (its first waiting occurrence, `occurrences` counting them); ' +
    'sorted by `decideBy` (default), `start` or `created`, all ascending; `total` counts every page.',
  middleware: roles('official', 'admin'),
  request: { query: ReviewQueueQuery },
  responses: {
    200: { description: 'A page of the queue', content: { 'application/json': { schema: ReviewQueuePage } } },
    ...problemResponses(400, 401, 403),
  },
})

/** The officials' review queue. */
export const reviewQueueRoutes = createRouter().openapi(queueRoute, async (c) => {
  const user = requireRole(c, 'official', 'admin')
  const page = await reviewQueue(c.get('db'), user, c.req.valid('query'), {
    now: c.get('now')(),
    timeZone: c.get('config').cityTimeZone,
  })
  return c.json(page, 200)
})
