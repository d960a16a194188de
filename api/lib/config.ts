import { z } from 'zod'

/** True for a time zone name the runtime knows (IANA, e.g. Europe/Moscow). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

/** A flag that is on unless turned off; empty counts as unset. */
const flagOnByDefault = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v !== '0' && v !== 'false' && v !== 'no')

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_PREPARED: flagOnByDefault,
  CITY_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow')
    .default('Europe/Moscow'),
  SEED_DEMO: flag,
  PUBLIC_URL: z.url().optional(),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(
      z.array(z.url({ error: 'must be a comma-separated list of origins such as https://city.example' })),
    ),
  TRUST_PROXY: flag,
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('City Testbed <no-reply@testbed.invalid>'),
  BOOKING_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  MAP_TILES_URL: z
    .string()
    .regex(/^https:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'must be an https:// tile URL template with {z}, {x} and {y}')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAP_TILES_ATTRIBUTION: z.string().max(500).optional(),
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
})

/** Settings, parsed once from the environment (process.env on Node, bindings on Workers). */
export interface Config {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  /** PostgreSQL: send statements as named prepared statements (db/prepared.ts); off behind a transaction-mode pooler. */
  preparedStatements: boolean
  cityTimeZone: string
  /** Load the demo city: always with the embedded database, or when SEED_DEMO is set. */
  demo: boolean
  publicUrl: string | undefined
  /** Origins allowed to call the API from other sites, with credentials; none by default. */
  corsOrigins: string[]
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean
  /** Send notifications through this SMTP server (Node); without it they are logged. */
  smtpUrl: string | undefined
  mailFrom: string
  /** Requests left undecided this many days after their last change expire. */
  bookingExpiryDays: number
  /** Map background tiles ({z}/{x}/{y} template); without them the map draws areas and sites alone. */
  mapTilesUrl: string | undefined
  mapTilesAttribution: string | undefined
  /** Anonymous public reads (calendar, availability, feeds, open data) are served again for this long; 0 = never. */
  publicCacheSeconds: number
}

/**
 * Parses settings from an environment-like record; throws one readable error listing every bad value.
 *
 * @example
 * const config = parseConfig(process.env)
 */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED,
    cityTimeZone: e.CITY_TIMEZONE,
    demo: e.SEED_DEMO || !e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    corsOrigins: e.CORS_ORIGINS.map((o) => new URL(o).origin),
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    bookingExpiryDays: e.BOOKING_EXPIRY_DAYS,
    mapTilesUrl: e.MAP_TILES_URL,
    mapTilesAttribution: e.MAP_TILES_ATTRIBUTION,
    publicCacheSeconds: e.PUBLIC_CACHE_SECONDS,
  }
}
