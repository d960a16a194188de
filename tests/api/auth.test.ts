import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { unique, uniqueAddress } from '../helpers/fixtures.ts'

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const newEmail = () => `${unique('user').replace(' ', '-')}@test.example`
const newAddress = uniqueAddress

/** An app whose clock stands still at `now`, trusting X-Forwarded-For so tests can vary the client address. */
async function appAt(now: Date, env: Record<string, string> = {}) {
  const peer = uniqueAddress()
  const { db, kind } = await testConnection()
  return createApp({
    config: parseConfig({ TRUST_PROXY: '1', ...env }),
    database: sharedDatabase(db, kind),
    now: () => now,
    peerAddress: () => peer,
  })
}

function sessionCookieOf(res: Response): string {
  const header = res.headers.get('set-cookie') ?? ''
  const match = /testbed_session=([^;]+)/.exec(header)
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`)
  return match[1]
}

describe('registration', () => {
  it('creates a company and its first member, signed in', async () => {
    const { app } = await testApp()
    const email = newEmail()
    const res = await app.request(
      '/api/auth/register',
      post({
        email: email.toUpperCase(),
        password: 'harbour-lights-at-dawn',
        name: 'Kari Nieminen',
        organisation: {
          name: 'Aurora Sensors',
          legalId: '7800000001',
          website: 'https://aurora.example',
          cluster: 'ict',
        },
      }),
    )
    expect(res.status).toBe(201)
    const body = await json(res)
    expect(body.user).toMatchObject({
      email,
      name: 'Kari Nieminen',
      role: 'company',
      active: true,
      organisation: { name: 'Aurora Sensors', clusterId: 'ict' },
    })
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).not.toMatch(/Secure/) // plain http here; Secure over https
    const me = await app.request('/api/me', { headers: { authorization: `Bearer ${body.token}` } })
    expect((await json(me)).email).toBe(email)
  })

  it.each([
    ['short1234', 'password', 'at least 10'],
    ['1234567890', 'password', 'common'],
    ['aaaaaaaaaaaa', 'password', 'repeats'],
  ])('refuses the password %s', async (password, path, words) => {
    const { app } = await testApp()
    const email = newEmail()
    const res = await app.request(
      '/api/auth/register',
      post({ email, password, name: 'X', organisation: { name: 'Y' } }),
    )
    expect(res.status).toBe(400)
    const body = await json(res)
    expect(body.errors[0].path).toBe(path)
    expect(body.errors[0].message).toContain(words)
  })

  it('refuses an e-mail address that has an account, in any letter case', async () => {
    const { app, db } = await testApp()
    const user = await makeUser(db, 'company')
    const res = await app.request(
      '/api/auth/register',
      post({
        email: user.email.toUpperCase(),
        password: testPassword,
        name: 'X',
        organisation: { name: 'Y' },
      }),
    )
    expect(res.status).toBe(409)
  })

  it('refuses an unknown cluster and writes nothing', async () => {
    const { app, db } = await testApp()
    const email = newEmail()
    const res = await app.request(
      '/api/auth/register',
      post({ email, password: testPassword, name: 'X', organisation: { name: 'Y', cluster: 'alchemy' } }),
    )
    expect(res.status).toBe(400)
    expect((await json(res)).errors[0].path).toBe('organisation.cluster')
    expect(await db.selectFrom('users').where('email', '=', email).selectAll().execute()).toEqual([])
  })
})

describe('sign-in', () => {
  it('accepts the right password, by token and by cookie', async () => {
    const { app, db } = await testApp()
    const user = await makeUser(db, 'official')
    const res = await app.request('/api/auth/login', post({ email: user.email, password: testPassword }))
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.user).toMatchObject({ id: user.id, role: 'official', department: { id: user.departmentId } })
    const byCookie = await app.request('/api/me', {
      headers: { cookie: `testbed_session=${sessionCookieOf(res)}` },
    })
    expect((await json(byCookie)).id).toBe(user.id)
  })

  it('answers an unknown e-mail and a wrong password alike', async () => {
    const app = await appAt(testNow, {})
    const { db } = await testConnection()
    const user = await makeUser(db, 'company')
    const address = { 'x-forwarded-for': newAddress() }
    const wrong = await app.request(
      '/api/auth/login',
      post({ email: user.email, password: 'not-the-password' }, address),
    )
    const unknown = await app.request(
      '/api/auth/login',
      post({ email: newEmail(), password: 'not-the-password' }, address),
    )
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const a = await json(wrong)
    const b = await json(unknown)
    expect({ ...a, requestId: undefined }).toEqual({ ...b, requestId: undefined })
  })

  it('throttles an account from one address after five failures, even for the right password, until the window passes', async () => {
    const { db } = await testConnection()
    const user = await makeUser(db, 'company')
    const t0 = fromNow(1000)
    const app = await appAt(t0)
    const address = { 'x-forwarded-for': newAddress() }
    for (let i = 0; i < 5; i++) {
      const res = await app.request(
        '/api/auth/login',
        post({ email: user.email, password: `wrong-${i}-password` }, address),
      )
      expect(res.status).toBe(401)
    }
    const locked = await app.request(
      '/api/auth/login',
      post({ email: user.email, password: testPassword }, address),
    )
    expect(locked.status).toBe(429)
    expect((await json(locked)).code).toBe('rate_limited')
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)

    const later = await appAt(new Date(t0.getTime() + (retryAfter + 1) * 1000))
    expect(
      (await later.request('/api/auth/login', post({ email: user.email, password: testPassword }, address)))
        .status,
    ).toBe(200)
  })

  it('throttles a client address after twenty failures across accounts', { timeout: 60_000 }, async () => {
    const app = await appAt(fromNow(2000))
    const address = { 'x-forwarded-for': newAddress() }
    for (let i = 0; i < 20; i++) {
      const res = await app.request(
        '/api/auth/login',
        post({ email: newEmail(), password: 'guessing-passwords' }, address),
      )
      expect(res.status).toBe(401)
    }
    const res = await app.request(
      '/api/auth/login',
      post({ email: newEmail(), password: 'guessing-passwords' }, address),
    )
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBeTruthy()
    const elsewhere = await app.request(
      '/api/auth/login',
      post({ email: newEmail(), password: 'guessing-passwords' }, { 'x-forwarded-for': newAddress() }),
    )
    expect(elsewhere.status).toBe(401)
  })
})

describe('sessions', () => {
  it('logout ends the token at once', async () => {
    const { app, db } = await testApp()
    const user = await makeUser(db, 'company')
    expect((await app.request('/api/me', { headers: user.headers })).status).toBe(200)
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: user.headers })).status).toBe(
      204,
    )
    const after = await app.request('/api/me', { headers: user.headers })
    expect(after.status).toBe(401)
    expect((await json(after)).code).toBe('unauthenticated')
  })

  it('expire 30 days after their last use, and each use extends them', async () => {
    const { db } = await testConnection()
    const user = await makeUser(db, 'company')
    const t0 = fromNow(5000)
    const login = await (await appAt(t0)).request(
      '/api/auth/login',
      post({ email: user.email, password: testPassword }),
    )
    const { token } = await json(login)
    const headers = { authorization: `Bearer ${token}` }
    expect(
      (await (await appAt(new Date(t0.getTime() + 20 * day))).request('/api/me', { headers })).status,
    ).toBe(200)
    // 45 days after sign-in, but 25 after the last use: still valid.
    expect(
      (await (await appAt(new Date(t0.getTime() + 45 * day))).request('/api/me', { headers })).status,
    ).toBe(200)
    // 31 days after the last use: expired.
    expect(
      (await (await appAt(new Date(t0.getTime() + 76 * day))).request('/api/me', { headers })).status,
    ).toBe(401)
  })

  it('end when an admin deactivates the user, who then cannot sign in', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const user = await makeUser(db, 'official')
    const res = await app.request(`/api/users/${user.id}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    })
    expect(res.status).toBe(200)
    expect((await json(res)).active).toBe(false)
    expect((await app.request('/api/me', { headers: user.headers })).status).toBe(401)
    const login = await app.request(
      '/api/auth/login',
      post({ email: user.email, password: testPassword }, { 'x-forwarded-for': '10.4.0.1' }),
    )
    expect(login.status).toBe(401)
    const sessions = await db.selectFrom('sessions').where('user_id', '=', user.id).selectAll().execute()
    expect(sessions).toEqual([])
  })

  it('refuse a malformed or unknown bearer token with 401, but let a stale cookie browse', async () => {
    const { app } = await testApp()
    expect((await app.request('/api/areas', { headers: { authorization: 'Basic abc' } })).status).toBe(401)
    expect(
      (await app.request('/api/areas', { headers: { authorization: `Bearer ${'x'.repeat(43)}` } })).status,
    ).toBe(401)
    expect(
      (await app.request('/api/areas', { headers: { cookie: `testbed_session=${'x'.repeat(43)}` } })).status,
    ).toBe(200)
  })
})

