import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { connect } from '../../db/connect.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { cityDay, cityZone, day, hour, nextCityTime } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

// Every date derives from this clock: the Monday, 10:00 in St. Petersburg, after the suite's now.
const now = nextCityTime(1, '10:00')
const at = (offset: number) => new Date(now.getTime() + offset)

const send = (method: string, headers: Record<string, string>, body?: unknown) => ({
  method,
  headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})

/** A fresh corner of the city: a department and its official, a site, a company with a pilot, a rival. */
async function world() {
  const t = await testApp({ now })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const site = await makeFacility(t.db, { areaId: area.id, name: unique('Pole') })
  const official = await makeUser(t.db, 'official', { departmentId: department.id, sessionAt: now })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const rival = await makeUser(t.db, 'company', { sessionAt: now })
  const pilot = await json(
    await t.app.request(
      '/api/pilots',
      send('POST', company.headers, {
        title: unique('Adaptive lighting'),
        summary: 'Lamps that dim when nobody is there',
        category: 'lighting',
        publicDescription: 'We test adaptive dimming.',
        dataCollected: 'Counts of passers-by; no images.',
        contactEmail: 'pilot@company.example',
      }),
    ),
  )
  /** A booking of the pilot made straight in the database, `days` ahead, in a state. */
  const booking = (days: number, state: Parameters<typeof makeBooking>[1]['state'] = 'pending') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: at(days * day),
      end: at(days * day + 2 * hour),
      state,
      departmentIds: [department.id],
      createdBy: company.id,
    })
  const request = (method: string, path: string, user: TestUser | null, body?: unknown) =>
    t.app.request(path, send(method, user?.headers ?? {}, body))
  return { ...t, department, site, official, company, rival, pilot, booking, request }
}

type World = Awaited<ReturnType<typeof world>>

const eventsOf = (w: World, subjectId: string) =>
  w.db
    .selectFrom('events')
    .select(['action', 'actor_id', 'details'])
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute()

