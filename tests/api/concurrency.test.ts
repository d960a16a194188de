import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { connect } from '../../db/connect.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json } from '../helpers/app.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { makeArea, makeFacility, makePilot } from '../helpers/fixtures.ts'

const requests = 50

describe('capacity under concurrency', () => {
  it.each([1, 3])(
    `lets exactly %i of ${requests} simultaneous requests for one slot through`,
    async (capacity) => {
      // On PostgreSQL, a pool with a connection for every request, so all of them are in flight
      // at once and meet at the facility's row lock; PGlite has one connection and serialises.
      const databaseUrl = process.env.DATABASE_URL
      const own = databaseUrl ? await connect({ databaseUrl, maxConnections: requests + 2 }) : undefined
      const connection = own ?? (await testConnection())
      try {
        const app = createApp({
          config: parseConfig({}),
          database: sharedDatabase(connection.db, connection.kind),
          now: () => testNow,
        })
        const area = await makeArea(connection.db)
        const facility = await makeFacility(connection.db, { areaId: area.id, capacity })
        const company = await makeUser(connection.db, 'company')
        const pilot = await makePilot(connection.db, company.organisationId as string)
        const start = fromNow(3 * day)
        const body = JSON.stringify({
          facilityId: facility.id,
          start: start.toISOString(),
          end: new Date(start.getTime() + 2 * 3600 * 1000).toISOString(),
        })
        const began = performance.now()
        const responses = await Promise.all(
          Array.from({ length: requests }, () =>
            app.request(`/api/pilots/${pilot.id}/bookings`, {
              method: 'POST',
              headers: { ...company.headers, 'content-type': 'application/json' },
              body,
            }),
          ),
        )
        const elapsed = performance.now() - began
        const statuses = responses.map((r) => r.status)
        const codes = await Promise.all(
          responses.filter((r) => r.status !== 201).map(async (r) => (await json(r)).code),
        )
        console.log(
          `capacity ${capacity} on ${connection.kind}: ${requests} simultaneous requests, ${statuses.filter((s) => s === 201).length} won, ${elapsed.toFixed(0)} ms`,
        )
        expect(statuses.filter((s) => s === 201)).toHaveLength(capacity)
        expect(statuses.filter((s) => s === 409)).toHaveLength(requests - capacity)
        expect(new Set(codes)).toEqual(new Set(['capacity_exceeded']))
        const held = await connection.db
          .selectFrom('bookings')
          .select('id')
          .where('facility_id', '=', facility.id)
          .where('state', 'in', ['pending', 'changes_requested', 'approved'])
          .execute()
        expect(held).toHaveLength(capacity)
      } finally {
        await own?.close()
      }
    },
    60_000,
  )
})
