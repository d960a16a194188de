import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestHarness, type TestHarness } from 'wrangler'
import { connect } from '../../db/connect.ts'
import { demoIds } from '../../db/seed/demo.ts'
import { makeFacility } from '../helpers/fixtures.ts'

const databaseUrl = process.env.DATABASE_URL

describe.runIf(databaseUrl)('the API inside workerd', () => {
  let server: TestHarness

  beforeAll(async () => {
    // Hyperdrive's local mode wants a password; trust auth ignores it.
    const url = new URL(databaseUrl as string)
    if (!url.password) url.password = 'local-dev'
    process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = url.toString()
    process.env.WRANGLER_SEND_METRICS = 'false'
    server = createTestHarness({ workers: [{ configPath: './wrangler.toml' }] })
    await server.listen()
  })

  afterAll(async () => {
    await server?.close()
  })

  it('answers health through Hyperdrive', async () => {
    const res = await server.fetch('/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' })
  })

  it('serves the catalogue with filters', async () => {
    const res = await server.fetch(`/api/facilities?areaId=${demoIds.areas.campus}&connectivity=5g&limit=500`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { items: { name: string; specs: { connectivity: string[] } }[] }
    expect(body.items.length).toBeGreaterThanOrEqual(2)
    for (const f of body.items) expect(f.specs.connectivity).toContain('5g')
    const area = await server.fetch(`/api/areas/${demoIds.areas.embankment}`)
    expect(((await area.json()) as { name: string }).name).toBe('Petrovskaya Embankment')
  })

  it('answers bad input with problem+json', async () => {
    const cases: [
      string,
      { method: string; headers: Record<string, string>; body: string } | undefined,
      number,
    ][] = [
      ['/api/nowhere', undefined, 404],
      ['/api/facilities?kind=spaceport', undefined, 400],
      ['/api/areas', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' }, 400],
      ['/api/areas', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'a,b' }, 415],
      [
        '/api/areas',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `"${'x'.repeat(1_100_000)}"`,
        },
        413,
      ],
    ]
    for (const [path, init, status] of cases) {
      const res = await server.fetch(path, init)
      expect(res.status, path).toBe(status)
      expect(res.headers.get('content-type'), path).toMatch(/^application\/problem\+json/)
    }
  })

  it('serves the OpenAPI document and the web app', async () => {
    const doc = await server.fetch('/api/openapi.json')
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0')
    const page = await server.fetch('/')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('City Testbed')
  })

  it('signs in, checks roles and signs out, with sessions in PostgreSQL', async () => {
    const login = await server.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'company@example.org', password: 'testbed-demo' }),
    })
    expect(login.status).toBe(200)
    const { token, user } = (await login.json()) as { token: string; user: { role: string } }
    expect(user.role).toBe('company')
    const headers = { authorization: `Bearer ${token}` }
    expect((await server.fetch('/api/me', { headers })).status).toBe(200)
    expect((await server.fetch('/api/users', { headers })).status).toBe(403)
    expect((await server.fetch('/api/auth/logout', { method: 'POST', headers })).status).toBe(204)
    expect((await server.fetch('/api/me', { headers })).status).toBe(401)
    const wrong = await server.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'company@example.org', password: 'not-the-password' }),
    })
    expect(wrong.status).toBe(401)
  })

  it('takes a booking from request to approval, and its Cron Trigger sends the notifications', async () => {
    const signIn = async (email: string) => {
      const res = await server.fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'testbed-demo' }),
      })
      return {
        authorization: `Bearer ${((await res.json()) as { token: string }).token}`,
        'content-type': 'application/json',
      }
    }
    const company = await signIn('company@example.org')
    const official = await signIn('digital@example.org')
    const pilot = (await (
      await server.fetch('/api/pilots', {
        method: 'POST',
        headers: company,
        body: JSON.stringify({
          title: 'Edge AI camera-free people counting',
          summary: 'Counts with radar',
          category: 'digital',
          publicDescription: 'Radar counts, no images.',
          dataCollected: 'Counts per minute.',
          contactEmail: 'pilot@nordic-lights.example',
        }),
      })
    ).json()) as { id: string }
    // workerd keeps the machine's clock (it cannot take the suite's), so the request goes to a
    // fixed day on a site of this run's own on the campus, whose rules take any day until then.
    const connection = await connect({ databaseUrl })
    const site = await makeFacility(connection.db, {
      areaId: demoIds.areas.campus,
      horizonDays: 36_500,
    }).finally(() => connection.close())
    const start = new Date('2099-06-01T00:00:00Z')
    const requested = await server.fetch(`/api/pilots/${pilot.id}/bookings`, {
      method: 'POST',
      headers: company,
      body: JSON.stringify({
        facilityId: site.id,
        start: start.toISOString(),
        end: new Date(start.getTime() + 86_400_000).toISOString(),
      }),
    })
    expect(requested.status).toBe(201)
    const booking = (await requested.json()) as { id: string; state: string }
    expect(booking.state).toBe('pending')
    const decided = await server.fetch(`/api/bookings/${booking.id}/reviews`, {
      method: 'POST',
      headers: official,
      body: JSON.stringify({ decision: 'approve' }),
    })
    expect(((await decided.json()) as { state: string }).state).toBe('approved')

    const waiting = async () => {
      const { Client } = await import('pg')
      const client = new Client({ connectionString: databaseUrl })
      await client.connect()
      try {
        const { rows } = await client.query(
          "select count(*)::int as n from outbox where status = 'pending' and payload->>'bookingId' = $1",
          [booking.id],
        )
        return rows[0].n as number
      } finally {
        await client.end()
      }
    }
    expect(await waiting()).toBeGreaterThan(0)
    await server.getWorker().scheduled({ cron: '*/5 * * * *' })
    expect(await waiting()).toBe(0)
  })
})
