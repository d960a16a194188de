import { describe, expect, it, vi } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { hour, minute, testClock, testNow } from '../helpers/clock.ts'
import { unique, uniqueAddress } from '../helpers/fixtures.ts'

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const newEmail = () => `${unique('edge').replace(' ', '-')}@test.example`
const from = (address: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-for': address,
  ...extra,
})
const behindProxy = { TRUST_PROXY: '1' }
/** Twenty failed sign-ins hash twenty passwords: give a loaded machine time. */
const slow = { timeout: 60_000 }

type App = Awaited<ReturnType<typeof testApp>>['app']

function login(app: App, email: string, password: string, headers: Record<string, string> = {}) {
  return app.request('/api/auth/login', post({ email, password }, headers))
}

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  const retryAfter = Number(res.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThan(0)
  expect((await json(res)).code).toBe('rate_limited')
  return retryAfter
}

describe('the client address behind TRUST_PROXY', () => {
  it(
    'is the rightmost X-Forwarded-For entry: a spoofed leftmost one does not escape the limit',
    slow,
    async () => {
      const { app } = await testApp({ env: behindProxy })
      const attacker = uniqueAddress()
      for (let i = 0; i < 20; i++) {
        const spoofed = from(`${uniqueAddress()}, ${attacker}`)
        expect((await login(app, newEmail(), 'guessing-passwords', spoofed)).status).toBe(401)
      }
      await expectRateLimited(
        await login(app, newEmail(), 'guessing-passwords', from(`1.2.3.4, ${attacker}`)),
      )
      // Someone else behind the same proxy is not affected.
      expect(
        (await login(app, newEmail(), 'guessing-passwords', from(`${attacker}, ${uniqueAddress()}`))).status,
      ).toBe(401)
    },
  )

  it('is the connection when TRUST_PROXY is off, whatever X-Forwarded-For says', slow, async () => {
    const { app } = await testApp()
    for (let i = 0; i < 20; i++) {
      expect((await login(app, newEmail(), 'guessing-passwords', from(uniqueAddress()))).status).toBe(401)
    }
    await expectRateLimited(await login(app, newEmail(), 'guessing-passwords', from(uniqueAddress())))
  })

  it('falls back to the connection when the proxy entry is not an address', slow, async () => {
    const { app } = await testApp({ env: behindProxy })
    for (let i = 0; i < 20; i++) {
      const garbage = from(`${uniqueAddress()}, not-an-address-${i}`)
      expect((await login(app, newEmail(), 'guessing-passwords', garbage)).status).toBe(401)
    }
    // All twenty counted against the one connection address, not against the client's entries.
    await expectRateLimited(await login(app, newEmail(), 'guessing-passwords', from('unknown')))
  })

  it('counts an IPv6 client as its /64 network', slow, async () => {
    const { app } = await testApp({ env: behindProxy })
    const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2))
    const network = `2001:db8:${a.toString(16)}:${b.toString(16)}`
    for (let i = 0; i < 20; i++) {
      const address = from(`${network}:${(i + 1).toString(16)}::${i.toString(16)}`)
      expect((await login(app, newEmail(), 'guessing-passwords', address)).status).toBe(401)
    }
    await expectRateLimited(await login(app, newEmail(), 'guessing-passwords', from(`[${network}::99]:443`)))
  })
})

describe('the session cookie', () => {
  async function cookieOf(env: Record<string, string>, url: string, headers: Record<string, string> = {}) {
    const { app, db } = await testApp({ env })
    const user = await makeUser(db, 'company')
    const res = await app.request(url, post({ email: user.email, password: testPassword }, headers))
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/testbed_session=/)
    return cookie
  }
  const http = 'http://localhost/api/auth/login'
  const https = { 'x-forwarded-proto': 'https' }

  it.each([
    ['plain http', {}, http, {}, false],
    ['the request came in over https', {}, 'https://city.example/api/auth/login', {}, true],
    ['PUBLIC_URL is https', { PUBLIC_URL: 'https://city.example' }, http, {}, true],
    ['PUBLIC_URL is http', { PUBLIC_URL: 'http://city.example' }, http, {}, false],
    ['the trusted proxy says https', behindProxy, http, https, true],
    ['the trusted proxy says http', behindProxy, http, { 'x-forwarded-proto': 'http' }, false],
    ['the client, not a proxy, says https', {}, http, https, false],
    [
      'the client adds https before the proxy says http',
      behindProxy,
      http,
      { 'x-forwarded-proto': 'https, http' },
      false,
    ],
  ])('is Secure exactly when it should be: %s', async (_case, env, url, headers, secure) => {
    const cookie = await cookieOf(env, url, headers)
    expect(/;\s*Secure/i.test(cookie)).toBe(secure)
    expect(cookie).toMatch(/HttpOnly/)
  })

  it('is deleted with Secure too, so that the browser drops the Secure one', async () => {
    const { app, db } = await testApp({ env: { PUBLIC_URL: 'https://city.example' } })
    const user = await makeUser(db, 'company')
    const res = await app.request('/api/auth/logout', { method: 'POST', headers: user.headers })
    expect(res.status).toBe(204)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/testbed_session=;/)
    expect(cookie).toMatch(/Max-Age=0/)
    expect(cookie).toMatch(/;\s*Secure/i)
  })
})

