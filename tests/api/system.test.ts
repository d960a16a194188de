import { describe, expect, it } from 'vitest'
import { runMaintenance } from '../../api/services/maintenance.ts'
import type { MailTransport } from '../../api/services/outbox.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, minute } from '../helpers/clock.ts'
import { uniqueAddress } from '../helpers/fixtures.ts'

describe('health and reference data', () => {
  it('reports the database it runs on', async () => {
    const { app, kind } = await testApp()
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ status: 'ok', database: kind })
    expect(kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite')
  })

  it('lists the eight categories of docs/api.md, in English by default', async () => {
    const { app } = await testApp()
    const body = await json(await app.request('/api/categories'))
    expect(body.items.map((c: { id: string }) => c.id)).toEqual([
      'lighting',
      'construction',
      'digital',
      'tourism',
      'mobility',
      'energy',
      'environment',
      'other',
    ])
    expect(body.items[0]).toEqual({
      id: 'lighting',
      name: 'Lighting',
      names: { en: 'Lighting', ru: 'Освещение' },
    })
  })

  it('names categories in Russian when the browser prefers Russian', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/categories', {
      headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' },
    })
    const body = await json(res)
    expect(body.items.find((c: { id: string }) => c.id === 'tourism').name).toBe('Туристические сервисы')
  })

  it('lists industry clusters', async () => {
    const { app } = await testApp()
    const body = await json(await app.request('/api/clusters?lang=ru'))
    expect(body.items.length).toBeGreaterThanOrEqual(5)
    expect(body.items.find((c: { id: string }) => c.id === 'ict').name).toBe('ИКТ')
  })
})

describe('maintenance', () => {
  it('forgets sign-in records older than a day, and keeps those that still lock an address out', async () => {
    // A century back: nothing else in the shared database is due then, so this run sends no
    // other test's mail and expires no other test's request.
    const then = fromNow(-100 * 365 * day)
    const { app, db } = await testApp({ now: then, env: { TRUST_PROXY: '1' } })
    const locked = uniqueAddress()
    const gone = `address:${uniqueAddress()}`
    await db
      .insertInto('login_failures')
      .values([
        ...Array.from({ length: 3 }, () => ({ key: gone, at: new Date(then.getTime() - 2 * day) })),
        ...Array.from({ length: 20 }, () => ({
          key: `address:${locked}`,
          at: new Date(then.getTime() - minute),
        })),
      ])
      .execute()
    const quiet: MailTransport = { name: 'quiet', async send() {} }
    const settings = { bookingExpiryDays: 30, cityTimeZone: 'Europe/Moscow' }
    const result = await runMaintenance(db, quiet, settings, then)

    expect(result.throttleForgotten).toBeGreaterThanOrEqual(3)
    const left = await db.selectFrom('login_failures').select('at').where('key', '=', gone).execute()
    expect(left).toEqual([])
    const signIn = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': locked },
      body: JSON.stringify({ email: 'nobody@test.example', password: 'not-the-password' }),
    })
    expect(signIn.status).toBe(429)
  })
})
