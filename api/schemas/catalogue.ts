import { z } from '@hono/zod-openapi'
import { categoryIds, connectivityKinds, documentKinds, facilityKinds } from '../domain/vocabulary.ts'
import { field, schemaText } from '../lib/messages.ts'
import { Id, Instant, PageQuery } from './common.ts'
import { AreaGeometry, FacilityGeometry } from './geojson.ts'

export const CategoryId = z.enum(categoryIds).openapi({ example: 'lighting' })

export const FacilityKind = z.enum(facilityKinds).openapi({ example: 'lighting_pole' })

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
    address: z.string().nullable().openapi({
      description: 'Street address in the city’s language (e.g. «Невский проспект, 28»); null if none',
    }),
    published: z.boolean(),
    version: z.number().int(),
  })
  .openapi('Area')

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, schemaText(field.timeOfDay))

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
    requiredDocuments: z.array(z.enum(documentKinds)).optional().openapi({
      description:
        'Document kinds a booking here needs, each valid until at least the booking’s end (issue 19); absent: none',
    }),
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
    address: z.string().nullable().openapi({
      description: 'Street address in the city’s language (e.g. «Невский проспект, 28»); null if none',
    }),
    capacity: z.number().int().positive(),
    specs: FacilitySpecs,
    rules: BookingRules,
    departmentId: Id,
    signoffDepartmentIds: z.array(Id),
    published: z.boolean(),
    version: z.number().int(),
  })
  .openapi('Facility')

function optionalNumber(name: string) {
  return z.coerce
    .number({ error: schemaText(field.number) })
    .nonnegative(schemaText(field.notNegative))
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
    .min(1, schemaText(field.notEmpty))
    .max(200, schemaText(field.atMostCharacters(200)))
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
        // Depends on the input, so the texts travel with the issue rather than through schemaText.
        const text = field.unknownConnectivity(unknown, connectivityKinds)
        ctx.addIssue({ code: 'custom', message: text.en, params: { text } })
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
    .enum(['true', 'false'], { error: schemaText(field.trueOrFalse) })
    .transform((v) => v === 'true')
    .optional()
    .openapi({ param: { name: 'indoor', in: 'query' } }),
  departmentId: Id.optional().openapi({ param: { name: 'departmentId', in: 'query' } }),
  availableFrom: Instant.optional().openapi({
    param: { name: 'availableFrom', in: 'query' },
    description: 'With availableTo: only facilities where a booking of exactly this interval would find room',
  }),
  availableTo: Instant.optional().openapi({ param: { name: 'availableTo', in: 'query' } }),
})

export type AreaListQuery = z.infer<typeof AreaListQuery>
export type FacilityListQuery = z.infer<typeof FacilityListQuery>
export type Area = z.infer<typeof Area>
export type Facility = z.infer<typeof Facility>
export type OpeningWindow = z.infer<typeof OpeningWindow>

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, schemaText(field.atMostCharacters(max)))
const Title = z
  .string()
  .trim()
  .min(1, schemaText(field.notEmpty))
  .max(200, schemaText(field.atMostCharacters(200)))
const Version = z.number().int().positive().optional().openapi({
  description:
    'The version you last read; a stale one is refused with 409 so that no one overwrites another’s change',
})

/** A street address as an admin writes it; null (or empty) clears it. */
const Address = z
  .string()
  .trim()
  .max(300, schemaText(field.atMostCharacters(300)))
  .nullable()
  .optional()
  .openapi({ description: 'Street address in the city’s language; null or empty clears it' })

export const CreateAreaBody = z
  .object({
    name: Title,
    description: Text(5000).optional(),
    departmentId: Id.optional().openapi({ description: 'Defaults to your own department (officials)' }),
    categories: z.array(CategoryId).min(1, schemaText(field.oneCategory)),
    geometry: AreaGeometry,
    address: Address,
    published: z.boolean().optional(),
  })
  .openapi('CreateAreaRequest')

export const UpdateAreaBody = z
  .object({
    name: Title.optional(),
    description: Text(5000).optional(),
    departmentId: Id.optional().openapi({ description: 'Admins only' }),
    categories: z.array(CategoryId).min(1, schemaText(field.oneCategory)).optional(),
    geometry: AreaGeometry.optional(),
    address: Address,
    published: z.boolean().optional(),
    version: Version,
  })
  .openapi('UpdateAreaRequest')

const RulesInput = z.object({
  minDurationMinutes: z.number().int().positive().max(5_256_000).optional(),
  maxDurationMinutes: z.number().int().positive().max(5_256_000).optional(),
  leadTimeMinutes: z.number().int().nonnegative().max(5_256_000).optional(),
  horizonDays: z.number().int().positive().max(3650).optional(),
  setupMinutes: z.number().int().nonnegative().max(525_600).optional(),
  teardownMinutes: z.number().int().nonnegative().max(525_600).optional(),
  openingHours: z
    .array(
      OpeningWindow.refine((w) => w.from !== w.to, {
        message: schemaText(field.emptyWindow),
        path: ['to'],
      }),
    )
    .max(70)
    .nullable()
    .optional()
    .openapi({ description: 'Replaces every window; an empty list or null means always open' }),
  requiredDocuments: z
    .array(z.enum(documentKinds))
    .max(documentKinds.length * 2)
    .optional()
    .openapi({ description: 'Replaces the kinds a booking here needs; an empty list: none' }),
})

const SpecsInput = z.object({
  powerKw: z.number().nonnegative().max(100_000).nullable().optional(),
  voltage: z.number().int().positive().max(1_000_000).nullable().optional(),
  connectivity: z.array(Connectivity).max(connectivityKinds.length).optional(),
  mounting: Text(200).nullable().optional(),
  maxLoadKg: z.number().nonnegative().max(10_000_000).nullable().optional(),
  heightM: z.number().nonnegative().max(1000).nullable().optional(),
  indoor: z.boolean().nullable().optional(),
  accessNotes: Text(2000).nullable().optional(),
})

