import { createRoute } from '@hono/zod-openapi'
import { requireRole, roles } from '../lib/auth.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, problemResponses } from '../schemas/common.ts'
import { ReviewBody } from '../schemas/pilots.ts'
import { decideBooking } from '../services/bookings.ts'
import { bookingResponse, show } from './bookings.ts'
import { clockOf } from './pilots.ts'

const reviewRoute = createRoute({
  method: 'post',
  path: '/bookings/{id}/reviews',
  tags: ['Bookings'],
  summary: 'Decide your department’s sign-off (official of a required department)',
  description:
    '`note` is required unless approving. The booking becomes `approved` when every required sign-off approves, ' +
    '`rejected` on any rejection, `changes_requested` on any request for changes. 409 `invalid_state` when not pending.',
  middleware: roles('official'),
  request: { params: IdParam, body: jsonBody(ReviewBody) },
  responses: {
    200: { description: 'Decided', ...bookingResponse },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

/** A department's sign-off of a booking: the officials' decisions. */
export const reviews = createRouter().openapi(reviewRoute, async (c) => {
  const user = requireRole(c, 'official')
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const booking = await c
    .get('db')
    .transaction()
    .execute((tx) => decideBooking(tx, user, id, body, clockOf(c)))
  return c.json(show(c, booking), 200)
})
