import type { Context, MiddlewareHandler } from 'hono'
import type { ChangeChannel } from '../../db/notify.ts'
import { sessionCookie } from './auth.ts'
import { type Clock, systemClock } from './clock.ts'
import { compressHere, gzipFrom, gzipOnce } from './compress.ts'
import type { AppEnv } from './context.ts'

/**
 * A public read that every anonymous visitor may be given the same stored answer of, declared by
 * its route next to its definition (the calendar, a site's free and busy time, the iCalendar
 * feeds, the map, open data). The key, the age and what empties it are the same for all of them
 * and described at `publicCache`.
 */
export interface CachedRead {
  /** The request paths it covers. */
  path: RegExp
  /** Why one answer fits every anonymous visitor. */
  why: string
  /**
   * Which bookings an answer shows, from its address: only changes of those empty it. Without,
   * every change of any booking does.
   */
  reads?: (url: URL) => ReadScope
}

/**
 * The bookings an answer is made from: those of one facility (or all) whose own times meet
 * [start, end) (epoch ms; infinite for all time). Reads that show occupied spans (setup and
 * teardown around the times) or depend on bookings near the range say all time.
 */
export interface ReadScope {
  facilityId?: string | undefined
  start: number
  end: number
  /**
   * It shows approved bookings only (the calendar as visitors see it): a change that neither
   * approves a booking nor takes an approved one away leaves it as it is.
   */
  approvedOnly?: boolean
}

/**
 * What a successful change touched, as its route reports it (`changed`): bookings of one facility
 * over their own times [start, end) (epoch ms), or the catalogue — sites, areas, closures, pilots,
 * anything else public — which every answer may show. `approved: false` says that no approved
 * booking appeared or went away (a request made, edited, rejected or withdrawn before approval);
 * absent, it may have.
 */
export type ChangeScope =
  | { kind: 'bookings'; facilityId: string; start: number; end: number; approved?: boolean }
  | { kind: 'catalogue' }

// By request context: middleware such as the body limit replace the request object itself.
const reported = new WeakMap<object, ChangeScope[]>()

/**
 * Reports what a change made by this request touched, so that the public cache forgets only the
 * answers that show it. A change the route does not report empties the whole cache, except on
 * the paths `publicCache` is told never touch public reads (sign-in, profile, ...).
 *
 * @example
 * changed(c, { kind: 'bookings', facilityId, start: b.starts_at.getTime(), end: b.ends_at.getTime() })
 */
export function changed(c: Context, scope: ChangeScope): void {
  const list = reported.get(c) ?? []
  list.push(scope)
  reported.set(c, list)
}

const allBookings: ReadScope = { start: -Infinity, end: Infinity }

/** The scope of a read that shows no bookings (only the catalogue). */
export const noBookings: ReadScope = { start: 0, end: 0 }

/** Whether an answer that read `read` may show the change `change`. */
export function affects(change: ChangeScope, read: ReadScope): boolean {
  if (change.kind === 'catalogue') return true
  if (read.start >= read.end) return false
  if (read.facilityId !== undefined && read.facilityId !== change.facilityId) return false
  if (read.approvedOnly && change.approved === false) return false
  return change.start < read.end && read.start < change.end
}

/** A change as it travels between processes: JSON, with infinities kept. */
function encode(changes: ChangeScope[]): string {
  return JSON.stringify(
    changes.map((c) => (c.kind === 'bookings' ? { ...c, start: finite(c.start), end: finite(c.end) } : c)),
  )
}

const finite = (t: number) => (Number.isFinite(t) ? t : t > 0 ? 'inf' : '-inf')

function decode(message: string | undefined): ChangeScope[] {
  try {
    if (message === undefined) return [{ kind: 'catalogue' }]
    const list = JSON.parse(message) as {
      kind: string
      facilityId?: string
      start?: unknown
      end?: unknown
      approved?: unknown
    }[]
    const time = (t: unknown) =>
      t === 'inf' ? Number.POSITIVE_INFINITY : t === '-inf' ? Number.NEGATIVE_INFINITY : Number(t)
    return list.map((c) =>
      c.kind === 'bookings' && typeof c.facilityId === 'string'
        ? {
            kind: 'bookings',
            facilityId: c.facilityId,
            start: time(c.start),
            end: time(c.end),
            ...(c.approved === false ? { approved: false } : {}),
          }
        : { kind: 'catalogue' },
    )
  } catch {
    // A message this process cannot read: forget everything rather than keep a stale answer.
    return [{ kind: 'catalogue' }]
  }
}

/** Response headers a stored answer keeps; the rest (request id, security headers) are set anew. */
const keptHeaders = ['content-type', 'content-disposition', 'cache-control', 'last-modified']