export const CreateFacilityBody = z
  .object({
    areaId: Id,
    name: Title,
    description: Text(5000).optional(),
    kind: FacilityKind,
    geometry: FacilityGeometry,
    address: Address,
    capacity: z.number().int().min(1).max(1000).optional(),
    specs: SpecsInput.optional(),
    rules: RulesInput.optional(),
    departmentId: Id.optional().openapi({ description: 'Defaults to the area’s department' }),
    signoffDepartmentIds: z.array(Id).max(20).optional(),
    published: z.boolean().optional(),
  })
  .openapi('CreateFacilityRequest')

export const UpdateFacilityBody = z
  .object({
    name: Title.optional(),
    description: Text(5000).optional(),
    kind: FacilityKind.optional(),
    geometry: FacilityGeometry.optional(),
    address: Address,
    capacity: z.number().int().min(1).max(1000).optional(),
    specs: SpecsInput.optional(),
    rules: RulesInput.optional(),
    departmentId: Id.optional().openapi({ description: 'Admins only' }),
    signoffDepartmentIds: z.array(Id).max(20).optional(),
    published: z.boolean().optional(),
    version: Version,
  })
  .openapi('UpdateFacilityRequest')

export const Closure = z
  .object({
    id: Id,
    facilityId: Id.nullable(),
    areaId: Id.nullable(),
    start: z.string().openapi({ example: '2027-06-20T21:00:00Z' }),
    end: z.string(),
    reason: z.string().openapi({ description: 'Shown to the public' }),
  })
  .openapi('Closure')

export type CreateAreaBody = z.infer<typeof CreateAreaBody>
export type UpdateAreaBody = z.infer<typeof UpdateAreaBody>
export type CreateFacilityBody = z.infer<typeof CreateFacilityBody>
export type UpdateFacilityBody = z.infer<typeof UpdateFacilityBody>
export type Closure = z.infer<typeof Closure>

export const ClosureBody = z
  .object({
    start: Instant,
    end: Instant,
    reason: z.string().trim().min(1, schemaText(field.closureReason)).max(1000),
  })
  .refine((b) => Date.parse(b.start) < Date.parse(b.end), {
    message: schemaText(field.afterStart),
    path: ['end'],
  })
  .openapi('ClosureRequest')

export const ClosureListQuery = z.object({
  from: Instant.optional().openapi({
    param: { name: 'from', in: 'query' },
    description: 'Closures ending after this',
  }),
  to: Instant.optional().openapi({
    param: { name: 'to', in: 'query' },
    description: 'Closures starting before this',
  }),
})

const maxRangeDays = 366

export const AvailabilityQuery = z.object({
  from: Instant.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Default: now' }),
  to: Instant.optional().openapi({
    param: { name: 'to', in: 'query' },
    description: 'Default: 30 days after from',
  }),
})

export const Availability = z
  .object({
    free: z.array(z.object({ start: z.string(), end: z.string() })).openapi({
      description:
        'Where a booking may start and end: setup, teardown, opening hours, closures, capacity, lead time and horizon allowed for',
    }),
    busy: z.array(
      z.object({
        start: z.string(),
        end: z.string(),
        kind: z.enum(['booking', 'closure', 'closed']),
        reason: z.string().optional().openapi({ description: 'A closure’s public reason' }),
      }),
    ),
  })
  .openapi('Availability')

/** A range of at most a year, from two optional instants. */
export function rangeOf(from: string | undefined, to: string | undefined, now: Date, defaultDays = 30) {
  const start = from ? Date.parse(from) : now.getTime()
  const end = to ? Date.parse(to) : start + defaultDays * 24 * 3600 * 1000
  return { start, end, valid: start < end && end - start <= maxRangeDays * 24 * 3600 * 1000 }
}

export type ClosureBody = z.infer<typeof ClosureBody>

/** A closure with what it closes, by name: the closures overview (`GET /closures`). */
export const ClosureOverview = Closure.extend({
  area: z
    .object({ id: Id, name: z.string() })
    .openapi({ description: 'The area closed, or the facility’s area' }),
  facility: z
    .object({ id: Id, name: z.string() })
    .nullable()
    .openapi({ description: 'The facility closed; null for an area-wide closure' }),
}).openapi('ClosureOverview')

export const ClosureOverviewQuery = ClosureListQuery.extend({
  areaId: Id.optional().openapi({
    param: { name: 'areaId', in: 'query' },
    description: 'Closures of this area and of its facilities',
  }),
  facilityId: Id.optional().openapi({
    param: { name: 'facilityId', in: 'query' },
    description: 'Closures that close this facility: its own and its area’s',
  }),
}).extend(PageQuery.shape)

/** A change to a closure: any of its times and its reason; at least one. */
export const ClosurePatchBody = z
  .object({
    start: Instant.optional(),
    end: Instant.optional(),
    reason: z.string().trim().min(1, schemaText(field.closureReason)).max(1000).optional(),
  })
  .refine((b) => b.start !== undefined || b.end !== undefined || b.reason !== undefined, {
    message: schemaText(field.somethingToChange),
  })
  .refine((b) => b.start === undefined || b.end === undefined || Date.parse(b.start) < Date.parse(b.end), {
    message: schemaText(field.afterStart),
    path: ['end'],
  })
  .openapi('ClosurePatchRequest')

export type ClosureOverview = z.infer<typeof ClosureOverview>
export type ClosureOverviewQuery = z.infer<typeof ClosureOverviewQuery>
export type ClosurePatchBody = z.infer<typeof ClosurePatchBody>
