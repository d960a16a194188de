import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { encodeCursor } from '../../api/lib/cursor.ts'
import { remindOverdueResults } from '../../api/services/results.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, minute, testClock, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeFacility, makePilot } from '../helpers/fixtures.ts'

const results = {
  summary: 'Fewer lamps failed',
  findings: 'Dimming saved 31% of the energy.',
  dataUrl: 'https://data.example/x',
}

async function setting() {
  const clock = testClock(testNow)
  const t = await testApp({ clock: clock.now })
  const area = await makeArea(t.db)
  const site = await makeFacility(t.db, { areaId: area.id })
  const company = await makeUser(t.db, 'company')
  const colleague = await makeUser(t.db, 'company', { organisationId: company.organisationId as string })
  const rival = await makeUser(t.db, 'company')
  const official = await makeUser(t.db, 'official', { departmentId: area.departmentId })
  const otherOfficial = await makeUser(t.db, 'official')
  const admin = await makeUser(t.db, 'admin')
  const pilot = await makePilot(t.db, company.organisationId as string)
  await t.db.updateTable('pilots').set({ created_by: company.id }).where('id', '=', pilot.id).execute()
  const start = new Date(testNow.getTime() + 3 * day)
  const end = new Date(start.getTime() + 5 * day)
  await makeBooking(t.db, {
    pilotId: pilot.id,
    facilityId: site.id,
    start,
    end,
    state: 'approved',
    departmentIds: [area.departmentId],
  })
  const send = async (method: string, path: string, user: TestUser | null, body?: unknown) =>
    t.app.request(`/api${path}`, {
      method,
      headers: { ...(user?.headers ?? {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const post = (user: TestUser | null, body: unknown = results) =>
    send('POST', `/pilots/${pilot.id}/results`, user, body)
  return {
    ...t,
    clock,
    site,
    area,
    company,
    colleague,
    rival,
    official,
    otherOfficial,
    admin,
    pilot,
    start,
    end,
    send,
    post,
  }
}

describe('POST /api/pilots/:id/results', () => {
  it('waits for the first approved booking to start, then publishes (201) and replaces (200)', async () => {
    const s = await setting()
    const early = await s.post(s.company)
    expect(early.status).toBe(409)
    expect((await json(early)).code).toBe('invalid_state')

    s.clock.set(s.start)
    const first = await s.post(s.company)
    expect(first.status).toBe(201)
    const published = await json(first)
    expect(published).toMatchObject({ pilotId: s.pilot.id, ...results, publishedAt: s.start.toISOString() })

    s.clock.advance(hour)
    const second = await s.post(s.colleague, { summary: 'Revised', findings: 'More data.' })
    expect(second.status).toBe(200)
    expect(await json(second)).toMatchObject({
      summary: 'Revised',
      findings: 'More data.',
      dataUrl: null,
      publishedAt: s.start.toISOString(),
      updatedAt: new Date(s.start.getTime() + hour).toISOString(),
    })

    const events = await s.db
      .selectFrom('events')
      .select('action')
      .where('subject_id', '=', s.pilot.id)
      .where('action', 'like', 'pilot.results%')
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.action)).toEqual(['pilot.results_published', 'pilot.results_replaced'])
  })

  it('is its organisation’s alone', async () => {
    const s = await setting()
    s.clock.set(s.start)
    expect((await s.post(null)).status).toBe(401)
    expect((await s.post(s.official)).status).toBe(403)
    expect((await s.post(s.admin)).status).toBe(403)
    expect((await s.post(s.rival)).status).toBe(404)
    expect((await s.send('GET', `/pilots/${s.pilot.id}/results`, null)).status).toBe(404)
  })

  it('refuses bad bodies with 400', async () => {
    const s = await setting()
    s.clock.set(s.start)
    for (const body of [
      {},
      { summary: '', findings: 'x' },
      { summary: 'x', findings: 'x', dataUrl: 'ftp://x' },
      { summary: 'x'.repeat(2001), findings: 'x' },
    ]) {
      expect((await s.post(s.company, body)).status).toBe(400)
    }
  })
})

describe('GET /api/pilots/:id/results', () => {
  it('is public once the pilot is, and the pilot page carries the results', async () => {
    const s = await setting()
    s.clock.set(s.start)
    await s.post(s.company)
    const res = await s.send('GET', `/pilots/${s.pilot.id}/results`, null)
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject(results)
    const page = await json(await s.send('GET', `/pilots/${s.pilot.id}`, null))
    expect(page.results).toMatchObject(results)
  })

  it('goes into open data and the map', async () => {
    const s = await setting()
    s.clock.set(new Date(s.start.getTime() + hour))
    await s.post(s.company)
    // Open data pages by id: start just before this pilot.
    const cursor = encodeCursor({ key: s.pilot.id, id: '00000000-0000-0000-0000-000000000000' })
    const open = await json(await s.send('GET', `/open-data/pilots?limit=1&cursor=${cursor}`, null))
    expect(open.items[0]).toMatchObject({ id: s.pilot.id, results })
    await s.db.updateTable('facilities').set({ name: '0 results site' }).where('id', '=', s.site.id).execute()
    const map = await json(await s.send('GET', '/map.geojson', null))
    const feature = map.features.find((f: { id: string }) => f.id === s.site.id)
    expect(feature.properties.address).toBeNull()
    expect(feature.properties.activePilots).toEqual([
      expect.objectContaining({ id: s.pilot.id, results: expect.objectContaining(results) }),
    ])
  })

  it('is hidden with a pilot that is not public', async () => {
    const s = await setting()
    const draft = await makePilot(s.db, s.company.organisationId as string)
    await makeBooking(s.db, {
      pilotId: draft.id,
      facilityId: s.site.id,
      start: s.start,
      end: s.end,
      state: 'pending',
      departmentIds: [s.area.departmentId],
    })
    expect((await s.send('GET', `/pilots/${draft.id}/results`, null)).status).toBe(404)
    expect((await s.send('GET', `/pilots/${draft.id}/results`, s.rival)).status).toBe(404)
    // Its own organisation sees the pilot: it just has no results yet.
    const own = await s.send('GET', `/pilots/${draft.id}/results`, s.company)
    expect(own.status).toBe(404)
    expect((await json(own)).detail).toMatch(/no results/)
  })
})

describe('overdue results', () => {
  const flag = async (s: Awaited<ReturnType<typeof setting>>, user: TestUser | null) =>
    (await json(await s.send('GET', `/pilots/${s.pilot.id}`, user))).resultsOverdue
  const overdueIds = async (s: Awaited<ReturnType<typeof setting>>, user: TestUser) => {
    const res = await s.send('GET', '/pilots?resultsOverdue=true&limit=500', user)
    expect(res.status).toBe(200)
    return ((await json(res)).items as { id: string; resultsOverdue: boolean }[]).map((p) => p.id)
  }

  it('flags a pilot 30 days after its last booking ended, to officials and admins only', async () => {
    const setup = await setting()
    // Sessions that are still alive a month after the booking ended.
    const sessionAt = new Date(setup.end.getTime() + 29 * day)
    const member = (
      role: 'company' | 'official' | 'admin',
      m: { departmentId?: string; organisationId?: string } = {},
    ) => makeUser(setup.db, role, { ...m, sessionAt })
    const s = {
      ...setup,
      official: await member('official', { departmentId: setup.area.departmentId }),
      otherOfficial: await member('official'),
      admin: await member('admin'),
      company: await member('company', { organisationId: setup.company.organisationId as string }),
    }
    s.clock.set(new Date(s.end.getTime() + 30 * day - minute))
    expect(await flag(s, s.official)).toBe(false)
    expect(await overdueIds(s, s.official)).not.toContain(s.pilot.id)

    s.clock.set(new Date(s.end.getTime() + 30 * day + minute))
    expect(await flag(s, s.official)).toBe(true)
    expect(await flag(s, s.admin)).toBe(true)
    expect(await flag(s, s.company)).toBeUndefined()
    expect(await flag(s, null)).toBeUndefined()
    expect(await overdueIds(s, s.official)).toContain(s.pilot.id)
    expect(await overdueIds(s, s.admin)).toContain(s.pilot.id)
    const listed = await json(await s.send('GET', '/pilots?limit=500', s.otherOfficial))
    expect(listed.items.find((p: { id: string }) => p.id === s.pilot.id)?.resultsOverdue).toBe(true)
    expect((await s.send('GET', '/pilots?resultsOverdue=true', s.company)).status).toBe(403)
    expect((await s.send('GET', '/pilots?resultsOverdue=true', null)).status).toBe(401)

    expect((await s.post(s.company)).status).toBe(201)
    expect(await flag(s, s.official)).toBe(false)
    expect(await overdueIds(s, s.official)).not.toContain(s.pilot.id)
  })

  it('reminds the company once, in its language', async () => {
    const s = await setting()
    await s.db.updateTable('users').set({ language: 'ru' }).where('id', '=', s.company.id).execute()
    const mails = () =>
      s.db
        .selectFrom('outbox')
        .select(['recipient_email', 'language', 'subject', 'template'])
        .where(sql<boolean>`payload->>'pilotId' = ${s.pilot.id}`)
        .where('template', '=', 'pilot.results_overdue')
        .execute()
    await remindOverdueResults(s.db, {}, new Date(s.end.getTime() + 29 * day))
    expect(await mails()).toHaveLength(0)
    await remindOverdueResults(s.db, {}, new Date(s.end.getTime() + 31 * day))
    await remindOverdueResults(s.db, {}, new Date(s.end.getTime() + 32 * day))
    const sent = await mails()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ recipient_email: s.company.email, language: 'ru' })
    expect(sent[0]?.subject).toMatch(/Просрочены результаты/)
  })
})
