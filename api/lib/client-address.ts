import type { Context } from 'hono'
import type { AppDeps } from './context.ts'

/**
 * How many proxies of ours stand in front of the app: TRUST_PROXY on means one (the common
 * case), a number means that many, off means none.
 */
export function trustedHops(setting: boolean | number): number {
  if (typeof setting === 'number') return Number.isInteger(setting) && setting > 0 ? setting : 0
  return setting ? 1 : 0
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/**
 * An IP address in one canonical spelling, or undefined for anything else. Takes a port
 * ("1.2.3.4:80", "[::1]:80") off, and gives IPv4-mapped IPv6 addresses as plain IPv4.
 */
export function canonicalAddress(text: string): string | undefined {
  let value = text.trim()
  const v4WithPort = /^(\d+\.\d+\.\d+\.\d+):\d{1,5}$/.exec(value)
  if (v4WithPort?.[1]) value = v4WithPort[1]
  const bracketed = /^\[([^\]]+)\](:\d{1,5})?$/.exec(value)
  if (bracketed?.[1]) value = bracketed[1]
  if (ipv4.test(value)) return value
  if (!value.includes(':') || value.length > 45 || !/^[0-9a-fA-F:.]+$/.test(value)) return undefined
  let host: string
  try {
    host = new URL(`http://[${value}]/`).hostname.slice(1, -1)
  } catch {
    return undefined
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (mapped?.[1] && mapped[2]) {
    const high = Number.parseInt(mapped[1], 16)
    const low = Number.parseInt(mapped[2], 16)
    return [high >> 8, high & 255, low >> 8, low & 255].join('.')
  }
  return host
}

/**
 * The entry of a comma-separated forwarding header that our outermost trusted proxy wrote:
 * each proxy appends what it saw, so with `hops` proxies that is the `hops`-th from the right
 * (the leftmost, in a shorter list). Entries are counted as they stand, so that whatever the
 * client put on the left cannot move the choice; an entry `accept` refuses gives undefined.
 */
export function forwardedEntry(
  header: string | undefined,
  hops: number,
  accept: (entry: string) => string | undefined,
): string | undefined {
  if (!header || hops < 1) return undefined
  const entries = header.split(',')
  const entry = entries[Math.max(0, entries.length - hops)]
  return entry === undefined ? undefined : accept(entry)
}

/**
 * The client's address, for throttling. Behind TRUST_PROXY it is the rightmost X-Forwarded-For
 * entry our proxies did not add themselves: entries to the left of it are whatever the client
 * sent, so taking the first one would let a client pick its own address. Otherwise it is what
 * the host knows of the connection.
 */
export function clientAddress(c: Context, deps: AppDeps): string {
  const hops = trustedHops(deps.config.trustProxy)
  const forwarded = forwardedEntry(c.req.header('x-forwarded-for'), hops, canonicalAddress)
  if (forwarded) return forwarded
  const peer = deps.peerAddress?.(c)
  if (!peer) return 'unknown'
  return canonicalAddress(peer) ?? peer.slice(0, 100)
}

/** Whether the client reached our outermost trusted proxy over https (X-Forwarded-Proto). */
export function forwardedOverHttps(c: Context, trustProxy: boolean | number): boolean {
  const proto = forwardedEntry(c.req.header('x-forwarded-proto'), trustedHops(trustProxy), (entry) => {
    const value = entry.trim().toLowerCase()
    return value === 'http' || value === 'https' ? value : undefined
  })
  return proto === 'https'
}
