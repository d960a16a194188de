import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { assertStrongPassword } from '../domain/password-policy.ts'
import { clearSessionCookie, requireUser, setSessionCookie } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { requestLanguage } from '../lib/language.ts'
import { hashToken, newToken } from '../lib/tokens.ts'
import { createRouter } from '../lib/validation.ts'
import { LoginBody, RegisterBody, SessionResponse, User } from '../schemas/accounts.ts'
import { jsonBody, problemResponses } from '../schemas/common.ts'
import { findUser, registerCompany } from '../services/accounts.ts'
import { admitRegistration, checkCredentials, createSession, deleteSession } from '../services/sessions.ts'

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
  description: 'Registrations are limited per client address (10 an hour), then 429 with Retry-After.',
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: {
      description: 'Registered and signed in',
      content: { 'application/json': { schema: SessionResponse } },
    },
    ...problemResponses(400, 409, 429),
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
    await admitRegistration(db, c.get('clientAddress'), c.get('now')())
    const userId = await registerCompany(db, body, { now: c.get('now')(), language: requestLanguage(c) })
    const token = await startSession(c, userId)
    const user = await findUser(db, userId)
    if (!user) throw new Error('registered user vanished')
    return c.json({ user, token }, 201)
  })
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json')
    const db = c.get('db')
    const userId = await checkCredentials(
      db,
      { email, password, clientAddress: c.get('clientAddress') },
      c.get('now')(),
    )
    const token = await startSession(c, userId)
    const user = await findUser(db, userId)
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
