import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'
import { Id, Instant } from './common.ts'

/** The most bookings an overlap warning names; `total` counts them all. */
export const maxOverlapItems = 100

/** Which bookings a closure would meet, asked before it is saved (`GET /closures/overlaps`). */
export const ClosureOverlapsQuery = z
  .object({
    facilityId: Id.optional().openapi({
      param: { name: 'facilityId', in: 'query' },
      description: 'The facility the closure closes (or `areaId`)',
    }),
    areaId: Id.optional().openapi({
      param: { name: 'areaId', in: 'query' },
      description: 'The area the closure closes, with every facility in it (or `facilityId`)',
    }),
    start: Instant.openapi({ param: { name: 'start', in: 'query' }, description: 'The closure’s start' }),
    end: Instant.openapi({ param: { name: 'end', in: 'query' }, description: 'The closure’s end' }),
    excludeId: Id.optional().openapi({
      param: { name: 'excludeId', in: 'query' },
      description:
        'The closure being edited: bookings it already meets as it stands are left out, so that the warning names what the change adds',
    }),
  })
  .refine((q) => (q.facilityId === undefined) !== (q.areaId === undefined), {
    message: schemaText(field.facilityOrArea),
    path: ['facilityId'],
  })
  .refine((q) => Date.parse(q.start) < Date.parse(q.end), {
    message: schemaText(field.afterStart),
    path: ['end'],
  })

export type ClosureOverlapsQuery = z.infer<typeof ClosureOverlapsQuery>

/** A booking that holds its slot (pending, changes requested or approved) where a closure would be. */
export const ClosureOverlap = z
  .object({
    bookingId: Id,
    pilotId: Id,
    pilotTitle: z.string(),
    organisationName: z.string(),
    facilityId: Id,
    facilityName: z.string(),
    start: z.string().openapi({ example: '2027-06-20T21:00:00.000Z' }),
    end: z.string(),
    state: z.enum(['pending', 'changes_requested', 'approved']),
  })
  .openapi('ClosureOverlap')

export type ClosureOverlap = z.infer<typeof ClosureOverlap>

export const ClosureOverlaps = z
  .object({
    items: z.array(ClosureOverlap).openapi({ description: `By start; at most ${maxOverlapItems}` }),
    total: z.number().int().openapi({ description: 'How many bookings the closure would meet in all' }),
  })
  .openapi('ClosureOverlaps')
