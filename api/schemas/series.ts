import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'
import { Id, Instant } from './common.ts'
import { Booking } from './pilots.ts'

const date = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/

/** Not 30 February: the date reads back as itself. */
function realDate(d: string): boolean {
  const at = new Date(`${d}T00:00:00Z`)
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === d
}

export const Recurrence = z
  .object({
    frequency: z.enum(['daily', 'weekly'], { error: schemaText(field.dailyOrWeekly) }),
    interval: z
      .number({ error: schemaText(field.wholeNumber(1, 52)) })
      .int(schemaText(field.wholeNumber(1, 52)))
      .min(1, schemaText(field.wholeNumber(1, 52)))
      .max(52, schemaText(field.wholeNumber(1, 52)))
      .optional()
      .openapi({ description: 'Every n days or weeks; 1 when absent' }),
    weekdays: z
      .array(
        z
          .number({ error: schemaText(field.isoWeekday) })
          .int(schemaText(field.isoWeekday))
          .min(1, schemaText(field.isoWeekday))
          .max(7, schemaText(field.isoWeekday)),
      )
      .max(7, schemaText(field.weekdaysOnce))
      .refine((days) => new Set(days).size === days.length, schemaText(field.weekdaysOnce))
      .optional()
      .openapi({ description: 'Weekly: the ISO weekdays; the first occurrence’s weekday when absent' }),
    until: z
      .string()
      .regex(date, schemaText(field.isoDate))
      .refine((d) => !date.test(d) || realDate(d), schemaText(field.realDate))
      .openapi({
        description: 'The last date (city calendar) an occurrence may start on',
        example: '2027-03-14',
      }),
  })
  .refine((r) => r.frequency === 'weekly' || r.weekdays === undefined, {
    message: schemaText(field.weeklyOnly),
    path: ['weekdays'],
  })
  .openapi('Recurrence')

export const CreateSeriesBody = z
  .object({
    facilityId: Id,
    start: Instant.openapi({ description: 'The first occurrence’s start' }),
    end: Instant.openapi({ description: 'The first occurrence’s end' }),
    note: z
      .string()
      .trim()
      .max(2000, schemaText(field.atMostCharacters(2000)))
      .optional(),
    recurrence: Recurrence,
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    message: schemaText(field.afterStart),
    path: ['end'],
  })
  .openapi('CreateSeriesRequest')

export const Series = z
  .object({
    id: Id,
    pilotId: Id,
    facilityId: Id,
    recurrence: z.object({
      frequency: z.enum(['daily', 'weekly']),
      interval: z.number().int(),
      weekdays: z.array(z.number().int()),
      until: z.string(),
    }),
    note: z.string().nullable(),
    bookings: z.array(Booking),
  })
  .openapi('Series')
