import { z } from '@hono/zod-openapi'
import { CategoryId } from './catalogue.ts'
import { Id, Instant, PageQuery } from './common.ts'

const Text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)

export const bookingStates = ['pending', 'changes_requested', 'approved', 'rejected', 'cancelled'] as const
export const BookingState = z.enum(bookingStates)
export const ReviewDecision = z.enum(['pending', 'approved', 'rejected', 'changes_requested'])
export const Phase = z.enum(['upcoming', 'active', 'completed'])

export const Review = z
  .object({
    departmentId: Id,
    departmentName: z.string(),
    decision: ReviewDecision,
    note: z.string().nullable(),
    decidedBy: z
      .string()
      .nullable()
      .openapi({ description: 'The deciding official’s name (never their e-mail)' }),
    decidedAt: z.string().nullable(),
  })
  .openapi('Review')

export const Booking = z
  .object({
    id: Id,
    pilotId: Id,
    facilityId: Id,
    facilityName: z.string(),
    start: z.string().openapi({ example: '2027-03-01T15:00:00.000Z' }),
    end: z.string(),
    state: BookingState,
    phase: Phase.nullable().openapi({ description: 'For approved bookings: from the clock' }),
    note: z.string().nullable(),
    cancelReason: z.string().nullable(),
    reviews: z.array(Review),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .openapi('Booking')

export const Pilot = z
  .object({
    id: Id,
    organisationId: Id,
    organisationName: z.string(),
    title: z.string(),
    summary: z.string(),
    category: CategoryId,
    publicDescription: z.string(),
    dataCollected: z.string(),
    contactEmail: z.string(),
    website: z.string().nullable(),
    phase: Phase.nullable().openapi({
      description: 'active while any approved booking is; null without approved bookings',
    }),
    bookings: z
      .array(Booking)
      .openapi({ description: 'Approved ones for the public; all for the pilot’s organisation' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .openapi('Pilot')

const Website = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500)

export const CreatePilotBody = z
  .object({
    title: Text(1, 200),
    summary: Text(1, 1000),
    category: CategoryId,
    publicDescription: Text(1, 10_000),
    dataCollected: Text(1, 5000).openapi({ description: 'What data is collected and how it is protected' }),
    contactEmail: z.email({ error: 'must be an e-mail address' }).max(254),
    website: Website.optional(),
  })
  .openapi('CreatePilotRequest')

export const UpdatePilotBody = z
  .object({
    title: Text(1, 200).optional(),
    summary: Text(1, 1000).optional(),
    category: CategoryId.optional(),
    publicDescription: Text(1, 10_000).optional(),
    dataCollected: Text(1, 5000).optional(),
    contactEmail: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
    website: Website.nullable().optional(),
    version: z.number().int().positive().optional(),
  })
  .openapi('UpdatePilotRequest')

export const PilotListQuery = PageQuery.extend({
  phase: Phase.optional().openapi({ param: { name: 'phase', in: 'query' } }),
  areaId: Id.optional().openapi({ param: { name: 'areaId', in: 'query' } }),
  category: CategoryId.optional().openapi({ param: { name: 'category', in: 'query' } }),
  mine: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .openapi({
      param: { name: 'mine', in: 'query' },
      description: 'Your organisation’s pilots, approved or not',
    }),
})

export const CreateBookingBody = z
  .object({
    facilityId: Id,
    start: Instant,
    end: Instant,
    note: Text(0, 2000).optional(),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), { message: 'must be after start', path: ['end'] })
  .openapi('CreateBookingRequest')

export const UpdateBookingBody = z
  .object({
    start: Instant.optional(),
    end: Instant.optional(),
    note: Text(0, 2000).nullable().optional(),
    version: z.number().int().positive().optional(),
  })
  .openapi('UpdateBookingRequest')

export const ReviewBody = z
  .object({
    decision: z.enum(['approve', 'reject', 'request_changes']),
    note: Text(0, 2000).optional(),
  })
  .refine((b) => b.decision === 'approve' || (b.note !== undefined && b.note.length > 0), {
    message: 'is required when rejecting or asking for changes: tell the applicant why',
    path: ['note'],
  })
  .openapi('ReviewRequest')

export const CancelBody = z.object({ reason: Text(0, 2000).optional() }).openapi('CancelRequest')

export const BookingListQuery = PageQuery.extend({
  state: BookingState.optional().openapi({ param: { name: 'state', in: 'query' } }),
  facilityId: Id.optional().openapi({ param: { name: 'facilityId', in: 'query' } }),
  pilotId: Id.optional().openapi({ param: { name: 'pilotId', in: 'query' } }),
})

export const AuditEvent = z
  .object({
    at: z.string(),
    actor: z.object({ id: Id, name: z.string(), role: z.string() }).nullable(),
    action: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEvent')

export type Booking = z.infer<typeof Booking>
export type Pilot = z.infer<typeof Pilot>
export type CreatePilotBody = z.infer<typeof CreatePilotBody>
export type UpdatePilotBody = z.infer<typeof UpdatePilotBody>
