import { type Kysely, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { encodeCursor } from '../../api/lib/cursor.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { type Connection, connect } from '../../db/connect.ts'
import type { Database } from '../../db/types.ts'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import {
  makeArea,
  makeDepartment,
  makeFacility,
  makePilot,
  testSquare,
  unique,
  uniqueAddress,
} from '../helpers/fixtures.ts'

const racers = 20

const send = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** Checks a problem+json answer (with one of `codes`, if several may do) and returns its body. */
async function expectProblem(res: Response, status: number, codes: string | string[]) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const body = await json(res)
  expect([codes].flat()).toContain(body.code)
  expect(body).toMatchObject({ status, type: `urn:city-testbed:problem:${body.code}` })
  expect(body.detail).toMatch(/^[A-Z].*\.$/)
  return body
}

let ownPool: Connection | undefined
afterAll(async () => {
  await ownPool?.close()
})

/**
 * The app over a database where `racers` requests are really in flight at once: on PostgreSQL a
 * pool with a connection for each (the shared test pool has fewer), on PGlite the one connection,
 * which serialises statements but not the requests' steps between them.
 */
async function raceApp() {
  const databaseUrl = process.env.DATABASE_URL
  if (databaseUrl) ownPool ??= await connect({ databaseUrl, maxConnections: racers + 2 })
  const connection = ownPool ?? (await testConnection())
  // Each request from a client of its own: the racers are different people, and the
  // registration limit (10 an hour per address) is not what these tests are about.
  const app = createApp({
    config: parseConfig({}),
    database: sharedDatabase(connection.db, connection.kind),
    now: () => testNow,
    peerAddress: () => uniqueAddress(),
  })
  return { app, db: connection.db, kind: connection.kind }
}

/** Sends `count` copies of one request at the same moment. */
function simultaneously(count: number, request: () => Response | Promise<Response>) {
  return Promise.all(Array.from({ length: count }, request))
}

async function countUsers(db: Kysely<Database>, email: string) {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirstOrThrow()
  return row.n
}

/**
 * A taken e-mail is `email_taken` whichever check finds it: the look before inserting, or the
 * database's unique index for a request that passed the look while another committed.
 */
const emailTakenCodes = ['email_taken']

async function expectEmailTaken(responses: Response[]) {
  const codes: string[] = []
  for (const res of responses) {
    const body = await expectProblem(res, 409, emailTakenCodes)
    if (body.code === 'email_taken') {
      expect(body.errors).toEqual([{ path: 'email', message: 'is taken by another account' }])
    }
    codes.push(body.code)
  }
  return codes
}

