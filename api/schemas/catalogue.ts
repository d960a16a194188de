import { z } from '@hono/zod-openapi'
import { Id, PageQuery } from './common.ts'
import { AreaGeometry, FacilityGeometry } from './geojson.ts'

export const categoryIds = [
  'lighting',
  'construction',
  'digital',
  'tourism',
  'mobility',
  'energy',
  'environment',
  'other',
] as const
export const CategoryId = z.enum(categoryIds).openapi({ example: 'lighting' })

export const facilityKinds = [
  'lighting_pole',
  'road_segment',
  'rooftop',
  'public_space',
  'building_space',
  'network_point',
  'other',
] as const
export const FacilityKind = z.enum(facilityKinds).openapi({ example: 'lighting_pole' })

export const connectivityKinds = ['fibre', 'ethernet', 'wifi', '4g', '5g', 'lorawan', 'nb-iot'] as const
export const Connectivity = z.enum(connectivityKinds)

export const Category = z
  .object({
    id: CategoryId,
    name: z.string().openapi({ description: 'In the language the request asked for (Accept-Language)' }),
    names: z.object({ en: z.string(), ru: z.string() }),
  })
  .openapi('Category')

export const Cluster = z
  .object({ id: z.string(), name: z.string(), names: z.object({ en: z.string(), ru: z.string() }) })
  .openapi('Cluster')

export const Area = z
  .object({
    id: Id,
    name: z.string().openapi({ example: 'Petrovskaya Embankment' }),
    description: z.string(),
    departmentId: Id,
    categories: z.array(CategoryId),
    geometry: AreaGeometry,
    published: z.boolean(),
  })
  .openapi('Area')

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM')

export const OpeningWindow = z
  .object({
    weekday: z.number().int().min(1).max(7).openapi({ description: 'ISO weekday: 1 = Monday … 7 = Sunday' }),
    from: HHMM.openapi({ example: '08:00' }),
    to: HHMM.openapi({
      example: '20:00',
      description: 'Local time in the city; a `to` not after `from` means the window runs past midnight',
    }),
  })
  .openapi('OpeningWindow')

export const FacilitySpecs = z
  .object({
    powerKw: z.number().nonnegative().optional(),
    voltage: z.number().int().positive().optional(),
    connectivity: z.array(Connectivity).optional(),
    mounting: z.string().optional(),
    maxLoadKg: z.number().nonnegative().optional(),
    heightM: z.number().nonnegative().optional(),
    indoor: z.boolean().optional(),
    accessNotes: z.string().optional(),
  })
  .openapi('FacilitySpecs')

export const BookingRules = z
  .object({
    minDurationMinutes: z.number().int().positive(),
    maxDurationMinutes: z.number().int().positive(),
    leadTimeMinutes: z.number().int().nonnegative(),
    horizonDays: z.number().int().positive(),
    setupMinutes: z.number().int().nonnegative(),
    teardownMinutes: z.number().int().nonnegative(),
    openingHours: z
      .array(OpeningWindow)
      .optional()
      .openapi({ description: 'Weekly opening windows in the city time zone; absent means always open' }),
  })
  .openapi('BookingRules')

export const Facility = z
  .object({
    id: Id,
    areaId: Id,
    name: z.string().openapi({ example: 'Lighting pole P-07' }),
    description: z.string(),
    kind: FacilityKind,
    geometry: FacilityGeometry,
    capacity: z.number().int().positive(),
    specs: FacilitySpecs,
    rules: BookingRules,
    departmentId: Id,
    signoffDepartmentIds: z.array(Id),
    published: z.boolean(),
  })
  .openapi('Facility')

function optionalNumber(name: string) {
  return z.coerce
    .number({ error: 'must be a number' })
    .nonnegative('must not be negative')
    .optional()
    .openapi({ param: { name, in: 'query' } })
}

export const AreaListQuery = PageQuery.extend({
  category: CategoryId.optional().openapi({ param: { name: 'category', in: 'query' } }),
  departmentId: Id.optional().openapi({ param: { name: 'departmentId', in: 'query' } }),
})

export const FacilityListQuery = PageQuery.extend({
  areaId: Id.optional().openapi({ param: { name: 'areaId', in: 'query' } }),
  category: CategoryId.optional().openapi({
    param: { name: 'category', in: 'query' },
    description: 'Only facilities in areas that accept this category',
  }),
  kind: FacilityKind.optional().openapi({ param: { name: 'kind', in: 'query' } }),
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .optional()
    .openapi({ param: { name: 'q', in: 'query' }, description: 'Words in the name or description' }),
  powerKwMin: optionalNumber('powerKwMin'),
  maxLoadKgMin: optionalNumber('maxLoadKgMin'),
  heightMMin: optionalNumber('heightMMin'),
  connectivity: z
    .string()
    .transform((value, ctx) => {
      const wanted = value.split(',').map((v) => v.trim().toLowerCase())
      const unknown = wanted.filter((v) => !(connectivityKinds as readonly string[]).includes(v))
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown connectivity ${unknown.join(', ')}; use ${connectivityKinds.join(', ')}`,
        })
        return z.NEVER
      }
      return wanted as (typeof connectivityKinds)[number][]
    })
    .optional()
    .openapi({
      param: { name: 'connectivity', in: 'query' },
      description: `Comma-separated; a facility must offer all of them (${connectivityKinds.join(', ')})`,
      example: '5g,lorawan',
    }),
  indoor: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .openapi({ param: { name: 'indoor', in: 'query' } }),
  departmentId: Id.optional().openapi({ param: { name: 'departmentId', in: 'query' } }),
})

export type AreaListQuery = z.infer<typeof AreaListQuery>
export type FacilityListQuery = z.infer<typeof FacilityListQuery>
export type Area = z.infer<typeof Area>
export type Facility = z.infer<typeof Facility>
export type OpeningWindow = z.infer<typeof OpeningWindow>