interface Entry {
  /** The bookings it shows. */
  reads: ReadScope
  status: number
  headers: Record<string, string>
  body: ArrayBuffer
  /** The body gzipped once, for the clients that accept it (all browsers); absent on Workers. */
  gzipped?: ArrayBuffer | undefined
  storedAt: number
}

/** Gzipped once when stored, for the clients that accept it; none for small answers or on Workers. */
async function gzip(body: ArrayBuffer): Promise<ArrayBuffer | undefined> {
  if (!compressHere || body.byteLength < gzipFrom) return undefined
  const out = await gzipOnce(new Uint8Array(body))
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer
}

/**
 * What a stored answer sends: gzipped for clients that accept it, with its length, so that the
 * app's `compress` leaves it alone rather than compress it again on every request.
 */
function sent(entry: Entry, acceptEncoding: string | undefined) {
  const zipped = entry.gzipped && /\bgzip\b/.test(acceptEncoding ?? '') ? entry.gzipped : undefined
  const body = zipped ?? entry.body
  const headers: Record<string, string> = {
    vary: 'accept-encoding',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    'content-length': String(body.byteLength),
  }
  return { body, headers }
}

const sizeOf = (entry: Entry) => entry.body.byteLength + (entry.gzipped?.byteLength ?? 0)

export interface PublicCacheOptions {
  /** How long an answer is served again; 0 turns the cache off. */
  ttlMs: number
  /** Most bytes kept; the oldest answers go first. */
  maxBytes?: number
  /** The app's clock (tests move it instead of waiting); the real one by default. */
  now?: Clock
  /** The reads it keeps, as their routes declare them. */
  reads: readonly CachedRead[]
  /**
   * Where several server processes share one PostgreSQL: each change is announced there with its
   * scope, and a change announced by another process empties the same answers here (within
   * milliseconds).
   */
  changes?: ChangeChannel | undefined
  /** Writes that never change what a public read shows (signing in and out, profile, passwords, users). */
  privateWrites?: readonly RegExp[]
}

/**
 * A short-lived cache of anonymous public reads, in the memory of one process (one isolate on
 * Workers), with three rules that keep it honest:
 *
 * - Only anonymous GETs of the declared `reads` with a 200 answer are kept: a signed-in caller (bearer
 *   token or session cookie) always gets a fresh answer, with their own pending requests in it.
 * - A change made through this process (a POST, PATCH, PUT or DELETE answered below 400) drops
 *   at once every answer that may show it, so a change is public as soon as it is answered here:
 *   a booking change (reported by its route with `changed`) the answers whose declared reads
 *   meet its facility and times; any other change everything; the `privateWrites` (sign-in,
 *   profile) nothing.
 * - Otherwise an answer lives `ttlMs` (PUBLIC_CACHE_SECONDS, 5 s by default). With `changes`
 *   (Node on PostgreSQL), a change made through another process drops the same answers here as
 *   soon as that process announces it; without, such a change shows within `ttlMs`.
 * - The key is the origin, path, query and Accept-Language of the request: a calendar month is
 *   one entry, which only changes of that month's bookings drop.
 *
 * Simultaneous misses for the same address share one computation; while an expired answer is
 * rebuilt, the other callers get the expired one rather than wait. Answers served from the cache
 * say `X-Cache: hit`; they are gzipped once when stored and sent so to clients that accept gzip
 * (a month of the calendar: 600 kB of JSON, about 40 kB gzipped).
 */
