import { describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, nextCityTime } from '../helpers/clock.ts'
import { type FacilityFixture, makeArea, makeDepartment, makeFacility, unique } from '../helpers/fixtures.ts'

// Every date derives from this clock: the Monday, 10:00 in St. Petersburg, after the suite's now.
const now = nextCityTime(1, '10:00')
const at = (offset: number) => new Date(now.getTime() + offset).toISOString()

const send = (method: string, body: unknown, headers: Record<string, string>) => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** A fresh city corner: a managing and a sign-off department, their officials, two companies, a facility. */
async function world(facility: Omit<FacilityFixture, 'areaId'> = {}, categories = ['lighting']) {
  const t = await testApp({ now })
  const managing = await makeDepartment(t.db)
  const planning = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: managing.id, categories })
  const site = await makeFacility(t.db, { areaId: area.id, signoffDepartmentIds: [planning.id], ...facility })
  const lighting = await makeUser(t.db, 'official', { departmentId: managing.id, sessionAt: now })
  const planner = await makeUser(t.db, 'official', { departmentId: planning.id, sessionAt: now })
  await t.db.updateTable('users').set({ language: 'ru' }).where('id', '=', planner.id).execute()
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const rival = await makeUser(t.db, 'company', { sessionAt: now })
  const pilot = await json(
    await t.app.request(
      '/api/pilots',
      send(
        'POST',
        {
          title: unique('Adaptive lighting'),
          summary: 'Lamps that dim when nobody is there',
          category: 'lighting',
          publicDescription: 'We test adaptive dimming.',
          dataCollected: 'Counts of passers-by; no images.',
          contactEmail: 'pilot@company.example',
        },
        company.headers,
      ),
    ),
  )
  const request = (user: TestUser, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.request(
      `/api/pilots/${pilot.id}/bookings`,
      send('POST', { facilityId: site.id, ...body }, { ...user.headers, ...headers }),
    )
  const review = (user: TestUser, id: string, decision: string, note?: string) =>
    t.app.request(
      `/api/bookings/${id}/reviews`,
      send('POST', { decision, ...(note ? { note } : {}) }, user.headers),
    )
  return { ...t, managing, planning, area, site, lighting, planner, company, rival, pilot, request, review }
}

