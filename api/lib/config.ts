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

/** True for a host name or address that only this machine reaches: demo mode may be on by default. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

function isParsableUrl(value: string): boolean {
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}

/** What a flag may say: on, off, or empty (unset). */
const flagValues = ['1', '0', 'true', 'false', 'yes', 'no', ''] as const

/** A flag that is on unless turned off; empty counts as unset. */
const flagOnByDefault = z
  .enum(flagValues)
  .optional()
  .transform((v) => v !== '0' && v !== 'false' && v !== 'no')

/** How many proxies TRUST_PROXY says stand in front: a flag counts as one or none. */
function proxyHops(value: unknown): number | undefined {
  if (value === undefined) return 0
  const text = String(value).trim()
  if (/^\d{1,2}$/.test(text) && Number(text) <= 10) return Number(text)
  if (!(flagValues as readonly string[]).includes(text)) return undefined
  return text === 'true' || text === 'yes' ? 1 : 0
}

const trustProxy = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    const hops = proxyHops(value)
    if (hops !== undefined) return hops
    ctx.addIssue({
      code: 'custom',
      message: `is ${JSON.stringify(String(value).slice(0, 40))}; write 1 (or yes) behind one reverse proxy, 2 to 10 for as many proxies in a row, 0 (or no) for none`,
    })
    return z.NEVER
  })

/** Digits only, so that "1e3", "0x10" or "-0" are refused rather than read as numbers. */
function wholeNumberOr(fallback: number, value: unknown): number {
  const text = value === undefined ? '' : String(value).trim()
  if (text === '') return fallback
  return /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN
}

/** A whole number from `min` to `max`, `fallback` when unset or empty; `unit` names it in the error. */
function wholeNumber(min: number, max: number, fallback: number, unit: string) {
  return z
    .unknown()
    .optional()
    .transform((value) => wholeNumberOr(fallback, value))
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, {
      message: `must be a whole number of ${unit} from ${min} to ${max}`,
    })
}

/** OpenStreetMap's standard tiles (usage policy: attribution shown, at most zoom 19, no bulk use). */
export const osmTilesUrl = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
const osmAttribution = '© OpenStreetMap contributors'

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .refine(isParsableUrl, 'is not a valid URL (special characters in the password must be %-encoded)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_PREPARED: flagOnByDefault,
  CITY_TIMEZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow')
    .default('Europe/Moscow'),
  // Unset is not the same as off: unset follows the database and the host (see Config.demo).
  SEED_DEMO: z
    .enum(flagValues)
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v === '1' || v === 'true' || v === 'yes')),
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
  TRUST_PROXY: trustProxy,
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('City Testbed <no-reply@testbed.invalid>'),
  BOOKING_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Unset or empty: OpenStreetMap's standard tiles; `none`: no background (shapes on a plain one).
  MAP_TILES_URL: z
    .literal('none')
    .transform(() => null)
    .or(
      z
        .string()
        .regex(
          /^https:\/\/.*\{z\}.*\{x\}.*\{y\}/,
          'must be an https:// tile URL template with {z}, {x} and {y}, or none',
        ),
    )
    .or(z.literal('').transform(() => osmTilesUrl))
    .optional()
    .default(osmTilesUrl),
  MAP_TILES_ATTRIBUTION: z.string().max(500).optional(),
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  SMTP_TIMEOUT_SECONDS: wholeNumber(1, 60, 10, 'seconds'),
  STORAGE_RESERVE_MB: wholeNumber(0, 100_000, 64, 'megabytes'),
  DIGEST_HOUR: wholeNumber(0, 23, 8, "hours (of the city's day)"),
  // Documents' files (issue 19): unset, under DATA_DIR/documents; s3://bucket/prefix, in S3.
  STORAGE_URL: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w.~/-]*)?$/,
      'must be s3://bucket or s3://bucket/prefix (a lower-case bucket name; the prefix of letters, digits, . _ ~ - /)',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  S3_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL such as https://s3.eu-central-1.amazonaws.com',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
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
  /**
   * Load the demo city and keep its accounts open: SEED_DEMO=1 or 0 says so; unset, it is on with
   * the embedded database listening on a loopback address only, with no PUBLIC_URL elsewhere and
   * no TRUST_PROXY. Outside demo mode the demo
   * accounts (known passwords) are disabled at start-up.
   */
  demo: boolean
  publicUrl: string | undefined
  /** Origins allowed to call the API from other sites, with credentials; none by default. */
  corsOrigins: string[]
  /**
   * How many reverse proxies of ours stand in front (TRUST_PROXY: a flag counts as one or none):
   * the client address is the X-Forwarded-For entry the outermost of them wrote, counted from the
   * right (api/lib/client-address.ts). 0: the connection's own address.
   */
  trustProxy: number
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
  /** On SIGTERM/SIGINT, requests in flight get this long to finish before their connections are cut. */
  shutdownGraceSeconds: number
  /** Connecting to the SMTP relay, its greeting and each answer give up after this long. */
  smtpTimeoutSeconds: number
  /** Embedded database: writes are refused while the disk under DATA_DIR has less free than this. */
  storageReserveMb: number
  /** The hour of the city's day (0–23) from which officials' daily review digests go out. */
  digestHour: number
  /** Documents' files in S3 (STORAGE_URL); undefined: under DATA_DIR/documents (or R2 on Workers). */
  documentStorage: S3Storage | undefined
}

