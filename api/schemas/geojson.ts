import { z } from '@hono/zod-openapi'
import { field, schemaText } from '../lib/messages.ts'

const Longitude = z.number().min(-180).max(180)
const Latitude = z.number().min(-90).max(90)
/** [longitude, latitude], as RFC 7946 orders them (WGS 84). */
const Position = z.tuple([Longitude, Latitude]).rest(z.number())

const LinearRing = z
  .array(Position)
  .min(4, schemaText(field.ringTooShort))
  .refine((ring) => {
    const first = ring[0]
    const last = ring[ring.length - 1]
    return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]
  }, schemaText(field.ringOpen))

export const Point = z.object({ type: z.literal('Point'), coordinates: Position }).openapi('Point')
export const LineString = z
  .object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) })
  .openapi('LineString')
export const Polygon = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(LinearRing).min(1) })
  .openapi('Polygon')
export const MultiPolygon = z
  .object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(LinearRing).min(1)).min(1) })
  .openapi('MultiPolygon')

/** An area's outline. */
export const AreaGeometry = z.discriminatedUnion('type', [Polygon, MultiPolygon])
/** A facility's location: a pole is a point, a road a line, a roof a polygon. */
export const FacilityGeometry = z.discriminatedUnion('type', [Point, LineString, Polygon])

export type AreaGeometry = z.infer<typeof AreaGeometry>
export type FacilityGeometry = z.infer<typeof FacilityGeometry>