describe('browser safety', () => {
  it('refuses a cookie-authenticated change without a matching Origin', async () => {
    const { app, db } = await testApp()
    const user = await makeUser(db, 'company')
    const cookie = { cookie: `testbed_session=${user.token}` }
    const patch = (headers: Record<string, string>) =>
      app.request('/api/me', {
        method: 'PATCH',
        headers: { ...cookie, ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Changed' }),
      })
    expect((await patch({})).status).toBe(403)
    expect((await patch({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await patch({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await patch({ origin: 'http://localhost' })).status).toBe(200)
    expect((await patch({ 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    // Reads need no Origin; bearer tokens are not sent by browsers on their own, so need none either.
    expect((await app.request('/api/me', { headers: cookie })).status).toBe(200)
    const bearer = await app.request('/api/me', {
      method: 'PATCH',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Changed again' }),
    })
    expect(bearer.status).toBe(200)
  })

  it('sends security headers with a content security policy', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/areas')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('keeps CORS closed unless origins are configured', async () => {
    const closed = await appAt(testNow)
    const preflight = {
      method: 'OPTIONS',
      headers: { origin: 'https://partner.example', 'access-control-request-method': 'POST' },
    }
    expect(
      (await closed.request('/api/areas', preflight)).headers.get('access-control-allow-origin'),
    ).toBeNull()
    const open = await appAt(testNow, { CORS_ORIGINS: 'https://partner.example' })
    const res = await open.request('/api/areas', preflight)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    const other = await open.request('/api/areas', {
      ...preflight,
      headers: { ...preflight.headers, origin: 'https://evil.example' },
    })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('administration', () => {
  it('creates officials in a department, who can then sign in', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const department = await json(
      await app.request('/api/departments', post({ name: unique('Transport') }, admin.headers)),
    )
    const email = newEmail()
    const created = await app.request(
      '/api/users',
      post(
        { email, password: testPassword, name: 'O', role: 'official', departmentId: department.id },
        admin.headers,
      ),
    )
    expect(created.status).toBe(201)
    expect((await json(created)).department).toEqual({ id: department.id, name: department.name })
    const login = await app.request('/api/auth/login', post({ email, password: testPassword }))
    expect(login.status).toBe(200)
  })

  it('refuses an official without a department, and a company member without an organisation', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    for (const [role, path] of [
      ['official', 'departmentId'],
      ['company', 'organisationId'],
    ]) {
      const res = await app.request(
        '/api/users',
        post({ email: newEmail(), password: testPassword, name: 'X', role }, admin.headers),
      )
      expect(res.status).toBe(400)
      expect((await json(res)).errors[0].path).toBe(path)
    }
  })

  it('does not let an admin deactivate or demote themselves', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const res = await app.request(`/api/users/${admin.id}`, {
      method: 'PATCH',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    })
    expect(res.status).toBe(409)
  })

  it('refuses a department name that exists', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const name = unique('Parks')
    expect((await app.request('/api/departments', post({ name }, admin.headers))).status).toBe(201)
    expect((await app.request('/api/departments', post({ name }, admin.headers))).status).toBe(409)
  })
})