describe('requesting and deciding a booking', () => {
  it('needs every department’s approval, then shows the pilot to the public', async () => {
    const w = await world()
    const res = await w.request(w.company, {
      start: at(2 * day),
      end: at(2 * day + 3 * hour),
      note: 'Two luminaires',
    })
    expect(res.status).toBe(201)
    const booking = await json(res)
    expect(booking).toMatchObject({
      state: 'pending',
      pilotId: w.pilot.id,
      facilityId: w.site.id,
      note: 'Two luminaires',
      version: 1,
    })
    expect(
      booking.reviews
        .map((r: { departmentId: string; decision: string }) => [r.departmentId, r.decision])
        .sort(),
    ).toEqual(
      [
        [w.managing.id, 'pending'],
        [w.planning.id, 'pending'],
      ].sort(),
    )
    // Not public while pending.
    expect((await w.app.request(`/api/pilots/${w.pilot.id}`)).status).toBe(404)

    const first = await json(await w.review(w.lighting, booking.id, 'approve'))
    expect(first.state).toBe('pending')
    const second = await json(await w.review(w.planner, booking.id, 'approve'))
    expect(second.state).toBe('approved')
    expect(second.phase).toBe('upcoming')

    const pub = await json(await w.app.request(`/api/pilots/${w.pilot.id}`))
    expect(pub.phase).toBe('upcoming')
    expect(pub.bookings).toHaveLength(1)
    expect(pub.bookings[0].note).toBeNull() // the public view leaves notes out
    expect(pub.bookings[0].reviews[0].decidedBy).toBeNull()
    const upcoming = await json(await w.app.request(`/api/pilots?phase=upcoming&areaId=${w.area.id}`))
    expect(upcoming.items.map((p: { id: string }) => p.id)).toEqual([w.pilot.id])
    expect((await json(await w.app.request(`/api/pilots?phase=active&areaId=${w.area.id}`))).items).toEqual(
      [],
    )
    // The applicant sees who decided, by name, and never an e-mail address.
    const own = await json(await w.app.request(`/api/bookings/${booking.id}`, { headers: w.company.headers }))
    expect(
      own.reviews.every(
        (r: { decidedBy: string }) => typeof r.decidedBy === 'string' && !r.decidedBy.includes('@'),
      ),
    ).toBe(true)
  })

  it('rejects on any department’s rejection, with the reason shown to the applicant, and frees the slot', async () => {
    const w = await world()
    const slot = { start: at(2 * day), end: at(2 * day + hour) }
    const booking = await json(await w.request(w.company, slot))
    expect((await w.review(w.planner, booking.id, 'reject')).status).toBe(400) // a reason is required
    const rejected = await json(
      await w.review(w.planner, booking.id, 'reject', 'The lane is needed for a detour.'),
    )
    expect(rejected.state).toBe('rejected')
    const seen = await json(
      await w.app.request(`/api/bookings/${booking.id}`, { headers: w.company.headers }),
    )
    expect(
      seen.reviews.find((r: { departmentId: string }) => r.departmentId === w.planning.id),
    ).toMatchObject({
      decision: 'rejected',
      note: 'The lane is needed for a detour.',
    })
    expect((await w.review(w.lighting, booking.id, 'approve')).status).toBe(409)
    expect((await w.request(w.company, slot)).status).toBe(201)
  })

  it('goes back to the applicant on a request for changes, and an edit of times resets every sign-off', async () => {
    const w = await world()
    const booking = await json(await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) }))
    await w.review(w.lighting, booking.id, 'approve')
    const asked = await json(
      await w.review(w.planner, booking.id, 'request_changes', 'Start after the morning rush.'),
    )
    expect(asked.state).toBe('changes_requested')
    expect((await w.review(w.lighting, booking.id, 'approve')).status).toBe(409)

    const edited = await w.app.request(
      `/api/bookings/${booking.id}`,
      send(
        'PATCH',
        { start: at(2 * day + 2 * hour), end: at(2 * day + 4 * hour), version: asked.version },
        w.company.headers,
      ),
    )
    expect(edited.status).toBe(200)
    const body = await json(edited)
    expect(body.state).toBe('pending')
    expect(body.reviews.map((r: { decision: string }) => r.decision)).toEqual(['pending', 'pending'])
    // A stale version is refused.
    const stale = await w.app.request(
      `/api/bookings/${booking.id}`,
      send('PATCH', { note: 'x', version: asked.version }, w.company.headers),
    )
    expect(stale.status).toBe(409)
    expect((await json(stale)).code).toBe('version_conflict')
  })

  it('never changes an approved booking’s times, and lets the applicant withdraw it', async () => {
    const w = await world({ signoffDepartmentIds: [] })
    const booking = await json(await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) }))
    expect((await json(await w.review(w.lighting, booking.id, 'approve'))).state).toBe('approved')
    const edit = await w.app.request(
      `/api/bookings/${booking.id}`,
      send('PATCH', { end: at(2 * day + 2 * hour) }, w.company.headers),
    )
    expect(edit.status).toBe(409)
    expect((await json(edit)).code).toBe('invalid_state')
    const withdrawn = await w.app.request(
      `/api/bookings/${booking.id}/cancel`,
      send('POST', {}, w.company.headers),
    )
    expect((await json(withdrawn)).state).toBe('cancelled')
    expect(
      (await w.app.request(`/api/bookings/${booking.id}/cancel`, send('POST', {}, w.company.headers))).status,
    ).toBe(409)
  })

  it('lets a signing official revoke a booking only with a reason', async () => {
    const w = await world({ signoffDepartmentIds: [] })
    const booking = await json(await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) }))
    await w.review(w.lighting, booking.id, 'approve')
    const bare = await w.app.request(
      `/api/bookings/${booking.id}/cancel`,
      send('POST', {}, w.lighting.headers),
    )
    expect(bare.status).toBe(400)
    const revoked = await w.app.request(
      `/api/bookings/${booking.id}/cancel`,
      send('POST', { reason: 'Emergency repairs on the embankment.' }, w.lighting.headers),
    )
    expect(await json(revoked)).toMatchObject({
      state: 'cancelled',
      cancelReason: 'Emergency repairs on the embankment.',
    })
  })

  it('keeps the audit trail of every step, oldest first', async () => {
    const w = await world({ signoffDepartmentIds: [] })
    const booking = await json(await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) }))
    await w.review(w.lighting, booking.id, 'request_changes', 'Shorter, please.')
    await w.app.request(
      `/api/bookings/${booking.id}`,
      send('PATCH', { end: at(2 * day + 90 * 60_000) }, w.company.headers),
    )
    await w.review(w.lighting, booking.id, 'approve')
    const events = await json(
      await w.app.request(`/api/bookings/${booking.id}/events`, { headers: w.company.headers }),
    )
    expect(events.items.map((e: { action: string }) => e.action)).toEqual([
      'booking.requested',
      'review.changes_requested',
      'booking.edited',
      'review.approved',
    ])
    expect(events.items[1].actor).toMatchObject({ id: w.lighting.id, role: 'official' })
    expect(events.items[1].details).toMatchObject({
      note: 'Shorter, please.',
      before: { state: 'pending' },
      after: { state: 'changes_requested' },
    })
    expect(
      (await w.app.request(`/api/bookings/${booking.id}/events`, { headers: w.rival.headers })).status,
    ).toBe(404)
  })
})