describe('unique constraints: a duplicate is a 409 problem, never a 500', () => {
  it(`gives one of ${racers} simultaneous registrations with one e-mail the account, and the rest 409`, async () => {
    const { app, db, kind } = await raceApp()
    const email = `${unique('racer').replace(' ', '-')}@test.example`
    const organisation = unique('Racing Sensors')
    const responses = await simultaneously(racers, () =>
      app.request(
        '/api/auth/register',
        send('POST', {
          email,
          password: 'harbour-lights-at-dawn',
          name: 'Kari Nieminen',
          organisation: { name: organisation },
        }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    const codes = await expectEmailTaken(responses.filter((r) => r.status !== 201))
    expect(codes).toHaveLength(racers - 1)
    console.log(`register race on ${kind}: ${codes.filter((c) => c === 'email_taken').length} email_taken`)
    // The losers' organisations went with their transactions.
    expect(await countUsers(db, email)).toBe(1)
    const orgs = await db
      .selectFrom('organisations')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('name', '=', organisation)
      .executeTakeFirstOrThrow()
    expect(orgs.n).toBe(1)
  }, 60_000)

  it(`gives one of ${racers} simultaneous accounts an admin makes with one e-mail the address, and the rest 409`, async () => {
    const { app, db } = await raceApp()
    const admin = await makeUser(db, 'admin')
    const company = await makeUser(db, 'company')
    const email = `${unique('twin').replace(' ', '-')}@test.example`
    const responses = await simultaneously(racers, () =>
      app.request(
        '/api/users',
        send(
          'POST',
          {
            email,
            password: testPassword,
            name: 'Twin',
            role: 'company',
            organisationId: company.organisationId,
          },
          admin.headers,
        ),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    expect(await expectEmailTaken(responses.filter((r) => r.status !== 201))).toHaveLength(racers - 1)
    expect(await countUsers(db, email)).toBe(1)
  }, 60_000)

  it('answers a department name that is taken, on create and on rename, with 409 conflict', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const taken = await makeDepartment(db)
    const other = await makeDepartment(db)
    await expectProblem(
      await app.request('/api/departments', send('POST', { name: taken.name }, admin.headers)),
      409,
      'conflict',
    )
    await expectProblem(
      await app.request(`/api/departments/${other.id}`, send('PATCH', { name: taken.name }, admin.headers)),
      409,
      'conflict',
    )
    const rows = await db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('id', 'in', [taken.id, other.id])
      .execute()
    expect(Object.fromEntries(rows.map((r) => [r.id, r.name]))).toEqual({
      [taken.id]: taken.name,
      [other.id]: other.name,
    })
    const events = await db
      .selectFrom('events')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('actor_id', '=', admin.id)
      .executeTakeFirstOrThrow()
    expect(events.n).toBe(0)
  })

  it(`lets one of ${racers} simultaneous departments with one name through`, async () => {
    const { app, db } = await raceApp()
    const admin = await makeUser(db, 'admin')
    const name = unique('Twin Department')
    const responses = await simultaneously(racers, () =>
      app.request('/api/departments', send('POST', { name }, admin.headers)),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    for (const res of responses.filter((r) => r.status !== 201)) await expectProblem(res, 409, 'conflict')
    const rows = await db.selectFrom('departments').select('id').where('name', '=', name).execute()
    expect(rows).toHaveLength(1)
  })

  it('takes a category or sign-off department named twice once, also when edits race', async () => {
    const { app, db } = await raceApp()
    const department = await makeDepartment(db)
    const official = await makeUser(db, 'official', { departmentId: department.id })
    const signoff = await makeDepartment(db)
    const area = await app.request(
      '/api/areas',
      send(
        'POST',
        {
          name: unique('Twice Area'),
          categories: ['lighting', 'lighting'],
          geometry: testSquare,
        },
        official.headers,
      ),
    )
    expect(area.status).toBe(201)
    expect((await json(area)).categories).toEqual(['lighting'])
    const facility = await makeFacility(db, {
      areaId: (await makeArea(db, { departmentId: department.id })).id,
    })
    const edits = await simultaneously(10, () =>
      app.request(
        `/api/facilities/${facility.id}`,
        send('PATCH', { signoffDepartmentIds: [signoff.id, signoff.id] }, official.headers),
      ),
    )
    expect(edits.map((r) => r.status)).toEqual(Array(10).fill(200))
    const signoffs = await db
      .selectFrom('facility_signoff_departments')
      .select('department_id')
      .where('facility_id', '=', facility.id)
      .execute()
    expect(signoffs).toEqual([{ department_id: signoff.id }])
  })

  it('answers simultaneous requests with one Idempotency-Key alike, with one pilot made', async () => {
    const { app, db } = await raceApp()
    const company = await makeUser(db, 'company')
    const title = unique('Once only')
    const key = crypto.randomUUID()
    const responses = await simultaneously(10, () =>
      app.request(
        '/api/pilots',
        send(
          'POST',
          {
            title,
            summary: 'Sent twice by a nervous client',
            category: 'lighting',
            publicDescription: 'What and why',
            dataCollected: 'Counts only',
            contactEmail: 'pilot@test.example',
          },
          { ...company.headers, 'idempotency-key': key },
        ),
      ),
    )
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201))
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json(r)).id)))
    expect(ids.size).toBe(1)
    const pilots = await db.selectFrom('pilots').select('id').where('title', '=', title).execute()
    expect(pilots).toHaveLength(1)
  })
})