/** An S3-compatible bucket for documents' files (api/storage/s3.ts). */
export interface S3Storage {
  bucket: string
  /** Prepended to every key, without a trailing slash; '' for none. */
  prefix: string
  /** e.g. https://s3.eu-central-1.amazonaws.com or http://127.0.0.1:9000 */
  endpoint: string
  region: string
  accessKeyId: string
  secretAccessKey: string
}

/** STORAGE_URL with its credentials, or a one-line problem naming what is missing. */
function s3Storage(e: {
  STORAGE_URL?: string | undefined
  S3_ENDPOINT?: string | undefined
  AWS_REGION: string
  AWS_ACCESS_KEY_ID?: string | undefined
  AWS_SECRET_ACCESS_KEY?: string | undefined
}): S3Storage | undefined {
  if (!e.STORAGE_URL) return undefined
  if (!e.AWS_ACCESS_KEY_ID || !e.AWS_SECRET_ACCESS_KEY) {
    throw new ConfigError(['STORAGE_URL: is set, so AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be too'])
  }
  const [bucket = '', ...rest] = e.STORAGE_URL.slice('s3://'.length).split('/')
  return {
    bucket,
    prefix: rest.filter((p) => p !== '').join('/'),
    endpoint: e.S3_ENDPOINT ?? `https://s3.${e.AWS_REGION}.amazonaws.com`,
    region: e.AWS_REGION,
    accessKeyId: e.AWS_ACCESS_KEY_ID,
    secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
  }
}

/** Settings that do not parse; `problems` holds one line per bad setting, naming it. */
export class ConfigError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`)
    this.problems = problems
  }
}

/**
 * Demo mode when SEED_DEMO is unset: only a server nobody else can reach — the embedded database,
 * listening on a loopback address, with no public address and no reverse proxy in front (a
 * server on 127.0.0.1 behind nginx is public, and the demo accounts' passwords are published).
 */
function demoByDefault(e: {
  DATABASE_URL?: string | undefined
  HOST: string
  PUBLIC_URL?: string | undefined
  TRUST_PROXY: number
}): boolean {
  const publicHost = e.PUBLIC_URL ? new URL(e.PUBLIC_URL).hostname : undefined
  return (
    !e.DATABASE_URL &&
    isLoopbackHost(e.HOST) &&
    e.TRUST_PROXY === 0 &&
    (publicHost === undefined || isLoopbackHost(publicHost))
  )
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
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED,
    cityTimeZone: e.CITY_TIMEZONE,
    demo: e.SEED_DEMO ?? demoByDefault(e),
    publicUrl: e.PUBLIC_URL,
    corsOrigins: e.CORS_ORIGINS.map((o) => new URL(o).origin),
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    bookingExpiryDays: e.BOOKING_EXPIRY_DAYS,
    mapTilesUrl: e.MAP_TILES_URL ?? undefined,
    mapTilesAttribution:
      e.MAP_TILES_ATTRIBUTION ?? (e.MAP_TILES_URL === osmTilesUrl ? osmAttribution : undefined),
    publicCacheSeconds: e.PUBLIC_CACHE_SECONDS,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    smtpTimeoutSeconds: e.SMTP_TIMEOUT_SECONDS,
    storageReserveMb: e.STORAGE_RESERVE_MB,
    digestHour: e.DIGEST_HOUR,
    documentStorage: s3Storage(e),
  }
}