describe('rules, refused with a sentence and nothing written', () => {
  it.each<[string, Omit<FacilityFixture, 'areaId'>, number, number, string, RegExp]>([
    [
      'too little notice',
      { leadTimeMinutes: 48 * 60 },
      3 * hour,
      hour,
      'lead_time',
      /starts in 3 hours; this site needs 2 days' notice/,
    ],
    ['too short', { minDurationMinutes: 120 }, 2 * day, hour, 'duration', /at least 2 hours/],
    ['too far ahead', { horizonDays: 30 }, 40 * day, hour, 'horizon', /up to 30 days ahead/],
    [
      'outside opening hours',
      { openingHours: [{ weekday: 3, opens: '09:00', closes: '18:00' }] },
      2 * day + 10 * hour,
      hour,
      'outside_opening_hours',
      /opening hours/,
    ],
    ['an unpublished site', { published: false }, 2 * day, hour, 'not_published', /not open for bookings/],
  ])('%s', async (_name, facility, offset, length, code, sentence) => {
    const w = await world(facility)
    const res = await w.request(w.company, { start: at(offset), end: at(offset + length) })
    expect(res.status).toBe(422)
    const body = await json(res)
    expect(body.code).toBe(code)
    expect(body.detail).toMatch(sentence)
    const written = await w.db
      .selectFrom('bookings')
      .where('facility_id', '=', w.site.id)
      .selectAll()
      .execute()
    expect(written).toEqual([])
  })

  it('refuses a closure, on the facility or on its whole area, naming its reason', async () => {
    const w = await world()
    await w.db
      .insertInto('closures')
      .values({ area_id: w.area.id, starts_at: at(5 * day), ends_at: at(6 * day), reason: 'City marathon.' })
      .execute()
    const res = await w.request(w.company, { start: at(5 * day + hour), end: at(5 * day + 2 * hour) })
    expect(res.status).toBe(422)
    const problem = await json(res)
    expect(problem).toMatchObject({ code: 'in_closure', detail: expect.stringContaining('City marathon.') })
    // What and when: the closure's own times, next to the field to change.
    expect(problem.errors).toEqual([
      { path: 'start', code: 'in_closure', message: problem.detail, start: at(5 * day), end: at(6 * day) },
    ])
  })

  it('refuses a category the area does not accept', async () => {
    const w = await world({}, ['tourism'])
    const res = await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) })
    expect((await json(res)).code).toBe('category_not_accepted')
  })

  it('counts setup and teardown against capacity: a booking in another’s teardown is refused', async () => {
    const w = await world({ signoffDepartmentIds: [] })
    await w.db
      .updateTable('facilities')
      .set({ setup_minutes: 30, teardown_minutes: 60 })
      .where('id', '=', w.site.id)
      .execute()
    expect((await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) })).status).toBe(201)
    const inTeardown = await w.request(w.company, {
      start: at(2 * day + 90 * 60_000),
      end: at(2 * day + 3 * hour),
    })
    expect(inTeardown.status).toBe(409)
    const problem = await json(inTeardown)
    expect(problem.code).toBe('capacity_exceeded')
    // It names the time that is taken: the new booking's setup (from 1 h) meets the first's
    // teardown (to 2 h).
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: 'start',
        code: 'capacity_exceeded',
        start: at(2 * day + hour),
        end: at(2 * day + 2 * hour),
      }),
    ])
    // Teardown [1h, 2h) and the next setup [2h, 2.5h) touch but do not overlap.
    expect(
      (await w.request(w.company, { start: at(2 * day + 150 * 60_000), end: at(2 * day + 4 * hour) })).status,
    ).toBe(201)
  })

  it('checks opening hours in the city’s zone across daylight saving (Europe/Madrid)', async () => {
    const madridNow = new Date('2031-03-17T10:00:00+01:00')
    const t = await testApp({ now: madridNow, timeZone: 'Europe/Madrid' })
    const area = await makeArea(t.db)
    // Sunday 2031-03-30: clocks go forward at 02:00. Open 08:00–20:00 local time.
    const site = await makeFacility(t.db, {
      areaId: area.id,
      openingHours: [{ weekday: 7, opens: '08:00', closes: '20:00' }],
    })
    const company = await makeUser(t.db, 'company', { sessionAt: madridNow })
    const pilot = await json(
      await t.app.request(
        '/api/pilots',
        send(
          'POST',
          {
            title: 'DST',
            summary: 's',
            category: 'lighting',
            publicDescription: 'd',
            dataCollected: 'd',
            contactEmail: 'a@b.example',
          },
          company.headers,
        ),
      ),
    )
    const ask = (start: string, end: string) =>
      t.app.request(
        `/api/pilots/${pilot.id}/bookings`,
        send('POST', { facilityId: site.id, start, end }, company.headers),
      )
    expect((await ask('2031-03-30T08:00:00+02:00', '2031-03-30T20:00:00+02:00')).status).toBe(201)
    const wrongOffset = await ask('2031-03-30T19:00:00+01:00', '2031-03-30T20:00:00+01:00')
    expect((await json(wrongOffset)).code).toBe('outside_opening_hours')
  })
})