describe('the error renderer turns constraint violations from either database into 409s', () => {
  /** The error the database itself raises for `statement`, run in a transaction that is rolled back. */
  async function databaseError(db: Kysely<Database>, statement: (tx: Kysely<Database>) => Promise<unknown>) {
    try {
      await db.transaction().execute(async (tx) => {
        await statement(tx)
      })
    } catch (error) {
      return error
    }
    throw new Error('the statement did not fail')
  }

  /** What the API answers when a handler meets `error`, e.g. after losing a race to a duplicate. */
  async function answerTo(error: unknown) {
    const { app } = await testApp()
    app.get('/api/edges/raise', () => {
      throw error
    })
    return app.request('/api/edges/raise')
  }

  it('answers a duplicate e-mail with 409 email_taken on the email field, without quoting it', async () => {
    const { db } = await testApp()
    const user = await makeUser(db, 'company')
    const error = await databaseError(db, (tx) =>
      tx
        .insertInto('users')
        .values({
          email: user.email.toUpperCase(),
          name: 'Copy',
          password_hash: 'x',
          role: 'admin',
        })
        .execute(),
    )
    const res = await answerTo(error)
    const body = await expectProblem(res, 409, 'email_taken')
    expect(body.errors).toEqual([{ path: 'email', message: 'is taken by another account' }])
    expect(JSON.stringify(body).toLowerCase()).not.toContain(user.email.toLowerCase())
    expect(await countUsers(db, user.email)).toBe(1)
  })

  it('answers a duplicate department name with 409 conflict on the name field', async () => {
    const { db } = await testApp()
    const taken = await makeDepartment(db)
    const error = await databaseError(db, (tx) =>
      tx.insertInto('departments').values({ name: taken.name }).execute(),
    )
    const body = await expectProblem(await answerTo(error), 409, 'conflict')
    expect(body.errors).toEqual([{ path: 'name', message: 'is taken by another department' }])
  })

  it('answers a duplicate no client can name with 409 conflict and nothing of the database', async () => {
    const { db } = await testApp()
    const user = await makeUser(db, 'company')
    const session = await db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow()
    const error = await databaseError(db, (tx) =>
      tx
        .insertInto('sessions')
        .values({ user_id: user.id, token_hash: session.token_hash, expires_at: fromNow(day) })
        .execute(),
    )
    const body = await expectProblem(await answerTo(error), 409, 'conflict')
    expect(body.errors).toBeUndefined()
    expect(JSON.stringify(body)).not.toMatch(/sessions|token_hash|duplicate key/)
  })

  it('answers an exclusion violation (two holds on one span) with 409 capacity_exceeded', async () => {
    const { db } = await testApp()
    const facility = await makeFacility(db)
    const span = `[${fromNow(day).toISOString()},${fromNow(2 * day).toISOString()})`
    // No table has an exclusion constraint; a temporary one in a rolled-back transaction raises
    // the database's own 23P01 without touching the shared schema.
    const error = await databaseError(db, async (tx) => {
      await sql`create temporary table edge_holds (facility_id uuid, during tstzrange,
        exclude using gist (facility_id with =, during with &&)) on commit drop`.execute(tx)
      await sql`insert into edge_holds values (${facility.id}, ${span}::tstzrange)`.execute(tx)
      await sql`insert into edge_holds values (${facility.id}, ${span}::tstzrange)`.execute(tx)
    })
    await expectProblem(await answerTo(error), 409, 'capacity_exceeded')
  })
})

