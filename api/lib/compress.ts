import type { Context, MiddlewareHandler, Next } from 'hono'

/** Workers compress answers themselves, and would compress a gzipped body again. */
export const compressHere = !(
  typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers'
)

/** Answers smaller than this go as they are: a gzip header and a stream cost more than they save. */
export const gzipFrom = 2048

const compressible = /^(application\/(json|problem\+json|geo\+json|xml)|text\/|image\/svg\+xml)/i

let zlib: typeof import('node:zlib') | undefined

/**
 * Gzipped at level 3 by node:zlib in one go: for a month of the calendar (540 kB) 1.6 ms and
 * 68 kB, where a CompressionStream took 7.3 ms for 60 kB, and on two cores zlib's thread pool
 * only competed with the server. Imported on first use, so that Workers never load it.
 */
export async function gzipOnce(body: Uint8Array): Promise<Uint8Array> {
  zlib ??= await import('node:zlib')
  return zlib.gzipSync(body, { level: 3 })
}

function skips(c: Context, res: Response): boolean {
  return (
    c.req.method === 'HEAD' ||
    res.status === 204 ||
    res.status === 206 ||
    !res.body ||
    res.headers.has('content-encoding') ||
    res.headers.has('content-length') ||
    !compressible.test(res.headers.get('content-type') ?? '') ||
    /\bno-transform\b/i.test(res.headers.get('cache-control') ?? '')
  )
}

/**
 * Node only: every answer gets its length, and those of 2 kB or more are gzipped for the clients
 * that accept it. Hono's `compress` cannot tell an answer's size (`c.json` sets no
 * Content-Length), so it streamed even a 300-byte booking through a CompressionStream; the
 * answers are whole in memory anyway. Answers already sized (the public cache's stored ones,
 * already gzipped) pass untouched. Workers compress by themselves.
 */
export function compressAnswers(): MiddlewareHandler {
  return async (c: Context, next: Next) => {
    await next()
    if (!compressHere || skips(c, c.res)) return
    const res = c.res
    let body: Uint8Array = new Uint8Array(await res.arrayBuffer())
    const headers = new Headers(res.headers)
    const vary = headers.get('vary')
    if (!vary || !/accept-encoding/i.test(vary))
      headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    if (body.byteLength >= gzipFrom && /\bgzip\b/i.test(c.req.header('accept-encoding') ?? '')) {
      body = await gzipOnce(body)
      headers.set('content-encoding', 'gzip')
    }
    headers.set('content-length', String(body.byteLength))
    c.res = undefined
    c.res = new Response(body as Uint8Array<ArrayBuffer>, {
      status: res.status,
      statusText: res.statusText,
      headers,
    })
  }
}
