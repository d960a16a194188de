import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'
import { FacilityListQuery } from './catalogue.ts'
import { Id, Instant } from './common.ts'

export const FreeTimeQuery = FacilityListQuery.pick({
  limit: true,
  cursor: true,
  areaId: true,
  category: true,
  kind: true,
  powerKwMin: true,
  connectivity: true,
}).extend({
  from: Instant.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Default: now' }),
  to: Instant.optional().openapi({
    param: { name: 'to', in: 'query' },
    description: 'Default: 30 days after from; at most 366 days after it',
  }),
  minutes: z.coerce
    .number({ error: schemaText(field.wholeMinutes(15, 525_600)) })
    .int(schemaText(field.wholeMinutes(15, 525_600)))
    .min(15, schemaText(field.wholeMinutes(15, 525_600)))
    .max(525_600, schemaText(field.wholeMinutes(15, 525_600)))
    .openapi({
      param: { name: 'minutes', in: 'query' },
      description: 'How long the booking lasts',
      example: 480,
    }),
  nightsOnly: z
    .enum(['true', 'false'], { error: schemaText(field.trueOrFalse) })
    .transform((v) => v === 'true')
    .optional()
    .openapi({
      param: { name: 'nightsOnly', in: 'query' },
      description: 'Only the parts of each span between 22:00 and 06:00 city time',
    }),
})

export const FreeSpan = z
  .object({
    facilityId: Id,
    facilityName: z.string(),
    areaId: Id,
    areaName: z.string(),
    start: z.string().openapi({ example: '2027-03-01T19:00:00.000Z' }),
    end: z.string().openapi({ example: '2027-03-02T03:00:00.000Z' }),
  })
  .openapi('FreeSpan', {
    description:
      'A maximal span in which a booking of the asked length may start anywhere that leaves it room on this facility',
  })
