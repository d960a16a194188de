import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'
import { CategoryId } from './catalogue.ts'
import { Id, Instant, PageQuery } from './common.ts'
import { DocumentKind } from './documents.ts'
import { Booking, BookingState, ReviewDecision } from './pilots.ts'

export const ReviewQueueQuery = PageQuery.extend({
  state: BookingState.optional().openapi({
    param: { name: 'state', in: 'query' },
    description:
      'Bookings in this state that your department signs off; default: those waiting for its decision',
  }),
  facilityId: Id.optional().openapi({ param: { name: 'facilityId', in: 'query' } }),
  areaId: Id.optional().openapi({ param: { name: 'areaId', in: 'query' } }),
  category: CategoryId.optional().openapi({ param: { name: 'category', in: 'query' } }),
  from: Instant.optional().openapi({
    param: { name: 'from', in: 'query' },
    description: 'Bookings ending after this',
  }),
  to: Instant.optional().openapi({
    param: { name: 'to', in: 'query' },
    description: 'Bookings starting before this',
  }),
  q: z
    .string()
    .trim()
    .max(200, schemaText(field.atMostCharacters(200)))
    .optional()
    .openapi({
      param: { name: 'q', in: 'query' },
      description: 'Words of the pilot’s title or company’s name',
    }),
  sort: z
    .enum(['deadline', 'start', 'created'])
    .default('deadline')
    .openapi({
      param: { name: 'sort', in: 'query' },
      description: 'All ascending: oldest deadline, start or submission first',
    }),
})

export const ReviewQueueItem = z
  .object({
    booking: Booking,
    pilot: z.object({ id: Id, title: z.string(), category: z.string(), organisationName: z.string() }),
    facility: z.object({ id: Id, name: z.string(), areaId: Id, areaName: z.string() }),
    seriesId: Id.nullable(),
    occurrences: z
      .number()
      .int()
      .openapi({ description: 'How many of the series’ bookings the queue holds' }),
    myDepartmentId: Id,
    myDecision: ReviewDecision,
    decideBy: z.string().openapi({
      example: '2027-03-15',
      description: 'City date the department must decide by: submission + its review period in working days',
    }),
    conflicts: z
      .array(Id)
      .openapi({ description: 'Other pending bookings overlapping on the same facility' }),
    documents: z
      .array(
        z.object({
          kind: DocumentKind,
          validUntil: z.string().nullable().openapi({ example: '2031-12-31' }),
          status: z.enum(['valid', 'expires', 'missing']),
        }),
      )
      .openapi({
        description:
          'Each document kind the site requires, with the pilot’s longest-valid one: `expires` when it ends before the booking does',
      }),
  })
  .openapi('ReviewQueueItem')

export const ReviewQueuePage = z
  .object({ items: z.array(ReviewQueueItem), total: z.number().int(), nextCursor: z.string().nullable() })
  .openapi('ReviewQueuePage')

export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuery>
export type ReviewQueueItem = z.infer<typeof ReviewQueueItem>
