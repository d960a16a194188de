import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Role } from '../../db/types.ts'
import { findSession, sessionLifetimeMs } from '../queries/sessions.ts'
import { forwardedOverHttps } from './client-address.ts'
import type { AppEnv, SessionUser } from './context.ts'
import { ApiError } from './errors.ts'
import { say } from './messages.ts'
import { hashToken } from './tokens.ts'

export const sessionCookie = 'testbed_session'

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Whether the browser reached us over https: PUBLIC_URL says so, the request came in over https,
 * or (TRUST_PROXY) our proxy says X-Forwarded-Proto: https. The session cookie is Secure then.
 */
function overHttps(c: Context<AppEnv>): boolean {
  const config = c.get('config')
  if (config.publicUrl?.startsWith('https:')) return true
  if (new URL(c.req.url).protocol === 'https:') return true
  return forwardedOverHttps(c, config.trustProxy)
}

/** Sets the HttpOnly, SameSite=Lax session cookie (Secure over https). */
export function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: overHttps(c),
    path: '/',
    maxAge: Math.floor(sessionLifetimeMs / 1000),
  })
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, sessionCookie, { path: '/', httpOnly: true, sameSite: 'Lax', secure: overHttps(c) })
}

/** The origins a cookie-authenticated change may come from: this site, PUBLIC_URL, CORS_ORIGINS. */
function allowedOrigins(c: Context<AppEnv>): Set<string> {
  const config = c.get('config')
  const origins = new Set([new URL(c.req.url).origin, ...config.corsOrigins])
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin)
  return origins
}

/**
 * Who is calling: a bearer token or the session cookie. A bad bearer token is a 401 (the client
 * meant to sign in); a stale cookie is only ignored, so that public pages keep working.
 * Cookie-authenticated changes must come from an allowed Origin (cross-site request forgery).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('user', null)
  c.set('session', null)
  const header = c.req.header('authorization')
  const now = c.get('now')()
  if (header !== undefined) {
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/i.exec(header.trim())
    if (!match?.[1]) throw new ApiError('unauthenticated', say.badAuthorizationHeader)
    const found = await findSession(c.get('db'), await hashToken(match[1]), now)
    if (!found) throw new ApiError('unauthenticated', say.tokenInvalid)
    c.set('user', found.user)
    c.set('session', { id: found.sessionId, via: 'bearer' })
    return next()
  }
  const cookie = getCookie(c, sessionCookie)
  if (cookie && /^[A-Za-z0-9_-]{20,200}$/.test(cookie)) {
    const found = await findSession(c.get('db'), await hashToken(cookie), now)
    if (found) {
      if (unsafeMethods.has(c.req.method)) {
        const origin = c.req.header('origin')
        const fetchSite = c.req.header('sec-fetch-site')
        const sameOrigin = origin ? allowedOrigins(c).has(origin) : fetchSite === 'same-origin'
        if (!sameOrigin) {
          throw new ApiError('forbidden', say.crossOrigin)
        }
      }
      c.set('user', found.user)
      c.set('session', { id: found.sessionId, via: 'cookie' })
    }
  }
  return next()
}

/** The signed-in user, or a 401. */
export function requireUser(c: Context<AppEnv>): SessionUser {
  const user = c.get('user')
  if (!user) throw new ApiError('unauthenticated', say.signInRequired)
  return user
}

/** The signed-in user if they have one of the roles; 401 for visitors, 403 for other roles. */
export function requireRole(c: Context<AppEnv>, ...roles: Role[]): SessionUser {
  const user = requireUser(c)
  if (!roles.includes(user.role)) {
    throw new ApiError('forbidden', say.onlyRoles(roles))
  }
  return user
}

/** Route middleware: the same check before validation, so that strangers learn nothing from 400s. */
export function roles(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireRole(c, ...allowed)
    await next()
  }
}