export function publicCache(options: PublicCacheOptions): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024
  const clock = options.now ?? systemClock
  const entries = new Map<string, Entry>()
  /**
   * The keys of the stored answers by the facility whose bookings they show ('' for every
   * facility's), so that a booking change looks at its site's answers only: with thousands of
   * sites' free time stored, walking them all on every write took a core at 600 writes a second.
   * Answers that show no bookings are not listed.
   */
  const byFacility = new Map<string, Set<string>>()
  const bucketOf = (reads: ReadScope) => (reads.start < reads.end ? (reads.facilityId ?? '') : undefined)
  const inFlight = new Map<string, Promise<Entry | undefined>>()
  let bytes = 0
  // Bumped by every change; an answer computed across a change is not kept.
  let generation = 0

  const drop = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    bytes -= sizeOf(entry)
    const bucket = bucketOf(entry.reads)
    const keys = bucket === undefined ? undefined : byFacility.get(bucket)
    keys?.delete(key)
    if (bucket !== undefined && keys?.size === 0) byFacility.delete(bucket)
  }
  const forgetBookings = (change: ChangeScope & { kind: 'bookings' }) => {
    for (const bucket of [change.facilityId, '']) {
      for (const key of byFacility.get(bucket) ?? []) {
        const entry = entries.get(key)
        if (entry && affects(change, entry.reads)) drop(key)
      }
    }
  }
  const forget = (changes: readonly ChangeScope[]) => {
    for (const change of changes) {
      if (change.kind === 'bookings') forgetBookings(change)
      else {
        entries.clear()
        byFacility.clear()
        bytes = 0
      }
    }
    // An answer being computed across this change is not kept if it may show it.
    generation++
    if (inFlightCount > 0) log.push({ generation, changes })
  }
  // The changes made while answers were being computed, until none is.
  let log: { generation: number; changes: readonly ChangeScope[] }[] = []
  let inFlightCount = 0
  const changedSince = (began: number) => log.filter((l) => l.generation > began).flatMap((l) => l.changes)
  options.changes?.subscribe((message) => forget(decode(message)))
  const privateWrite = (path: string) => (options.privateWrites ?? []).some((p) => p.test(path))
  const store = (key: string, entry: Entry) => {
    drop(key)
    if (sizeOf(entry) > maxBytes / 4) return
    entries.set(key, entry)
    bytes += sizeOf(entry)
    const bucket = bucketOf(entry.reads)
    if (bucket !== undefined) {
      const keys = byFacility.get(bucket) ?? new Set<string>()
      keys.add(key)
      byFacility.set(bucket, keys)
    }
    // The oldest first: a Map keeps its keys in the order they were set.
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break
      drop(oldest)
    }
  }
  const answer = (c: Parameters<MiddlewareHandler<AppEnv>>[0], entry: Entry) => {
    c.header('x-cache', 'hit')
    const { body, headers } = sent(entry, c.req.header('accept-encoding'))
    return c.body(body, entry.status as 200, { ...entry.headers, ...headers })
  }
  /** The first caller gets the answer just stored the way later ones will: compressed once. */
  const answerFresh = (c: Parameters<MiddlewareHandler<AppEnv>>[0], entry: Entry) => {
    const { body, headers } = sent(entry, c.req.header('accept-encoding'))
    const all = new Headers(c.res.headers)
    for (const [name, value] of Object.entries(headers)) all.set(name, value)
    // Unset first: Hono would otherwise copy the old response's headers over the new one's.
    c.res = undefined
    c.res = new Response(body, { status: entry.status, headers: all })
  }

  return async (c, next) => {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD') {
      await next()
      if (c.res.status >= 400) return
      const changes: ChangeScope[] =
        reported.get(c) ?? (privateWrite(c.req.path) ? [] : [{ kind: 'catalogue' }])
      if (changes.length === 0) return
      forget(changes)
      options.changes
        ?.publish(encode(changes))
        .catch((error: Error) => console.error('change not announced:', error.message))
      return
    }
    if (options.ttlMs <= 0 || method !== 'GET') return next()
    if (c.req.header('authorization') !== undefined) return next()
    if (c.req.header('cookie')?.includes(`${sessionCookie}=`)) return next()
    const url = new URL(c.req.url)
    const read = options.reads.find((r) => r.path.test(url.pathname))
    if (!read) return next()

    // The origin too: without PUBLIC_URL, feeds link back to the host they were asked on.
    const key = `${url.origin}${url.pathname}${url.search}\n${c.req.header('accept-language') ?? ''}`
    const now = clock().getTime()
    const cached = entries.get(key)
    if (cached && now - cached.storedAt < options.ttlMs) return answer(c, cached)
    const pending = inFlight.get(key)
    if (pending) {
      // One caller is building the answer anew: the others take the one it replaces, if any.
      if (cached) return answer(c, cached)
      const shared = await pending
      if (shared) return answer(c, shared)
      return next()
    }

    const began = generation
    const reads = read.reads?.(url) ?? allBookings
    inFlightCount++
    let settle: (entry: Entry | undefined) => void = () => {}
    inFlight.set(
      key,
      new Promise<Entry | undefined>((resolve) => {
        settle = resolve
      }),
    )
    let entry: Entry | undefined
    try {
      await next()
      const res = c.res
      const control = res.headers.get('cache-control') ?? ''
      if (res.status === 200 && !/private|no-store/.test(control)) {
        const headers: Record<string, string> = {}
        for (const name of keptHeaders) {
          const value = res.headers.get(name)
          if (value !== null) headers[name] = value
        }
        headers.vary = 'accept-encoding'
        // Read, not cloned: this caller too gets the stored answer (`answerFresh`).
        const body = await res.arrayBuffer()
        entry = {
          reads,
          status: res.status,
          headers,
          body,
          gzipped: await gzip(body),
          storedAt: clock().getTime(),
        }
      }
    } finally {
      inFlight.delete(key)
      // Kept unless a change that it may show was made while it was computed.
      const missed = generation !== began && changedSince(began).some((change) => affects(change, reads))
      if (entry && !missed) store(key, entry)
      if (entry) answerFresh(c, entry)
      settle(missed ? undefined : entry)
      inFlightCount--
      if (inFlightCount === 0) log = []
    }
  }
}
