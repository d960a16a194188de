import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

const hour = 3_600_000
const day = 24 * hour
// Monday 2 June 2031, 22:00 in Moscow; the clock stands a week before. A night ends at 06:00.
const firstNight = Date.parse('2031-06-02T22:00:00+03:00')
const now = new Date(firstNight - 7 * day)
const night = (n: number) => ({
  start: new Date(firstNight + n * day).toISOString(),
  end: new Date(firstNight + n * day + 8 * hour).toISOString(),
})
const send = (method: string, headers: Record<string, string>, body: unknown) => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function world(required: string[] = ['insurance', 'permit']) {
  const t = await testApp({ now })
  const lighting = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: lighting.id, categories: ['lighting'] })
  const site = await makeFacility(t.db, { areaId: area.id })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const official = await makeUser(t.db, 'official', { departmentId: lighting.id, sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  await t.db
    .updateTable('facilities')
    .set({ required_documents: required as never })
    .where('id', '=', site.id)
    .execute()
  const hold = (kind: string, validUntil: string | null) =>
    t.db
      .insertInto('documents')
      .values({
        pilot_id: pilot.id,
        kind: kind as never,
        title: unique('Document'),
        valid_until: validUntil,
        file_name: 'policy.pdf',
        size: 1234,
        content_type: 'application/pdf',
        sha256: '0'.repeat(64),
        storage_key: unique('documents/key'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const book = (n: number, headers: Record<string, string> = {}) =>
    t.app.request(
      `/api/pilots/${pilot.id}/bookings`,
      send('POST', { ...company.headers, ...headers }, { facilityId: site.id, ...night(n) }),
    )
  const series = (until: string) =>
    t.app.request(
      `/api/pilots/${pilot.id}/series`,
      send('POST', company.headers, {
        facilityId: site.id,
        ...night(0),
        recurrence: { frequency: 'daily', until },
      }),
    )
  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('bookings')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('pilot_id', '=', pilot.id)
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { ...t, lighting, site, company, official, pilot, hold, book, series, count }
}

describe('a site declares the documents a booking needs', () => {
  it('an official of the managing department sets requiredDocuments, and the facility shows them', async () => {
    const w = await world([])
    const before = await json(await w.app.request(`/api/facilities/${w.site.id}`))
    expect(before.rules.requiredDocuments).toBeUndefined()
    const res = await w.app.request(
      `/api/facilities/${w.site.id}`,
      send('PATCH', w.official.headers, {
        rules: { requiredDocuments: ['insurance', 'safety_plan', 'insurance'] },
        version: before.version,
      }),
    )
    expect(res.status).toBe(200)
    const after = await json(await w.app.request(`/api/facilities/${w.site.id}`))
    expect(after.rules.requiredDocuments).toEqual(['insurance', 'safety_plan'])
  })

  it('refuses a kind that is not a document kind with 400', async () => {
    const w = await world([])
    const { version } = await json(await w.app.request(`/api/facilities/${w.site.id}`))
    const res = await w.app.request(
      `/api/facilities/${w.site.id}`,
      send('PATCH', w.official.headers, { rules: { requiredDocuments: ['passport'] }, version }),
    )
    expect(res.status).toBe(400)
  })
})

describe('a booking on a site that requires documents', () => {
  it('is refused with 422 missing_document naming each kind the pilot lacks, and nothing is written', async () => {
    const w = await world()
    const res = await w.book(0)
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = await json(res)
    expect(problem.code).toBe('missing_document')
    expect(problem.detail).toContain('insurance, permit')
    expect(problem.errors).toEqual([
      {
        path: 'requiredDocuments/insurance',
        code: 'missing_document',
        message: "The site requires the pilot's insurance; none is uploaded.",
      },
      {
        path: 'requiredDocuments/permit',
        code: 'missing_document',
        message: "The site requires the pilot's permit; none is uploaded.",
      },
    ])
    expect(await w.count()).toBe(0)
  })

  it('says so in Russian, with the same codes and paths', async () => {
    const w = await world()
    const problem = await json(await w.book(0, { 'accept-language': 'ru' }))
    expect(problem.title).toBe('Нет требуемого документа')
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      'requiredDocuments/insurance',
      'requiredDocuments/permit',
    ])
    expect(problem.errors[0].message).toContain('страховой полис')
  })

  it('passes when the pilot holds each kind valid until the day the booking ends, that day counting whole', async () => {
    const w = await world()
    await w.hold('insurance', '2031-06-03') // night 0 ends 06:00 on 3 June
    await w.hold('permit', '2032-01-01')
    const res = await w.book(0)
    expect(res.status).toBe(201)
  })

  it('is refused when a document expires before the booking ends, naming only that kind', async () => {
    const w = await world()
    await w.hold('insurance', '2031-06-02')
    await w.hold('permit', '2032-01-01')
    const problem = await json(await w.book(0))
    expect(problem.status).toBe(422)
    expect(problem.errors).toEqual([
      {
        path: 'requiredDocuments/insurance',
        code: 'missing_document',
        message: "The pilot's insurance is valid until 2031-06-02; the booking needs it until 2031-06-03.",
      },
    ])
    expect(await w.count()).toBe(0)
  })

  it('counts the longest-valid of several documents of a kind', async () => {
    const w = await world(['insurance'])
    await w.hold('insurance', '2031-05-01')
    await w.hold('insurance', '2031-12-31')
    expect((await w.book(0)).status).toBe(201)
  })

  it('checks a moved end again: an edit past the document’s date is refused', async () => {
    const w = await world(['insurance'])
    await w.hold('insurance', '2031-06-04')
    const booking = await json(await w.book(0))
    const later = night(3)
    const res = await w.app.request(
      `/api/bookings/${booking.id}`,
      send('PATCH', w.company.headers, { start: later.start, end: later.end, version: booking.version }),
    )
    expect(res.status).toBe(422)
    expect((await json(res)).errors[0].path).toBe('requiredDocuments/insurance')
    const ok = await w.app.request(
      `/api/bookings/${booking.id}`,
      send('PATCH', w.company.headers, { ...night(1), version: booking.version }),
    )
    expect(ok.status).toBe(200)
  })

  it('leaves sites that require nothing as they were', async () => {
    const w = await world([])
    expect((await w.book(0)).status).toBe(201)
  })
})

describe('a series on a site that requires documents', () => {
  it('needs each document valid until its last occurrence ends', async () => {
    const w = await world(['insurance'])
    await w.hold('insurance', '2031-06-10')
    // The last night starts on 15 June and ends on the 16th.
    const refused = await w.series('2031-06-15')
    expect(refused.status).toBe(422)
    const problem = await json(refused)
    expect(problem.code).toBe('missing_document')
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['requiredDocuments/insurance'])
    expect(problem.errors[0].message).toContain('until 2031-06-16')
    expect(await w.count()).toBe(0)
    await w.hold('insurance', '2031-06-16')
    const res = await w.series('2031-06-15')
    expect(res.status).toBe(201)
    expect((await json(res)).bookings).toHaveLength(14)
  })

  it('is refused naming the kind when none is held at all', async () => {
    const w = await world(['permit'])
    const problem = await json(await w.series('2031-06-05'))
    expect(problem.code).toBe('missing_document')
    expect(problem.errors[0].path).toBe('requiredDocuments/permit')
  })
})

describe('the review queue shows how the documents stand', () => {
  it('gives each item the site’s required kinds: valid, expiring before the booking ends, or missing', async () => {
    const w = await world(['insurance', 'permit', 'safety_plan'])
    await w.hold('insurance', '2031-12-31')
    await w.hold('permit', '2031-06-02')
    const open = await makeFacility(w.db, { areaId: w.site.areaId })
    const bookings = {
      strict: await makeBooking(w.db, {
        pilotId: w.pilot.id,
        facilityId: w.site.id,
        start: new Date(night(0).start),
        end: new Date(night(0).end),
        departmentIds: [w.lighting.id],
      }),
      free: await makeBooking(w.db, {
        pilotId: w.pilot.id,
        facilityId: open.id,
        start: new Date(night(1).start),
        end: new Date(night(1).end),
        departmentIds: [w.lighting.id],
      }),
    }
    const page = await json(
      await w.app.request('/api/review-queue?limit=50', { headers: w.official.headers }),
    )
    const item = (id: string) => page.items.find((i: { booking: { id: string } }) => i.booking.id === id)
    expect(item(bookings.strict).documents).toEqual([
      { kind: 'insurance', validUntil: '2031-12-31', status: 'valid' },
      { kind: 'permit', validUntil: '2031-06-02', status: 'expires' },
      { kind: 'safety_plan', validUntil: null, status: 'missing' },
    ])
    expect(item(bookings.free).documents).toEqual([])
  })
})