describe('deleting a pilot', () => {
  it('deletes one without approved bookings, withdrawing its open requests first', async () => {
    const w = await world()
    const pending = await w.booking(3)
    const rejected = await w.booking(4, 'rejected')
    const res = await w.request('DELETE', `/api/pilots/${w.pilot.id}`, w.company)
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')

    expect((await w.request('GET', `/api/pilots/${w.pilot.id}`, w.company)).status).toBe(404)
    const mine = await json(await w.request('GET', '/api/pilots?mine=true&limit=500', w.company))
    expect(mine.items).toEqual([])
    const left = await w.db.selectFrom('bookings').select('id').where('pilot_id', '=', w.pilot.id).execute()
    expect(left).toEqual([])
    // The freed slot can be requested again by anyone.
    const free = await json(
      await w.request(
        'GET',
        `/api/facilities/${w.site.id}/availability?from=${at(3 * day).toISOString()}&to=${at(3 * day + 2 * hour).toISOString()}`,
        null,
      ),
    )
    expect(free.busy).toEqual([])

    const [deleted] = await eventsOf(w, w.pilot.id).then((e) => e.filter((x) => x.action === 'pilot.deleted'))
    expect(deleted?.actor_id).toBe(w.company.id)
    expect(deleted?.details).toMatchObject({
      before: { title: w.pilot.title },
      bookings: expect.arrayContaining([
        expect.objectContaining({ id: pending, state: 'pending' }),
        expect.objectContaining({ id: rejected, state: 'rejected' }),
      ]),
    })
    // The open request was withdrawn as the applicant would, and its reviewer told.
    expect((await eventsOf(w, pending)).map((e) => e.action)).toEqual(['booking.withdrawn'])
    expect((await eventsOf(w, rejected)).map((e) => e.action)).toEqual([])
    const told = await w.db
      .selectFrom('outbox')
      .select('template')
      .where('recipient_user_id', '=', w.official.id)
      .execute()
    expect(told.map((m) => m.template)).toEqual(['booking.withdrawn'])
  })

  it('withdraws a series in one go: one message for its nights, not one a night', async () => {
    const w = await world()
    const series = await w.request('POST', `/api/pilots/${w.pilot.id}/series`, w.company, {
      facilityId: w.site.id,
      start: at(3 * day).toISOString(),
      end: at(3 * day + 2 * hour).toISOString(),
      recurrence: { frequency: 'daily', until: cityDay(5, cityZone, now).date },
    })
    expect(series.status).toBe(201)
    const { id: seriesId, bookings } = await json(series)
    expect(bookings).toHaveLength(3)
    const single = await w.booking(10)
    const before = await w.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient_user_id', '=', w.official.id)
      .execute()

    expect((await w.request('DELETE', `/api/pilots/${w.pilot.id}`, w.company)).status).toBe(204)
    const told = await w.db
      .selectFrom('outbox')
      .select('template')
      .where('recipient_user_id', '=', w.official.id)
      .where(
        'id',
        'not in',
        before.map((m) => m.id),
      )
      .orderBy('template')
      .execute()
    expect(told.map((m) => m.template)).toEqual(['booking.withdrawn', 'series.withdrawn'])
    expect((await eventsOf(w, seriesId)).map((e) => e.action)).toEqual([
      'series.requested',
      'series.withdrawn',
    ])
    expect((await eventsOf(w, single)).map((e) => e.action)).toEqual(['booking.withdrawn'])
    const left = await w.db.selectFrom('series').select('id').where('id', '=', seriesId).execute()
    expect(left).toEqual([])
  })

  it('refuses one with an approved booking with 409, naming it, and changes nothing', async () => {
    const w = await world()
    const approved = await w.booking(5, 'approved')
    const pending = await w.booking(6)
    const eventsBefore = await w.db.selectFrom('events').select(w.db.fn.countAll().as('n')).executeTakeFirst()
    const res = await w.request('DELETE', `/api/pilots/${w.pilot.id}`, w.company)
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toMatch(/problem\+json/)
    const problem = await json(res)
    expect(problem.code).toBe('invalid_state')
    expect(problem.detail).toContain(w.site.name)
    expect(problem.detail).toContain('1 approved booking')
    expect(problem.errors).toEqual([
      {
        path: `bookings/${approved}`,
        message: expect.stringContaining(w.site.name),
        start: at(5 * day).toISOString(),
        end: at(5 * day + 2 * hour).toISOString(),
      },
    ])

    const pilot = await json(await w.request('GET', `/api/pilots/${w.pilot.id}`, w.company))
    expect(pilot.bookings.map((b: { id: string; state: string }) => [b.id, b.state])).toEqual([
      [approved, 'approved'],
      [pending, 'pending'],
    ])
    const eventsAfter = await w.db.selectFrom('events').select(w.db.fn.countAll().as('n')).executeTakeFirst()
    expect(Number(eventsAfter?.n)).toBe(Number(eventsBefore?.n))
  })

  it('is a 404 for another organisation’s pilot or none, and a 403 for officials', async () => {
    const w = await world()
    const pending = await w.booking(3)
    expect((await w.request('DELETE', `/api/pilots/${w.pilot.id}`, w.rival)).status).toBe(404)
    expect((await w.request('DELETE', `/api/pilots/${crypto.randomUUID()}`, w.company)).status).toBe(404)
    expect((await w.request('DELETE', `/api/pilots/${w.pilot.id}`, w.official)).status).toBe(403)
    expect((await w.request('DELETE', `/api/pilots/${w.pilot.id}`, null)).status).toBe(401)
    expect((await w.request('DELETE', '/api/pilots/not-an-id', w.company)).status).toBe(400)
    const row = await w.db.selectFrom('bookings').select('state').where('id', '=', pending).executeTakeFirst()
    expect(row?.state).toBe('pending')
  })
})

