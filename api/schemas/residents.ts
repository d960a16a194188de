import { z } from '@hono/zod-openapi'
import { parseNear } from '../domain/geo.ts'
import { field, schemaText } from '../lib/messages.ts'
import { Id } from './common.ts'

/** A representative point, `[longitude, latitude]` as GeoJSON orders them. */
export const LngLatPoint = z
  .tuple([z.number(), z.number()])
  .openapi({ description: '[longitude, latitude] of the place’s centroid', example: [30.3141, 59.9386] })

export const PlacesQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, schemaText(field.placeQuery))
    .max(100, schemaText(field.placeQuery))
    .openapi({
      param: { name: 'q', in: 'query' },
      description: 'Words that must all appear in the name, the address or the area name',
      example: 'невский 28',
    }),
})

export const Place = z
  .object({
    type: z.enum(['area', 'facility']),
    id: Id,
    name: z.string(),
    address: z.string().nullable(),
    areaName: z.string().openapi({ description: 'The area’s name (for an area, its own)' }),
    point: LngLatPoint.nullable(),
  })
  .openapi('Place')

export const PlacesResponse = z.object({ items: z.array(Place) }).openapi('Places')

const trueOrFalse = z.enum(['true', 'false'], { error: schemaText(field.trueOrFalse) })

/** The residents' filters of `GET /api/pilots`: near a point, and (officials) results overdue. */
export const PilotResidentFilters = {
  near: z
    .string()
    .refine((text) => parseNear(text) !== undefined, schemaText(field.nearPoint))
    .optional()
    .openapi({
      param: { name: 'near', in: 'query' },
      description:
        '`<lat>,<lng>`: keeps pilots with an approved booking on a published site within `radiusM`',
      example: '59.9386,30.3141',
    }),
  radiusM: z.coerce
    .number({ error: schemaText(field.wholeNumber(1, 20_000)) })
    .int(schemaText(field.wholeNumber(1, 20_000)))
    .min(1, schemaText(field.wholeNumber(1, 20_000)))
    .max(20_000, schemaText(field.wholeNumber(1, 20_000)))
    .default(1000)
    .openapi({ param: { name: 'radiusM', in: 'query' }, description: 'Metres around `near`', example: 1000 }),
  resultsOverdue: trueOrFalse.optional().openapi({
    param: { name: 'resultsOverdue', in: 'query' },
    description: 'Officials and admins: `true` keeps pilots whose results are overdue',
  }),
}

export const PilotPlace = z
  .object({
    facilityId: Id,
    name: z.string(),
    address: z.string().nullable(),
    point: LngLatPoint.nullable(),
  })
  .openapi('PilotPlace')

const ResultsText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, schemaText(field.notEmpty))
    .max(max, schemaText(field.atMostCharacters(max)))

export const ResultsBody = z
  .object({
    summary: ResultsText(2000),
    findings: ResultsText(20_000),
    dataUrl: z
      .url({ protocol: /^https?$/, error: schemaText(field.httpUrl) })
      .max(500)
      .nullable()
      .optional()
      .openapi({ description: 'Where the collected data is published (http or https)' }),
  })
  .openapi('ResultsRequest')

export const PilotResults = z
  .object({
    pilotId: Id,
    summary: z.string(),
    findings: z.string(),
    dataUrl: z.string().nullable(),
    publishedAt: z.string().openapi({ description: 'When they were first submitted' }),
    updatedAt: z.string(),
  })
  .openapi('PilotResults')

export const FeedbackBody = z
  .object({
    message: z
      .string()
      .trim()
      .min(1, schemaText(field.notEmpty))
      .max(2000, schemaText(field.atMostCharacters(2000))),
    email: z
      .email({ error: schemaText(field.email) })
      .max(254)
      .optional()
      .openapi({ description: 'To be answered; never shown publicly' }),
  })
  .openapi('FeedbackRequest')

export const Feedback = z
  .object({
    id: Id,
    pilotId: Id,
    message: z.string(),
    email: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Feedback')

export const FeedbackAccepted = z.object({ id: Id }).openapi('FeedbackAccepted')

export type Place = z.infer<typeof Place>
export type PilotPlace = z.infer<typeof PilotPlace>
export type ResultsBody = z.infer<typeof ResultsBody>
export type PilotResults = z.infer<typeof PilotResults>
export type FeedbackBody = z.infer<typeof FeedbackBody>
export type Feedback = z.infer<typeof Feedback>
