import type { Executor } from '../../db/types.ts'
import { accountThrottle, addressThrottle, throttleState } from '../domain/throttle.ts'
import { ApiError } from '../lib/errors.ts'
import { hashPassword, verifyPassword } from '../lib/password.ts'
import { findCredentials } from '../queries/accounts.ts'
import { clearFailures, recentFailures, recordFailure } from '../queries/throttle.ts'

// Reads a route needs as they are, answered by the queries themselves.
export { createSession, deleteSession } from '../queries/sessions.ts'

/** A hash to verify against when the e-mail is unknown, so that both failures take as long. */
let decoyHash: Promise<string> | undefined

/**
 * Checks a sign-in: refused with 429 while the account or the client address is throttled, 401
 * alike for an unknown e-mail, a wrong password and a deactivated account (each failure counted
 * against both). Returns the user's id; a success clears the account's failures.
 */
export async function checkCredentials(
  db: Executor,
  attempt: { email: string; password: string; clientAddress: string },
  now: Date,
): Promise<string> {
  const accountKey = `account:${attempt.email}`
  const addressKey = `address:${attempt.clientAddress}`
  const since = new Date(now.getTime() - Math.max(accountThrottle.windowMs, addressThrottle.windowMs))
  for (const [key, rule] of [
    [accountKey, accountThrottle],
    [addressKey, addressThrottle],
  ] as const) {
    const state = throttleState(await recentFailures(db, key, since), rule, now)
    if (state.locked) {
      throw new ApiError(
        'rate_limited',
        `Too many failed sign-ins; try again in ${state.retryAfterSeconds} seconds.`,
        {
          headers: { 'retry-after': String(state.retryAfterSeconds) },
        },
      )
    }
  }
  const credentials = await findCredentials(db, attempt.email)
  decoyHash ??= hashPassword(crypto.randomUUID())
  const matches = await verifyPassword(attempt.password, credentials?.password_hash ?? (await decoyHash))
  if (!credentials || !matches || !credentials.active) {
    await recordFailure(db, [accountKey, addressKey], now)
    throw new ApiError('unauthenticated', 'The e-mail address or the password is wrong.')
  }
  await clearFailures(db, accountKey)
  return credentials.id
}