describe('NUL characters: 400 validation_failed naming the field, and nothing written', () => {
  const nul = 'must not contain a NUL character'

  async function company() {
    const t = await testApp()
    const user = await makeUser(t.db, 'company')
    const pilotCount = async () =>
      (
        await t.db
          .selectFrom('pilots')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('organisation_id', '=', user.organisationId as string)
          .executeTakeFirstOrThrow()
      ).n
    return { ...t, user, pilotCount }
  }

  const pilotBody = (fields: Record<string, unknown> = {}) => ({
    title: unique('Pilot'),
    summary: 'Smart poles',
    category: 'lighting',
    publicDescription: 'What and why',
    dataCollected: 'Counts only',
    contactEmail: 'pilot@test.example',
    ...fields,
  })

  it('refuses a NUL in the query string, naming the parameter', async () => {
    const { app, user, pilotCount } = await company()
    const search = await expectProblem(await app.request('/api/facilities?q=%00'), 400, 'validation_failed')
    expect(search.errors).toEqual([{ path: 'q', message: nul }])
    expect(search.detail).toBe(`Invalid query string: q ${nul}.`)
    const write = await app.request('/api/pilots?via=a%00b', send('POST', pilotBody(), user.headers))
    expect((await expectProblem(write, 400, 'validation_failed')).errors).toEqual([
      { path: 'via', message: nul },
    ])
    expect(await pilotCount()).toBe(0)
  })

  it('refuses a NUL in a path segment', async () => {
    const { app, db, user } = await company()
    const facility = await makeFacility(db)
    const read = await expectProblem(
      await app.request(`/api/facilities/${facility.id}%00`),
      400,
      'validation_failed',
    )
    expect(read.errors).toEqual([{ path: '(path)', message: nul }])
    expect(read.detail).toBe(`The path ${nul}.`)
    const pilot = await makePilot(db, user.organisationId as string)
    const start = fromNow(3 * day)
    const write = await app.request(
      `/api/pilots/${pilot.id}%00/bookings`,
      send(
        'POST',
        {
          facilityId: facility.id,
          start: start.toISOString(),
          end: fromNow(3 * day + day / 12).toISOString(),
        },
        user.headers,
      ),
    )
    await expectProblem(write, 400, 'validation_failed')
    const bookings = await db.selectFrom('bookings').select('id').where('pilot_id', '=', pilot.id).execute()
    expect(bookings).toEqual([])
  })

  it('refuses a NUL in a top-level JSON string, naming the field', async () => {
    const { app, user, pilotCount } = await company()
    const res = await app.request(
      '/api/pilots',
      send('POST', pilotBody({ title: 'Smart\u0000poles' }), user.headers),
    )
    const body = await expectProblem(res, 400, 'validation_failed')
    expect(body.errors).toEqual([{ path: 'title', message: nul }])
    expect(body.detail).toBe(`Invalid request body: title ${nul}.`)
    expect(await pilotCount()).toBe(0)
  })

  it('refuses a NUL in a nested object, naming its path', async () => {
    const { app, db } = await testApp()
    const email = `${unique('nul').replace(' ', '-')}@test.example`
    const register = await app.request(
      '/api/auth/register',
      send('POST', {
        email,
        password: 'harbour-lights-at-dawn',
        name: 'Null Island',
        organisation: { name: 'Null\u0000Island Ltd', website: 'https://null.example' },
      }),
    )
    const body = await expectProblem(register, 400, 'validation_failed')
    expect(body.errors).toEqual([{ path: 'organisation.name', message: nul }])
    expect(await countUsers(db, email)).toBe(0)

    const department = await makeDepartment(db)
    const official = await makeUser(db, 'official', { departmentId: department.id })
    const facility = await makeFacility(db, {
      areaId: (await makeArea(db, { departmentId: department.id })).id,
    })
    const edit = await app.request(
      `/api/facilities/${facility.id}`,
      send('PATCH', { specs: { accessNotes: 'Key at the\u0000gate' } }, official.headers),
    )
    expect((await expectProblem(edit, 400, 'validation_failed')).errors).toEqual([
      { path: 'specs.accessNotes', message: nul },
    ])
    const row = await db
      .selectFrom('facilities')
      .select(['version', 'access_notes'])
      .where('id', '=', facility.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ version: 1, access_notes: null })
  })

  it('refuses a NUL in an array element and in a field name, naming every place', async () => {
    const { app, db, user, pilotCount } = await company()
    const official = await makeUser(db, 'official')
    const area = await app.request(
      '/api/areas',
      send(
        'POST',
        { name: unique('Area'), categories: ['lighting', 'digital\u0000'], geometry: { type: 'Point' } },
        official.headers,
      ),
    )
    expect((await expectProblem(area, 400, 'validation_failed')).errors).toEqual([
      { path: 'categories.1', message: nul },
    ])
    const named = await app.request(
      '/api/pilots',
      send('POST', { ...pilotBody({ summary: '\u0000' }), 'note\u0000': 'ignored?' }, user.headers),
    )
    expect((await expectProblem(named, 400, 'validation_failed')).errors).toEqual(
      expect.arrayContaining([
        { path: 'summary', message: nul },
        { path: '(body)', message: 'has a field whose name contains a NUL character' },
      ]),
    )
    expect(await pilotCount()).toBe(0)
  })

  it('takes the text "\\u0000" itself, a backslash and five characters, as it is', async () => {
    const { app, user } = await company()
    const res = await app.request(
      '/api/pilots',
      send('POST', pilotBody({ summary: 'The escape \\u0000 is refused; this text is not.' }), user.headers),
    )
    expect(res.status).toBe(201)
    expect((await json(res)).summary).toBe('The escape \\u0000 is refused; this text is not.')
  })
})

describe('cursors keyed by a date', () => {
  it.each([
    ['not a date', 'abc'],
    ['year 0', '0000-01-01T00:00:00.000Z'],
    ['a word PostgreSQL would read as a date', 'yesterday'],
    ['a date without a time', '2031-03-12'],
    ['an impossible day', '2031-02-30T00:00:00.000Z'],
  ])('answer 400 for a forged key (%s) in my bookings and a pilot’s bookings', async (_, key) => {
    const { app, db } = await testApp()
    const company = await makeUser(db, 'company')
    const pilot = await makePilot(db, company.organisationId as string)
    const cursor = encodeCursor({ key, id: crypto.randomUUID() })
    for (const path of [
      `/api/bookings?cursor=${cursor}`,
      `/api/pilots/${pilot.id}/bookings?cursor=${cursor}`,
    ]) {
      const res = await app.request(path, { headers: company.headers })
      expect(res.status, path).toBe(400)
      expect((await json(res)).errors).toEqual([{ path: 'cursor', message: 'is not a valid cursor' }])
    }
  })
})
