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
import { findSeriesWithBookings, reviewSeries } from '../services/series.ts'
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

const distinctIds = (ids: string[]) => new Set(ids).size === ids.length

const BulkReviewBody = z
  .object({
    bookingIds: z
      .array(Id)
      .max(maxBulk, schemaText(field.oneTo200Bookings))
      .refine(distinctIds, schemaText(field.bookingsOnce))
      .optional(),
    seriesIds: z
      .array(Id)
      .max(maxBulk, schemaText(field.oneTo200Items))
      .refine(distinctIds, schemaText(field.seriesOnce))
      .optional()
      .openapi({ description: 'Series: every occurrence still waiting for your department is decided' }),
    decision: z.enum(['approve', 'reject', 'request_changes']),
    note: z
      .string()
      .trim()
      .max(2000, schemaText(field.atMostCharacters(2000)))
      .optional(),
  })
  .refine(
    (b) => {
      const count = (b.bookingIds?.length ?? 0) + (b.seriesIds?.length ?? 0)
      return count >= 1 && count <= maxBulk
    },
    { message: schemaText(field.oneTo200Items), path: ['bookingIds'] },
  )
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

const BulkSeriesResult = z
  .object({
    seriesId: Id,
    status: z.number().int().openapi({ description: 'What `POST /series/{id}/reviews` would have answered' }),
    code: z.string().optional().openapi({ description: 'The problem code when not 200' }),
    decided: z.number().int().openapi({ description: 'How many occurrences were decided' }),
  })
  .openapi('BulkSeriesResult')

const bulkRoute = createRoute({
  method: 'post',
  path: '/reviews/bulk',
  tags: ['Bookings'],
  summary: 'Decide your department’s sign-off of up to 200 bookings with one note (official)',
  description:
    'Each booking is decided in its own transaction, exactly as `POST /bookings/{id}/reviews` would, and ' +
    'each result carries the status (and problem code) that single review would have given. ' +
    'Each series is decided as `POST /series/{id}/reviews` would (every occurrence still waiting for your ' +
    'department, in one transaction). `note` is required unless approving; 1–200 distinct ids in all.',
  middleware: roles('official'),
  request: { body: jsonBody(BulkReviewBody) },
  responses: {
    200: {
      description: 'One result per booking, in the order asked, then one per series',
      content: {
        'application/json': {
          schema: z.object({ results: z.array(z.union([BulkReviewResult, BulkSeriesResult])) }),
        },
      },
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

/** One series of a bulk decision, in its own transaction: how many occurrences it decided. */
async function decideSeries(c: Context<AppEnv>, user: SessionUser, seriesId: string, body: Decision) {
  try {
    const { decided, found } = await c
      .get('db')
      .transaction()
      .execute(async (tx) => ({
        decided: await reviewSeries(tx, user, seriesId, body, clockOf(c)),
        found: await findSeriesWithBookings(tx, seriesId),
      }))
    const bookings = found?.bookings ?? []
    const first = bookings[0]
    const last = bookings[bookings.length - 1]
    if (first && last) {
      const span = { start: first.starts_at.getTime(), end: last.ends_at.getTime() }
      changed(c, { kind: 'bookings', facilityId: first.facility_id, ...span, approved: true })
    }
    return { seriesId, status: 200, decided }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { seriesId, status: error.status, code: error.code, decided: 0 }
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
    const results: (Awaited<ReturnType<typeof decideOne>> | Awaited<ReturnType<typeof decideSeries>>)[] = []
    for (const bookingId of body.bookingIds ?? []) results.push(await decideOne(c, user, bookingId, body))
    for (const seriesId of body.seriesIds ?? []) results.push(await decideSeries(c, user, seriesId, body))
    return c.json({ results }, 200)
  })
