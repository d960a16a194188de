import type { Context } from 'hono'
import type { AppDeps } from './context.ts'

/**
 * The client's address, for throttling: the first X-Forwarded-For entry when TRUST_PROXY is set
 * (only behind a proxy that sets it), else what the host knows of the connection.
 */
export function clientAddress(c: Context, deps: AppDeps): string {
  if (deps.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded.slice(0, 100)
  }
  return deps.peerAddress?.(c) ?? 'unknown'
}
