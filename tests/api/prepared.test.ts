/**
 * The two speed tricks of the database layer, each on both settings:
 * - named prepared statements (db/prepared.ts), switched by DATABASE_PREPARED — PostgreSQL only;
 * - precompiled queries (db/precompiled.ts) — on either database.
 */
import { type Kysely, sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { type Connection, connect } from '../../db/connect.ts'
import { precompiled } from '../../db/precompiled.ts'
import type { Database, Executor } from '../../db/types.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json } from '../helpers/app.ts'
import { day, fromNow, hour, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { makeArea, makeBooking, makeFacility, makePilot, uniqueAddress } from '../helpers/fixtures.ts'

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  console.info(
    'DATABASE_PREPARED tests skipped: they need PostgreSQL (DATABASE_URL); the embedded PGlite has no connection pool for the switch to change',
  )
}

/** What occupies some facilities in a range: the shape of the booking request's hottest read. */
function occupancyQuery(db: Executor, p: { facilityIds: string[]; from: Date; to: Date }) {
  return db
    .selectFrom('bookings')
    .select(['facility_id', 'occupied_from as starts', 'occupied_to as ends', 'state'])
    .where('facility_id', '=', sql<string>`any(${p.facilityIds})`)
    .where('state', 'in', ['pending', 'changes_requested', 'approved'])
    .where('occupied_from', '<', p.to)
    .where('occupied_to', '>', p.from)
    .orderBy('facility_id')
    .orderBy('occupied_from')
}

/** Every facility with its area, for the parameters of the queries below. */
function facilitiesOf(db: Kysely<Database>) {
  return db.selectFrom('facilities').select(['id', 'area_id']).orderBy('id').execute()
}

/** The statements kept prepared on the connection that runs this (one session: a pool of one). */
async function preparedOn(db: Kysely<Database>) {
  const { rows } = await sql<{
    name: string
    statement: string
  }>`select name, statement from pg_prepared_statements`.execute(db)
  return rows
}

describe.runIf(databaseUrl)(
  'DATABASE_PREPARED, named prepared statements (PostgreSQL only; skipped on the embedded PGlite, which the switch does not touch)',
  () => {
    const opened: Connection[] = []
    /** A pool of one connection, so that pg_prepared_statements shows the session the queries ran on. */
    async function open(preparedStatements: boolean) {
      const connection = await connect({ databaseUrl, preparedStatements, maxConnections: 1 })
      opened.push(connection)
      return connection
    }
    afterAll(async () => {
      await Promise.all(opened.map((c) => c.close()))
    })

    it('on: the connection keeps each parameterised statement prepared under a name', async () => {
      const { db } = await open(true)
      const query = db.selectFrom('categories').select(['id', 'name_en']).where('id', '=', 'lighting')
      expect(await query.execute()).toEqual([{ id: 'lighting', name_en: expect.any(String) }])
      const statements = await preparedOn(db)
      expect(statements).toContainEqual({
        name: expect.stringMatching(/^ct\d+$/),
        statement: query.compile().sql,
      })
    })

    it('off: nothing stays prepared on the connection', async () => {
      const { db } = await open(false)
      const query = db.selectFrom('categories').select(['id', 'name_en']).where('id', '=', 'lighting')
      expect(await query.execute()).toEqual([{ id: 'lighting', name_en: expect.any(String) }])
      expect(await preparedOn(db)).toEqual([])
    })

    it('both settings give the same rows', async () => {
      const on = await open(true)
      const off = await open(false)
      const facilities = await facilitiesOf(on.db)
      const ranges = [
        { from: fromNow(-30 * day), to: fromNow(60 * day) },
        { from: fromNow(0), to: fromNow(2 * hour) },
        { from: fromNow(-365 * day), to: fromNow(365 * day) },
      ]
      let rows = 0
      for (const range of ranges) {
        const p = { facilityIds: facilities.map((f) => f.id), ...range }
        // Run twice each: pg parses a named statement once, then only binds it.
        for (let run = 0; run < 2; run++) {
          const [a, b] = await Promise.all([
            occupancyQuery(on.db, p).execute(),
            occupancyQuery(off.db, p).execute(),
          ])
          expect(a).toEqual(b)
          rows += a.length
        }
      }
      expect(rows).toBeGreaterThan(0)
    })

    it('on: a migration that changes a prepared statement’s columns breaks it until the connection is new; off: it does not', async () => {
      // The reason docs/operations.md says to restart the server after such a migration.
      const table = `prepared_probe_${crypto.randomUUID().slice(0, 8)}`
      const on = await open(true)
      const off = await open(false)
      await sql`create table ${sql.table(table)} (id int primary key)`.execute(on.db)
      try {
        await sql`insert into ${sql.table(table)} (id) values (1)`.execute(on.db)
        const read = (db: Kysely<Database>) =>
          sql`select * from ${sql.table(table)} where id = ${1}`.execute(db)
        expect((await read(on.db)).rows).toEqual([{ id: 1 }])
        expect((await read(off.db)).rows).toEqual([{ id: 1 }])
        await sql`alter table ${sql.table(table)} add column note text`.execute(on.db)
        await expect(read(on.db)).rejects.toThrow('cached plan must not change result type')
        expect((await read(off.db)).rows).toEqual([{ id: 1, note: null }])
      } finally {
        await sql`drop table ${sql.table(table)}`.execute(on.db)
      }
    })

    it.each([
      ['on', true, '1'],
      ['off', false, '0'],
    ])('%s: a booking request through the app succeeds', async (_, prepared, setting) => {
      const connection = await open(prepared)
      const { db } = connection
      const app = createApp({
        config: parseConfig({ DATABASE_URL: databaseUrl, DATABASE_PREPARED: setting }),
        database: sharedDatabase(db, connection.kind),
        now: () => testNow,
        peerAddress: () => uniqueAddress(),
      })
      const area = await makeArea(db)
      const facility = await makeFacility(db, { areaId: area.id })
      const company = await makeUser(db, 'company')
      const pilot = await makePilot(db, company.organisationId as string)
      const start = fromNow(3 * day)
      const body = {
        facilityId: facility.id,
        start: start.toISOString(),
        end: fromNow(3 * day + 2 * hour).toISOString(),
      }
      const request = () =>
        app.request(`/api/pilots/${pilot.id}/bookings`, {
          method: 'POST',
          headers: { ...company.headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })

      const created = await request()
      expect(created.status).toBe(201)
      expect(await json(created)).toMatchObject({ state: 'pending', facilityId: facility.id })
      // The same request again meets the first one: capacity is checked on both settings.
      const refused = await request()
      expect(refused.status).toBe(409)
      expect((await json(refused)).code).toBe('capacity_exceeded')

      const inserts = (await preparedOn(db)).filter((s) => /insert into "bookings"/.test(s.statement))
      expect(inserts).toHaveLength(prepared ? 1 : 0)
    })
  },
)

describe('precompiled queries (db/precompiled.ts)', () => {
  it('return the same rows as the query Kysely builds with the values, for every value', async () => {
    const { db } = await testConnection()
    let builds = 0
    const occupancy = precompiled((q, p: { facilityIds: string[]; from: Date; to: Date }) => {
      builds++
      return occupancyQuery(q, p)
    })
    const facilities = await facilitiesOf(db)
    const ids = facilities.map((f) => f.id)
    const cases = [
      { facilityIds: ids, from: fromNow(-30 * day), to: fromNow(60 * day) },
      { facilityIds: ids.slice(0, 3), from: fromNow(-365 * day), to: fromNow(365 * day) },
      { facilityIds: ids, from: fromNow(0), to: fromNow(hour) },
      { facilityIds: [], from: fromNow(-365 * day), to: fromNow(365 * day) },
    ]
    let rows = 0
    for (const p of cases) {
      const expected = await occupancyQuery(db, p).execute()
      expect(await occupancy(db, p)).toEqual(expected)
      rows += expected.length
    }
    expect(rows).toBeGreaterThan(0)
    // Built and compiled once, then only run with new values.
    expect(builds).toBe(1)
  })

  it('run on the executor they are given, a transaction included', async () => {
    const { db } = await testConnection()
    const area = await makeArea(db)
    const facility = await makeFacility(db, { areaId: area.id })
    const company = await makeUser(db, 'company')
    const pilot = await makePilot(db, company.organisationId as string)
    const occupancy = precompiled((q, p: { facilityIds: string[]; from: Date; to: Date }) =>
      occupancyQuery(q, p),
    )
    const p = { facilityIds: [facility.id], from: fromNow(day), to: fromNow(2 * day) }
    // Compiled on the shared database first; the transaction's run must still see its own write.
    expect(await occupancy(db, p)).toEqual([])
    const rolledBack = new Error('roll back')
    await expect(
      db.transaction().execute(async (tx) => {
        await makeBooking(tx, {
          pilotId: pilot.id,
          facilityId: facility.id,
          start: fromNow(day + hour),
          end: fromNow(day + 3 * hour),
          departmentIds: [area.departmentId],
        })
        expect(await occupancy(tx, p)).toEqual([
          {
            facility_id: facility.id,
            starts: fromNow(day + hour),
            ends: fromNow(day + 3 * hour),
            state: 'pending',
          },
        ])
        throw rolledBack
      }),
    ).rejects.toBe(rolledBack)
    expect(await occupancy(db, p)).toEqual([])
  })

  it('refuse to run without a value for one of their parameters', async () => {
    const { db } = await testConnection()
    const facilityById = precompiled((q, p: { id: string }) =>
      q.selectFrom('facilities').select('name').where('id', '=', p.id),
    )
    await expect(facilityById(db, {} as { id: string })).rejects.toThrow('precompiled query: no value for id')
  })
})
