/** A sign-in throttle: at most `limit` failures within `windowMs` for one key. */
export interface ThrottleRule {
  limit: number
  windowMs: number
}

/** Per account: five wrong passwords in 15 minutes. */
export const accountThrottle: ThrottleRule = { limit: 5, windowMs: 15 * 60 * 1000 }
/** Per client address: twenty failures in 15 minutes, whatever accounts they tried. */
export const addressThrottle: ThrottleRule = { limit: 20, windowMs: 15 * 60 * 1000 }

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