describe('deleting a pilot while it is being booked', () => {
  it('lets each request either land before the deletion (and be withdrawn) or get a 404, never a 500', async () => {
    // On PostgreSQL a pool with a connection for every request, so that they all meet at the
    // pilot's row; PGlite has one connection and serialises them.
    const requests = 12
    const databaseUrl = process.env.DATABASE_URL
    const own = databaseUrl ? await connect({ databaseUrl, maxConnections: requests + 2 }) : undefined
    const connection = own ?? (await testConnection())
    try {
      const app = createApp({
        config: parseConfig({}),
        database: sharedDatabase(connection.db, connection.kind),
        now: () => now,
      })
      const site = await makeFacility(connection.db, { capacity: requests })
      const company = await makeUser(connection.db, 'company', { sessionAt: now })
      const pilot = await makePilot(connection.db, company.organisationId as string)
      const headers = { ...company.headers, 'content-type': 'application/json' }
      const body = JSON.stringify({
        facilityId: site.id,
        start: at(3 * day).toISOString(),
        end: at(3 * day + hour).toISOString(),
      })
      const responses = await Promise.all([
        ...Array.from({ length: requests / 2 }, () =>
          app.request(`/api/pilots/${pilot.id}/bookings`, { method: 'POST', headers, body }),
        ),
        app.request(`/api/pilots/${pilot.id}`, { method: 'DELETE', headers: company.headers }),
        ...Array.from({ length: requests / 2 }, () =>
          app.request(`/api/pilots/${pilot.id}/bookings`, { method: 'POST', headers, body }),
        ),
      ])
      const statuses = responses.map((r) => r.status)
      expect(statuses[requests / 2]).toBe(204)
      expect(statuses.filter((s) => s !== 201 && s !== 404 && s !== 204)).toEqual([])
      const left = await connection.db
        .selectFrom('bookings')
        .select('id')
        .where('pilot_id', '=', pilot.id)
        .execute()
      expect(left).toEqual([])
    } finally {
      await own?.close()
    }
  })
})

describe('withdrawing a request with a reason', () => {
  it('keeps the reason for the officials and the audit trail, and says it was withdrawn', async () => {
    const w = await world()
    const id = await w.booking(3)
    const reason = 'The luminaires arrive a month late.'
    const res = await w.request('POST', `/api/bookings/${id}/cancel`, w.company, { reason })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ state: 'cancelled', cancelReason: reason })

    const seen = await json(await w.request('GET', `/api/bookings/${id}`, w.official))
    expect(seen).toMatchObject({ state: 'cancelled', cancelReason: reason })
    const trail = await json(await w.request('GET', `/api/bookings/${id}/events`, w.official))
    expect(trail.items).toEqual([
      expect.objectContaining({
        action: 'booking.withdrawn',
        actor: expect.objectContaining({ id: w.company.id }),
        details: expect.objectContaining({ reason }),
      }),
    ])
    // The pilot's pages tell a withdrawal from a revocation.
    const pilot = await json(await w.request('GET', `/api/pilots/${w.pilot.id}`, w.company))
    expect(pilot.bookings).toEqual([expect.objectContaining({ id, cancellation: 'withdrawn' })])
    const list = await json(await w.request('GET', '/api/pilots?mine=true&limit=500', w.company))
    expect(list.items[0].bookings).toEqual([expect.objectContaining({ id, cancellation: 'withdrawn' })])
  })

  it('tells a revocation and an open booking apart from a withdrawal', async () => {
    const w = await world()
    const revoked = await w.booking(3, 'approved')
    const open = await w.booking(4)
    const res = await w.request('POST', `/api/bookings/${revoked}/cancel`, w.official, {
      reason: 'Road works',
    })
    expect(res.status).toBe(200)
    const page = await json(await w.request('GET', `/api/pilots/${w.pilot.id}/bookings`, w.company))
    expect(
      page.items.map((b: { id: string; cancellation: string | null }) => [b.id, b.cancellation]),
    ).toEqual([
      [revoked, 'revoked'],
      [open, null],
    ])
  })
})

describe('editing a pilot', () => {
  it('changes its texts, and refuses a stale version with 409 without changing them', async () => {
    const w = await world()
    const title = unique('Dimming at night')
    const res = await w.request('PATCH', `/api/pilots/${w.pilot.id}`, w.company, {
      title,
      website: 'https://lights.example',
      version: w.pilot.version,
    })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ title, website: 'https://lights.example', version: 2 })
    const stale = await w.request('PATCH', `/api/pilots/${w.pilot.id}`, w.company, {
      title: 'Overwritten',
      version: w.pilot.version,
    })
    expect(stale.status).toBe(409)
    expect((await json(stale)).code).toBe('version_conflict')
    expect((await json(await w.request('GET', `/api/pilots/${w.pilot.id}`, w.company))).title).toBe(title)
  })
})
