import type { MiddlewareHandler } from 'hono'
import type { ChangeChannel } from '../../db/notify.ts'
import { sessionCookie } from './auth.ts'
import { type Clock, systemClock } from './clock.ts'
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
}

/** Response headers a stored answer keeps; the rest (request id, security headers) are set anew. */
const keptHeaders = ['content-type', 'content-disposition', 'cache-control', 'last-modified']

interface Entry {
  status: number
  headers: Record<string, string>
  body: ArrayBuffer
  /** The body gzipped once, for the clients that accept it (all browsers); absent on Workers. */
  gzipped?: ArrayBuffer | undefined
  storedAt: number
}

/** Workers compress answers themselves, and would compress a gzipped body again. */
const compressHere = !(typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers')

async function gzip(body: ArrayBuffer): Promise<ArrayBuffer | undefined> {
  if (!compressHere || body.byteLength < 1024) return undefined
  const stream = new Response(body).body?.pipeThrough(new CompressionStream('gzip'))
  return stream ? new Response(stream).arrayBuffer() : undefined
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
   * Where several server processes share one PostgreSQL: each change is announced there, and a
   * change announced by another process empties this cache too (within milliseconds).
   */
  changes?: ChangeChannel | undefined
}

/**
 * A short-lived cache of anonymous public reads, in the memory of one process (one isolate on
 * Workers), with three rules that keep it honest:
 *
 * - Only anonymous GETs of the declared `reads` with a 200 answer are kept: a signed-in caller (bearer
 *   token or session cookie) always gets a fresh answer, with their own pending requests in it.
 * - Any change made through this process (a POST, PATCH, PUT or DELETE answered below 400)
 *   empties it at once, so a change is public as soon as it is answered here.
 * - Otherwise an answer lives `ttlMs` (PUBLIC_CACHE_SECONDS, 5 s by default). With `changes`
 *   (Node on PostgreSQL), a change made through another process empties it as soon as that
 *   process announces it; without, such a change shows within `ttlMs` (and one rebuild).
 * - The key is the origin, path, query and Accept-Language of the request.
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
  const inFlight = new Map<string, Promise<Entry | undefined>>()
  let bytes = 0
  // Bumped by every change; an answer computed across a change is not kept.
  let generation = 0

  const clear = () => {
    entries.clear()
    bytes = 0
    generation++
  }
  options.changes?.subscribe(clear)
  const store = (key: string, entry: Entry) => {
    const old = entries.get(key)
    if (old) bytes -= sizeOf(old)
    entries.delete(key)
    if (sizeOf(entry) > maxBytes / 4) return
    entries.set(key, entry)
    bytes += sizeOf(entry)
    for (const [k, e] of entries) {
      if (bytes <= maxBytes) break
      entries.delete(k)
      bytes -= sizeOf(e)
    }
  }
  const answer = (c: Parameters<MiddlewareHandler<AppEnv>>[0], entry: Entry) => {
    c.header('x-cache', 'hit')
    if (entry.gzipped && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      return c.body(entry.gzipped, entry.status as 200, { ...entry.headers, 'content-encoding': 'gzip' })
    }
    return c.body(entry.body, entry.status as 200, entry.headers)
  }

  return async (c, next) => {
    const method = c.req.method
    if (method !== 'GET' && method !== 'HEAD') {
      await next()
      if (c.res.status < 400) {
        clear()
        options.changes
          ?.publish()
          .catch((error: Error) => console.error('change not announced:', error.message))
      }
      return
    }
    if (options.ttlMs <= 0 || method !== 'GET') return next()
    if (c.req.header('authorization') !== undefined) return next()
    if (c.req.header('cookie')?.includes(`${sessionCookie}=`)) return next()
    const url = new URL(c.req.url)
    if (!options.reads.some((read) => read.path.test(url.pathname))) return next()

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
        const body = await res.clone().arrayBuffer()
        entry = { status: res.status, headers, body, gzipped: await gzip(body), storedAt: clock().getTime() }
        if (generation === began) store(key, entry)
      }
    } finally {
      inFlight.delete(key)
      settle(generation === began ? entry : undefined)
    }
  }
}
