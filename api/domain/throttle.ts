/** A throttle: at most `limit` events (failed sign-ins, registrations) within `windowMs` for one key. */
export interface ThrottleRule {
  limit: number
  windowMs: number
}

/**
 * Per account and client address: five wrong passwords in 15 minutes. Not per account alone:
 * then anyone anywhere could lock a real user out by failing five times on their e-mail.
 */
export const accountAddressThrottle: ThrottleRule = { limit: 5, windowMs: 15 * 60 * 1000 }
/** Per client address: twenty failures in 15 minutes, whatever accounts they tried. */
export const addressThrottle: ThrottleRule = { limit: 20, windowMs: 15 * 60 * 1000 }
/**
 * Per account from all addresses: past this many failures in 15 minutes someone is guessing
 * from many addresses. It is logged for the operator and refuses nothing, since refusing would
 * lock the real user out again; the password policy is what makes such guessing hopeless.
 */
export const accountAlarm: ThrottleRule = { limit: 100, windowMs: 15 * 60 * 1000 }
/** Per client address: ten company registrations an hour. */
export const registrationThrottle: ThrottleRule = { limit: 10, windowMs: 60 * 60 * 1000 }

/**
 * What a client address counts as for throttling: an IPv4 address itself, an IPv6 address its
 * /64 network, since one household or server is routinely handed a whole /64 to pick from.
 */
export function addressBucket(address: string): string {
  if (!address.includes(':') || !/^[0-9a-f:]+$/.test(address)) return address
  const [head = '', tail] = address.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/**
 * Whether a key is locked now, given its recent failures, and for how many seconds more: the
 * lock lifts when the oldest failure that still counts leaves the window.
 */
export function throttleState(
  failures: readonly Date[],
  rule: ThrottleRule,
  now: Date,
): { locked: false } | { locked: true; retryAfterSeconds: number } {
  const since = now.getTime() - rule.windowMs
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => t > since)
    .sort((a, b) => b - a)
  if (recent.length < rule.limit) return { locked: false }
  const oldestCounting = recent[rule.limit - 1] as number
  return {
    locked: true,
    retryAfterSeconds: Math.max(1, Math.ceil((oldestCounting + rule.windowMs - now.getTime()) / 1000)),
  }
}
