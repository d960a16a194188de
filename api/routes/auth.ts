import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { assertStrongPassword } from '../domain/password-policy.ts'
import { accountThrottle, addressThrottle, throttleState } from '../domain/throttle.ts'
import { clearSessionCookie, requireUser, setSessionCookie } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { requestLanguage } from '../lib/language.ts'
import { hashPassword, verifyPassword } from '../lib/password.ts'
import { hashToken, newToken } from '../lib/tokens.ts'
import { createRouter } from '../lib/validation.ts'
import { findCredentials, findUser } from '../queries/accounts.ts'
import { createSession, deleteSession } from '../queries/sessions.ts'
import { clearFailures, recentFailures, recordFailure } from '../queries/throttle.ts'
import { LoginBody, RegisterBody, SessionResponse, User } from '../schemas/accounts.ts'
import { jsonBody, problemResponses } from '../schemas/common.ts'
import { registerCompany } from '../services/accounts.ts'

/** A hash to verify against when the e-mail is unknown, so that both failures take as long. */
let decoyHash: Promise<string> | undefined

async function startSession(c: Context<AppEnv>, userId: string) {
  const token = newToken()
  await createSession(c.get('db'), userId, await hashToken(token), c.get('now')(), c.req.header('user-agent'))
  setSessionCookie(c, token)
  return token
}

const registerRoute = createRoute({
  method: 'post',
  path: '/auth/register',
  tags: ['Accounts'],
  summary: 'Register a company and its first member',
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: {
      description: 'Registered and signed in',
      content: { 'application/json': { schema: SessionResponse } },
    },
    ...problemResponses(400, 409),
  },
})

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['Accounts'],
  summary: 'Sign in',
  description:
    'Returns a bearer token and also sets an HttpOnly session cookie. Repeated failures are throttled.',
  request: { body: jsonBody(LoginBody) },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: SessionResponse } } },
    ...problemResponses(400, 401, 429),
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['Accounts'],
  summary: 'Sign out: the token or cookie stops working at once',
  responses: { 204: { description: 'Signed out' }, ...problemResponses(401, 403) },
})

const sessionRoute = createRoute({
  method: 'get',
  path: '/auth/session',
  tags: ['Accounts'],
  summary: 'Who is signed in, or null for a visitor (never a 401)',
  responses: {
    200: {
      description: 'The user or null',
      content: { 'application/json': { schema: z.object({ user: User.nullable() }) } },
    },
  },
})

export const auth = createRouter()
  .openapi(registerRoute, async (c) => {
    const body = c.req.valid('json')
    assertStrongPassword(body.password, body.email)
    const db = c.get('db')
    const userId = await registerCompany(db, body, { now: c.get('now')(), language: requestLanguage(c) })
    const token = await startSession(c, userId)
    const user = await findUser(db, userId)
    if (!user) throw new Error('registered user vanished')
    return c.json({ user, token }, 201)
  })
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json')
    const db = c.get('db')
    const now = c.get('now')()
    const accountKey = `account:${email}`
    const addressKey = `address:${c.get('clientAddress')}`
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
    const credentials = await findCredentials(db, email)
    decoyHash ??= hashPassword(crypto.randomUUID())
    const matches = await verifyPassword(password, credentials?.password_hash ?? (await decoyHash))
    if (!credentials || !matches || !credentials.active) {
      await recordFailure(db, [accountKey, addressKey], now)
      throw new ApiError('unauthenticated', 'The e-mail address or the password is wrong.')
    }
    await clearFailures(db, accountKey)
    const token = await startSession(c, credentials.id)
    const user = await findUser(db, credentials.id)
    if (!user) throw new Error('signed-in user vanished')
    return c.json({ user, token }, 200)
  })
  .openapi(logoutRoute, async (c) => {
    requireUser(c)
    const session = c.get('session')
    if (session) await deleteSession(c.get('db'), session.id)
    clearSessionCookie(c)
    return c.body(null, 204)
  })
  .openapi(sessionRoute, async (c) => {
    const signedIn = c.get('user')
    const user = signedIn ? ((await findUser(c.get('db'), signedIn.id)) ?? null) : null
    return c.json({ user }, 200)
  })
