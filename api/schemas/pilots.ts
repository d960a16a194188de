import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'
import { CategoryId } from './catalogue.ts'
import { Id, Instant, PageQuery } from './common.ts'
import { PilotPlace, PilotResidentFilters, PilotResults } from './residents.ts'

const Text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? schemaText(field.notEmpty) : schemaText(field.atLeastCharacters(min)))
    .max(max, schemaText(field.atMostCharacters(max)))

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
    seriesId: Id.nullable().openapi({ description: 'The series this booking is an occurrence of, or null' }),
  })
  .openapi('Booking')

export const Cancellation = z.enum(['withdrawn', 'revoked', 'expired'])

/** A booking as a pilot's pages show it: also how a cancelled one was cancelled. */
export const PilotBooking = Booking.extend({
  cancellation: Cancellation.nullable().openapi({
    description:
      'For a cancelled booking, how: `withdrawn` by the applicant, `revoked` by the city, `expired` ' +
      'undecided; null otherwise (or for a cancellation older than the audit trail)',
  }),
}).openapi('PilotBooking')

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
      .array(PilotBooking)
      .openapi({ description: 'Approved ones for the public; all for the pilot’s organisation' }),
    places: z.array(PilotPlace).openapi({
      description:
        'The sites of its approved bookings, each once (with `near`: those within the radius), by first use',
    }),
    start: z.string().nullable().openapi({ description: 'Start of its first approved booking' }),
    end: z.string().nullable().openapi({ description: 'End of its last approved booking' }),
    resultsOverdue: z.boolean().optional().openapi({
      description:
        'Officials and admins only: its last approved booking ended more than 30 days ago and it has no results',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .openapi('Pilot')

export const PilotListItem = Pilot.extend({
  bookings: z.array(PilotBooking).openapi({
    description:
      'Its first 10 bookings the caller may see: those not yet ended by start, then the ended, latest ' +
      'first; the pilot (`GET /api/pilots/{id}`) and `GET /api/pilots/{id}/bookings` give them all',
  }),
  bookingsTotal: z.number().int().openapi({ description: 'How many bookings the caller may see in all' }),
}).openapi('PilotListItem')
export type PilotListItem = z.infer<typeof PilotListItem>

export const PilotDetail = Pilot.extend({
  bookings: z.array(PilotBooking).openapi({
    description:
      'The first page of the bookings the caller may see (approved ones for the public, all for the ' +
      'pilot’s organisation), by start; `GET /api/pilots/{id}/bookings` pages on',
  }),
  bookingsCursor: z.string().nullable().openapi({
    description: 'The `cursor` of the next page of bookings; null when `bookings` holds them all',
  }),
  bookingsTotal: z.number().int().openapi({ description: 'How many bookings the caller may see in all' }),
  results: PilotResults.nullable().openapi({ description: 'Its published results, or null' }),
}).openapi('PilotDetail')

const Website = z.url({ protocol: /^https?$/, error: schemaText(field.httpUrl) }).max(500)

export const CreatePilotBody = z
  .object({
    title: Text(1, 200),
    summary: Text(1, 1000),
    category: CategoryId,
    publicDescription: Text(1, 10_000),
    dataCollected: Text(1, 5000).openapi({ description: 'What data is collected and how it is protected' }),
    contactEmail: z.email({ error: schemaText(field.email) }).max(254),
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
    contactEmail: z
      .email({ error: schemaText(field.email) })
      .max(254)
      .optional(),
    website: Website.nullable().optional(),
    version: z.number().int().positive().optional(),
  })
  .openapi('UpdatePilotRequest')

export const PilotListQuery = PageQuery.extend({
  phase: Phase.optional().openapi({ param: { name: 'phase', in: 'query' } }),
  areaId: Id.optional().openapi({ param: { name: 'areaId', in: 'query' } }),
  category: CategoryId.optional().openapi({ param: { name: 'category', in: 'query' } }),
  mine: z
    .enum(['true', 'false'], { error: schemaText(field.trueOrFalse) })
    .optional()
    .openapi({
      param: { name: 'mine', in: 'query' },
      description: 'Your organisation’s pilots, approved or not',
    }),
  ...PilotResidentFilters,
})

export const CreateBookingBody = z
  .object({
    facilityId: Id,
    start: Instant,
    end: Instant,
    note: Text(0, 2000).optional(),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    message: schemaText(field.afterStart),
    path: ['end'],
  })
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
    message: schemaText(field.noteRequired),
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
export type PilotBooking = z.infer<typeof PilotBooking>
export type Pilot = z.infer<typeof Pilot>
export type PilotDetail = z.infer<typeof PilotDetail>
export type CreatePilotBody = z.infer<typeof CreatePilotBody>
export type UpdatePilotBody = z.infer<typeof UpdatePilotBody>
