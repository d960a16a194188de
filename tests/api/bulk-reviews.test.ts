import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const now = testNow

/** Two departments with a site each, an official of the first, and a company's pilot. */
async function setting() {
  const t = await testApp({ now })
  const department = await makeDepartment(t.db)
  const other = await makeDepartment(t.db)
  const facility = await makeFacility(t.db, {
    areaId: (await makeArea(t.db, { departmentId: department.id })).id,
  })
  const elsewhere = await makeFacility(t.db, {
    areaId: (await makeArea(t.db, { departmentId: other.id })).id,
  })
  const official = await makeUser(t.db, 'official', { departmentId: department.id })
  const company = await makeUser(t.db, 'company')
  const pilot = await makePilot(t.db, company.organisationId as string)
  let slot = 0
  const booking = (facilityId: string, departmentId: string, state?: 'approved') => {
    slot += 1
    const start = new Date(now.getTime() + (2 + slot) * day)
    return makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId,
      start,
      end: new Date(start.getTime() + hour),
      departmentIds: [departmentId],
      createdBy: company.id,
      ...(state ? { state } : {}),
    })
  }
  const bulk = (body: unknown, headers = official.headers) =>
    t.app.request('/api/reviews/bulk', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  /** A series of `count` pending occurrences on `facilityId`, as one request for it makes. */
  const series = async (facilityId: string, departmentId: string, count: number) => {
    const row = await t.db
      .insertInto('series')
      .values({ pilot_id: pilot.id, facility_id: facilityId, frequency: 'daily', until: '2099-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const ids: string[] = []
    for (let i = 0; i < count; i += 1) ids.push(await booking(facilityId, departmentId))
    await t.db.updateTable('bookings').set({ series_id: row.id }).where('id', 'in', ids).execute()
    return { id: row.id, bookings: ids }
  }
  return { ...t, department, other, facility, elsewhere, official, company, booking, bulk, series }
}

type Setting = Awaited<ReturnType<typeof setting>>

const stateOf = async (s: Setting, id: string) =>
  (await s.db.selectFrom('bookings').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state

const messagesAbout = async (s: Setting) =>
  s.db
    .selectFrom('outbox')
    .select(['template', 'body', 'payload'])
    .where('recipient_user_id', '=', s.company.id)
    .execute()

describe('POST /api/reviews/bulk', () => {
  it('decides each booking on its own: one approved, one stale, one of another department', async () => {
    const s = await setting()
    const fresh = await s.booking(s.facility.id, s.department.id)
    const stale = await s.booking(s.facility.id, s.department.id, 'approved')
    const foreign = await s.booking(s.elsewhere.id, s.other.id)
    const res = await s.bulk({ bookingIds: [fresh, stale, foreign], decision: 'approve' })
    expect(res.status).toBe(200)
    expect((await json(res)).results).toEqual([
      { bookingId: fresh, status: 200 },
      { bookingId: stale, status: 409, code: 'invalid_state' },
      { bookingId: foreign, status: 404, code: 'not_found' },
    ])
    expect(await stateOf(s, fresh)).toBe('approved')
    expect(await stateOf(s, foreign)).toBe('pending')
    const messages = await messagesAbout(s)
    expect(messages.map((m) => m.template)).toEqual(['booking.approved'])
  })

  it('decides a series for every waiting occurrence, beside single bookings, each on its own', async () => {
    const s = await setting()
    const fresh = await s.booking(s.facility.id, s.department.id)
    const stale = await s.booking(s.facility.id, s.department.id, 'approved')
    const mine = await s.series(s.facility.id, s.department.id, 3)
    const foreign = await s.series(s.elsewhere.id, s.other.id, 2)
    const res = await s.bulk({
      bookingIds: [fresh, stale],
      seriesIds: [mine.id, foreign.id],
      decision: 'request_changes',
      note: 'Move it an hour later',
    })
    expect(res.status).toBe(200)
    expect((await json(res)).results).toEqual([
      { bookingId: fresh, status: 200 },
      { bookingId: stale, status: 409, code: 'invalid_state' },
      { seriesId: mine.id, status: 200, decided: 3 },
      { seriesId: foreign.id, status: 404, code: 'not_found', decided: 0 },
    ])
    for (const id of [fresh, ...mine.bookings]) expect(await stateOf(s, id)).toBe('changes_requested')
    for (const id of foreign.bookings) expect(await stateOf(s, id)).toBe('pending')
    const messages = await messagesAbout(s)
    expect(messages.map((m) => m.template).sort()).toEqual([
      'booking.changes_requested',
      'series.changes_requested',
    ])
    const again = await s.bulk({ seriesIds: [mine.id], decision: 'approve' })
    expect((await json(again)).results).toEqual([
      { seriesId: mine.id, status: 409, code: 'invalid_state', decided: 0 },
    ])
  })

  it('rejects with one note, and each applicant is told with that note', async () => {
    const s = await setting()
    const ids = [
      await s.booking(s.facility.id, s.department.id),
      await s.booking(s.facility.id, s.department.id),
    ]
    const res = await s.bulk({ bookingIds: ids, decision: 'reject', note: 'The square is being repaved' })
    expect((await json(res)).results.map((r: { status: number }) => r.status)).toEqual([200, 200])
    for (const id of ids) expect(await stateOf(s, id)).toBe('rejected')
    const messages = await messagesAbout(s)
    expect(messages.map((m) => m.template)).toEqual(['booking.rejected', 'booking.rejected'])
    for (const m of messages) expect(m.body).toContain('The square is being repaved')
    expect(messages.map((m) => (m.payload as { bookingId: string }).bookingId).sort()).toEqual(
      [...ids].sort(),
    )
  })

  it('answers 400 for the whole request: no note, more than 200 ids, a repeated id', async () => {
    const s = await setting()
    const id = await s.booking(s.facility.id, s.department.id)
    const tooMany = Array.from({ length: 201 }, () => crypto.randomUUID())
    for (const body of [
      { bookingIds: [id], decision: 'reject' },
      { bookingIds: tooMany, decision: 'approve' },
      { bookingIds: [id, id], decision: 'approve' },
      { bookingIds: [], decision: 'approve' },
      { decision: 'approve' },
      { seriesIds: [id, id], decision: 'approve' },
      { bookingIds: tooMany.slice(0, 100), seriesIds: tooMany.slice(100), decision: 'approve' },
    ]) {
      const res = await s.bulk(body)
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect((await json(res)).code).toBe('validation_failed')
    }
    expect(await stateOf(s, id)).toBe('pending')
    expect(await messagesAbout(s)).toEqual([])
  })

  it('is for officials only', async () => {
    const s = await setting()
    const id = await s.booking(s.facility.id, s.department.id)
    expect((await s.bulk({ bookingIds: [id], decision: 'approve' }, s.company.headers)).status).toBe(403)
    expect((await s.bulk({ bookingIds: [id], decision: 'approve' }, {})).status).toBe(401)
    expect(await stateOf(s, id)).toBe('pending')
  })
})