describe('sign-in throttling', () => {
  it('does not let an attacker lock a real user out', async () => {
    const clock = testClock()
    const { app, db } = await testApp({ env: behindProxy, clock: clock.now })
    const user = await makeUser(db, 'company')
    const attacker = from(uniqueAddress())
    for (let i = 0; i < 5; i++) {
      expect((await login(app, user.email, `wrong-${i}-password`, attacker)).status).toBe(401)
    }
    // More failures on the account from elsewhere: ten in all, twice the per-address limit.
    for (let i = 0; i < 5; i++) {
      expect((await login(app, user.email, `wrong-${i}-password`, from(uniqueAddress()))).status).toBe(401)
    }
    // The attacker's address is refused for this account, even with the right password...
    const retryAfter = await expectRateLimited(await login(app, user.email, testPassword, attacker))
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    // ...but the real user, from their own address, signs in.
    expect((await login(app, user.email, testPassword, from(uniqueAddress()))).status).toBe(200)
    // And the attacker's address may try again once the window has passed.
    clock.advance((retryAfter + 1) * 1000)
    expect((await login(app, user.email, testPassword, attacker)).status).toBe(200)
  })

  it('forgets an address’s failures on an account when it signs in there', async () => {
    const clock = testClock()
    const { app, db } = await testApp({ env: behindProxy, clock: clock.now })
    const user = await makeUser(db, 'company')
    const address = from(uniqueAddress())
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        expect((await login(app, user.email, `wrong-${i}-password`, address)).status).toBe(401)
        clock.advance(minute)
      }
      expect((await login(app, user.email, testPassword, address)).status).toBe(200)
    }
  })

  it(
    'does not let an address clear its own failures on other accounts by signing in to its own',
    slow,
    async () => {
      const { app, db } = await testApp({ env: behindProxy })
      const own = await makeUser(db, 'company')
      const address = from(uniqueAddress())
      for (let i = 0; i < 19; i++) {
        expect((await login(app, newEmail(), 'guessing-passwords', address)).status).toBe(401)
      }
      expect((await login(app, own.email, testPassword, address)).status).toBe(200)
      expect((await login(app, newEmail(), 'guessing-passwords', address)).status).toBe(401)
      await expectRateLimited(await login(app, newEmail(), 'guessing-passwords', address))
    },
  )
})

describe('guessing one account from many addresses', () => {
  it('is logged for the operator at the hundredth failure, and still refuses nobody', slow, async () => {
    const { app, db } = await testApp({ env: behindProxy })
    const user = await makeUser(db, 'company')
    // 99 failures on the account from elsewhere, as many sign-ins from many addresses would leave.
    await db
      .insertInto('login_failures')
      .values(Array.from({ length: 99 }, () => ({ key: `account:${user.email}`, at: testNow })))
      .execute()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      expect((await login(app, user.email, 'wrong-password-here', from(uniqueAddress()))).status).toBe(401)
      expect(warn).toHaveBeenCalledTimes(1)
      expect(String(warn.mock.calls[0]?.[0])).toContain(user.email)
    } finally {
      warn.mockRestore()
    }
    expect((await login(app, user.email, testPassword, from(uniqueAddress()))).status).toBe(200)
  })
})

describe('registration', () => {
  const register = (app: App, email: string, headers: Record<string, string>) =>
    app.request(
      '/api/auth/register',
      post({ email, password: testPassword, name: 'R', organisation: { name: unique('Org') } }, headers),
    )

  it('is limited to ten an hour per address, answered or refused alike; other addresses go on', async () => {
    const clock = testClock()
    const { app, db } = await testApp({ env: behindProxy, clock: clock.now })
    const taken = await makeUser(db, 'company')
    const address = from(uniqueAddress())
    for (let i = 0; i < 8; i++) expect((await register(app, newEmail(), address)).status).toBe(201)
    // Asking about a taken e-mail counts too, so that nobody can try many for free.
    for (let i = 0; i < 2; i++) expect((await register(app, taken.email, address)).status).toBe(409)
    clock.advance(10 * minute)
    const retryAfter = await expectRateLimited(await register(app, newEmail(), address))
    expect(retryAfter).toBeGreaterThan(45 * 60)
    expect(retryAfter).toBeLessThanOrEqual(50 * 60)
    expect((await register(app, newEmail(), from(uniqueAddress()))).status).toBe(201)
    clock.advance(hour - 10 * minute + 1000)
    expect((await register(app, newEmail(), address)).status).toBe(201)
  })

  it('counts a bad password policy answer as nothing', async () => {
    const { app } = await testApp({ env: behindProxy })
    const address = from(uniqueAddress())
    for (let i = 0; i < 11; i++) {
      const weak = await app.request(
        '/api/auth/register',
        post({ email: newEmail(), password: 'short', name: 'R', organisation: { name: 'O' } }, address),
      )
      expect(weak.status).toBe(400)
    }
    expect((await register(app, newEmail(), address)).status).toBe(201)
  })
})