describe('idempotency', () => {
  it('returns the first response for a retried request, and refuses the key for a different one', async () => {
    const w = await world({ capacity: 5 })
    const key = { 'idempotency-key': crypto.randomUUID() }
    const body = { start: at(2 * day), end: at(2 * day + hour) }
    const first = await w.request(w.company, body, key)
    const again = await w.request(w.company, body, key)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect((await json(again)).id).toBe((await json(first)).id)
    const rows = await w.db.selectFrom('bookings').where('facility_id', '=', w.site.id).selectAll().execute()
    expect(rows).toHaveLength(1)
    const different = await w.request(w.company, { ...body, end: at(2 * day + 2 * hour) }, key)
    expect(different.status).toBe(422)
    expect((await json(different)).code).toBe('idempotency_mismatch')
    // Without a key, the same body makes a second booking.
    expect((await w.request(w.company, body)).status).toBe(201)
  })
})

describe('idempotent pilot creation', () => {
  it('creates one pilot for a retried request', async () => {
    const w = await world()
    const body = {
      title: unique('Retried pilot'),
      summary: 's',
      category: 'lighting',
      publicDescription: 'd',
      dataCollected: 'd',
      contactEmail: 'a@b.example',
    }
    const headers = { ...w.company.headers, 'idempotency-key': crypto.randomUUID() }
    const first = await json(await w.app.request('/api/pilots', send('POST', body, headers)))
    const second = await json(await w.app.request('/api/pilots', send('POST', body, headers)))
    expect(second.id).toBe(first.id)
    const rows = await w.db.selectFrom('pilots').where('title', '=', body.title).selectAll().execute()
    expect(rows).toHaveLength(1)
  })
})

describe('visibility', () => {
  it('hides a pending booking and its pilot from other companies, other departments and visitors', async () => {
    const w = await world()
    const booking = await json(await w.request(w.company, { start: at(2 * day), end: at(2 * day + hour) }))
    const stranger = await makeUser(w.db, 'official', { sessionAt: now })
    for (const headers of [w.rival.headers, stranger.headers, {}]) {
      expect((await w.app.request(`/api/bookings/${booking.id}`, { headers })).status).toBe(404)
      expect((await w.app.request(`/api/pilots/${w.pilot.id}`, { headers })).status).toBe(404)
    }
    const rivalList = await json(await w.app.request('/api/bookings', { headers: w.rival.headers }))
    expect(rivalList.items.map((b: { id: string }) => b.id)).not.toContain(booking.id)
    const plannerList = await json(
      await w.app.request('/api/bookings?state=pending', { headers: w.planner.headers }),
    )
    expect(plannerList.items.map((b: { id: string }) => b.id)).toContain(booking.id)
    expect((await w.app.request(`/api/pilots/${w.pilot.id}`, { headers: w.planner.headers })).status).toBe(
      200,
    )
    const mine = await json(await w.app.request('/api/pilots?mine=true', { headers: w.company.headers }))
    expect(mine.items.find((p: { id: string }) => p.id === w.pilot.id)?.bookings).toHaveLength(1)
  })

  it('refuses a booking on another company’s pilot as if it did not exist', async () => {
    const w = await world()
    const res = await w.request(w.rival, { start: at(2 * day), end: at(2 * day + hour) })
    expect(res.status).toBe(404)
  })
})
