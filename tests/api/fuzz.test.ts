import fc from 'fast-check'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { testApp } from '../helpers/app.ts'

const numRuns = Number(process.env.FUZZ_RUNS ?? 12)

/** Path parameters: ids that exist nowhere, ids that are not ids, and worse (a NUL is sent as %00). */
const paramValue = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '0',
    '-1',
    '%00',
    '\u0000',
    'a\u0000b',
    '..',
    'null',
    'x'.repeat(300),
    '%E2%80%AE',
    '1e309',
  ),
)
/** A string PostgreSQL cannot store as text. */
const withNul = fc.constantFrom('\u0000', 'Smart\u0000poles', '\u0000\u0000')
const fieldNames = fc.constantFrom(
  'start',
  'end',
  'facilityId',
  'email',
  'password',
  'decision',
  'capacity',
  'geometry',
  'rules',
  'version',
  'name',
  'title',
  'reason',
  'note',
)
/** Bodies that are not what any route takes: wrong types, wrong shapes, broken JSON, NULs. */
const body = fc.oneof(
  fc.anything({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .dictionary(
      fieldNames,
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string()),
        fc.object(),
        fc.array(withNul, { minLength: 1, maxLength: 3 }),
        fc.record({ name: withNul, website: fc.constant('https://null.example') }),
      ),
    )
    .map((o) => JSON.stringify(o)),
  // Every field a NUL: bodies that some routes take whole ({ name } for a department).
  fc.dictionary(fieldNames, withNul, { minKeys: 1, maxKeys: 3 }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"a":', '[1,2', '\u0000', '{"start":"2027-13-45T25:61:00Z","end":1}', '"'.repeat(10)),
)
const query = fc
  .dictionary(
    fc.constantFrom(
      'limit',
      'cursor',
      'from',
      'to',
      'start',
      'end',
      'state',
      'kind',
      'areaId',
      'powerKwMin',
      'format',
      'timeZone',
      'q',
      'mine',
      'phase',
    ),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom('-1', '1e999', 'NaN', '', '2027-02-30'),
      withNul,
    ),
  )
  .map((q) => new URLSearchParams(q).toString())

/**
 * Tried on every route before the random inputs: a NUL wherever a route would store or search
 * text (PostgreSQL refuses U+0000 in text), in the path, the query and a body's strings, nested too.
 */
const nulSeeds: [string, string, string, 'admin' | 'company' | 'visitor'][] = [
  ['\u0000', JSON.stringify({ name: 'Roads\u0000', title: '\u0000', reason: '\u0000' }), 'q=%00', 'admin'],
  [
    crypto.randomUUID(),
    JSON.stringify({
      email: 'nul@fuzz.example',
      password: 'harbour-lights-at-dawn',
      name: 'Null',
      organisation: { name: 'Null\u0000 Ltd' },
    }),
    'q=lamp%00&from=%00',
    'visitor',
  ],
  [
    crypto.randomUUID(),
    JSON.stringify({ name: 'x\u0000', title: 'Smart\u0000poles' }),
    'state=%00',
    'company',
  ],
]

describe('malformed input to every route', () => {
  it('never gets a 5xx; errors are problem+json and write nothing', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const company = await makeUser(db, 'company')
    const routes = [
      ...new Set(
        app.routes
          .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
          .map((r) => `${r.method} ${r.path}`),
      ),
    ]
    const eventsBy = async (ids: string[]) =>
      (
        await db
          .selectFrom('events')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('actor_id', 'in', ids)
          .executeTakeFirstOrThrow()
      ).n
    let requests = 0
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string]
      await fc.assert(
        fc.asyncProperty(
          paramValue,
          body,
          query,
          fc.constantFrom('admin', 'company', 'visitor'),
          async (param, payload, qs, who) => {
            const path = template.replace(/:\w+/g, () => encodeURIComponent(param))
            const headers: Record<string, string> = { 'content-type': 'application/json' }
            if (who !== 'visitor')
              headers.authorization = (who === 'admin' ? admin : company).headers.authorization as string
            const before = await eventsBy([admin.id, company.id])
            const res = await app.request(`${path}?${qs}`, {
              method,
              headers,
              ...(method === 'GET' || method === 'HEAD' ? {} : { body: payload }),
            })
            requests++
            expect(res.status, `${method} ${path}?${qs} ${payload}`).toBeLessThan(500)
            if (res.status >= 400) {
              expect(res.headers.get('content-type'), `${method} ${path}`).toMatch(
                /^application\/problem\+json/,
              )
              expect(
                await eventsBy([admin.id, company.id]),
                `${method} ${path} wrote on a ${res.status}`,
              ).toBe(before)
            }
          },
        ),
        { numRuns, examples: nulSeeds },
      )
    }
    console.log(`fuzz: ${requests} requests to ${routes.length} routes, none answered 5xx`)
  }, 300_000)
})
