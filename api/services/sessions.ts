import type { Executor } from '../../db/types.ts'
import {
  accountAddressThrottle,
  accountAlarm,
  addressBucket,
  addressThrottle,
  registrationThrottle,
  type ThrottleRule,
  throttleState,
} from '../domain/throttle.ts'
import { ApiError } from '../lib/errors.ts'
import { type Localized, say } from '../lib/messages.ts'
import { hashPassword, verifyPassword } from '../lib/password.ts'
import { findCredentials } from '../queries/accounts.ts'
import {
  clearFailures,
  countFailures,
  forgetFailuresBefore,
  recentFailures,
  recordFailure,
} from '../queries/throttle.ts'

// Reads a route needs as they are, answered by the queries themselves.
export { createSession, deleteSession } from '../queries/sessions.ts'

/** 429 while any of the keys is throttled, with the longest wait in Retry-After; `refusal` says it. */
async function refuseWhileThrottled(
  db: Executor,
  checks: readonly (readonly [string, ThrottleRule])[],
  now: Date,
  refusal: (seconds: number) => Localized,
) {
  let wait = 0
  for (const [key, rule] of checks) {
    const state = throttleState(
      await recentFailures(db, key, new Date(now.getTime() - rule.windowMs)),
      rule,
      now,
    )
    if (state.locked) wait = Math.max(wait, state.retryAfterSeconds)
  }
  if (wait > 0) {
    throw new ApiError('rate_limited', refusal(wait), {
      headers: { 'retry-after': String(wait) },
    })
  }
}

/** A hash to verify against when the e-mail is unknown, so that both failures take as long. */
let decoyHash: Promise<string> | undefined

/**
 * Checks a sign-in: refused with 429 while the client address, or this account from this
 * address, is throttled; 401 alike for an unknown e-mail, a wrong password and a deactivated
 * account. Failures from other addresses never refuse a sign-in here, so an attacker cannot lock
 * a real user out. Returns the user's id; a success clears this account's failures from here.
 */
export async function checkCredentials(
  db: Executor,
  attempt: { email: string; password: string; clientAddress: string },
  now: Date,
): Promise<string> {
  const from = addressBucket(attempt.clientAddress)
  const addressKey = `address:${from}`
  const pairKey = `account-address:${from} ${attempt.email}`
  const accountKey = `account:${attempt.email}`
  await refuseWhileThrottled(
    db,
    [
      [addressKey, addressThrottle],
      [pairKey, accountAddressThrottle],
    ],
    now,
    say.tooManySignIns,
  )
  const credentials = await findCredentials(db, attempt.email)
  decoyHash ??= hashPassword(crypto.randomUUID())
  const matches = await verifyPassword(attempt.password, credentials?.password_hash ?? (await decoyHash))
  if (!credentials || !matches || !credentials.active) {
    await recordFailure(db, [addressKey, pairKey, accountKey], now)
    const sinceAlarm = new Date(now.getTime() - accountAlarm.windowMs)
    if ((await countFailures(db, accountKey, sinceAlarm)) === accountAlarm.limit) {
      console.warn(
        `[throttle] ${accountAlarm.limit} failed sign-ins for ${attempt.email} within ` +
          `${accountAlarm.windowMs / 60_000} minutes, from many addresses: someone may be guessing its password`,
      )
    }
    throw new ApiError('unauthenticated', say.wrongCredentials)
  }
  await clearFailures(db, pairKey)
  return credentials.id
}

/**
 * Lets a company registration through unless its client address has registered too often
 * (429), and counts it. Counted whatever its outcome, so that the "e-mail taken" answer cannot
 * be used to try many e-mail addresses either.
 */
export async function admitRegistration(db: Executor, clientAddress: string, now: Date) {
  const key = `register:${addressBucket(clientAddress)}`
  await refuseWhileThrottled(db, [[key, registrationThrottle]], now, say.tooManyRegistrations)
  await recordFailure(db, [key], now)
}

/** Forgets throttle records older than a day (none of the windows is longer): for maintenance. */
export async function forgetOldThrottleRecords(db: Executor, now: Date): Promise<number> {
  return forgetFailuresBefore(db, new Date(now.getTime() - 24 * 60 * 60 * 1000))
}
