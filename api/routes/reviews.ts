import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { requireRole, roles } from '../lib/auth.ts'
import type { AppEnv, SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, schemaText } from '../lib/messages.ts'
import { changed } from '../lib/public-cache.ts'
import { createRouter } from '../lib/validation.ts'
import { Id, IdParam, jsonBody, problemResponses } from '../schemas/common.ts'
import { ReviewBody } from '../schemas/pilots.ts'
import { bookingChange, decideBooking } from '../services/bookings.ts'
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

const maxBulk = 200

const BulkReviewBody = z
  .object({
    bookingIds: z
      .array(Id)
      .min(1, schemaText(field.oneTo200Bookings))
      .max(maxBulk, schemaText(field.oneTo200Bookings))
      .refine((ids) => new Set(ids).size === ids.length, schemaText(field.bookingsOnce)),
    decision: z.enum(['approve', 'reject', 'request_changes']),
    note: z
      .string()
      .trim()
      .max(2000, schemaText(field.atMostCharacters(2000)))
      .optional(),
  })
  .refine((b) => b.decision === 'approve' || (b.note !== undefined && b.note.length > 0), {
    message: schemaText(field.noteRequired),
    path: ['note'],
  })
  .openapi('BulkReviewRequest')

const BulkReviewResult = z
  .object({
    bookingId: Id,
    status: z.number().int().openapi({ description: 'What a single review of it would have answered' }),
    code: z.string().optional().openapi({ description: 'The problem code when not 200' }),
  })
  .openapi('BulkReviewResult')

const bulkRoute = createRoute({
  method: 'post',
  path: '/reviews/bulk',
  tags: ['Bookings'],
  summary: 'Decide your department’s sign-off of up to 200 bookings with one note (official)',
  description:
    'Each booking is decided in its own transaction, exactly as `POST /bookings/{id}/reviews` would, and ' +
    'each result carries the status (and problem code) that single review would have given. ' +
    '`note` is required unless approving; 1–200 distinct ids.',
  middleware: roles('official'),
  request: { body: jsonBody(BulkReviewBody) },
  responses: {
    200: {
      description: 'One result per booking, in the order asked',
      content: { 'application/json': { schema: z.object({ results: z.array(BulkReviewResult) }) } },
    },
    ...problemResponses(400, 401, 403),
  },
})

type Decision = z.infer<typeof BulkReviewBody>

/** One booking of a bulk decision, in its own transaction: its status, and its code when refused. */
async function decideOne(c: Context<AppEnv>, user: SessionUser, bookingId: string, body: Decision) {
  try {
    const booking = await c
      .get('db')
      .transaction()
      .execute((tx) => decideBooking(tx, user, bookingId, body, clockOf(c)))
    changed(c, bookingChange(booking))
    return { bookingId, status: 200 }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { bookingId, status: error.status, code: error.code }
  }
}

/**
 * A department's sign-off of a booking (the officials' decisions), one at a time or many with one
 * note: one transaction each, so one refusal leaves the rest decided.
 */
export const reviews = createRouter()
  .openapi(reviewRoute, async (c) => {
    const user = requireRole(c, 'official')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const booking = await c
      .get('db')
      .transaction()
      .execute((tx) => decideBooking(tx, user, id, body, clockOf(c)))
    changed(c, bookingChange(booking))
    return c.json(show(c, booking), 200)
  })
  .openapi(bulkRoute, async (c) => {
    const user = requireRole(c, 'official')
    const body = c.req.valid('json')
    const results = []
    for (const bookingId of body.bookingIds) results.push(await decideOne(c, user, bookingId, body))
    return c.json({ results }, 200)
  })
