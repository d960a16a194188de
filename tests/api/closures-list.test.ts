import { describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import { makeArea, makeDepartment, makeFacility } from '../helpers/fixtures.ts'

const now = testNow

/**
 * A department's area with two sites, another department's area with one, and a draft area;
 * closures are made through the API, far from other tests' closures, each at `base + hours`.
 */
async function setting() {
  const t = await testApp({ now })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const site = await makeFacility(t.db, { areaId: area.id })
  const sibling = await makeFacility(t.db, { areaId: area.id })
  const otherArea = await makeArea(t.db)
  const otherSite = await makeFacility(t.db, { areaId: otherArea.id })
  const draft = await makeArea(t.db, { departmentId: department.id, published: false })
  const official = await makeUser(t.db, 'official', { departmentId: department.id })
  const stranger = await makeUser(t.db, 'official')
  const admin = await makeUser(t.db, 'admin')
  const company = await makeUser(t.db, 'company')
  const base = new Date(now.getTime() + 400 * day)
  const at = (hours: number) => new Date(base.getTime() + hours * hour).toISOString()
  const send = async (method: string, path: string, user: TestUser | null, body?: unknown) =>
    t.app.request(`/api${path}`, {
      method,
      headers: { ...(user?.headers ?? {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const close = async (
    plural: 'areas' | 'facilities',
    id: string,
    from: number,
    to: number,
    reason = 'Works',
  ) => {
    const res = await send('POST', `/${plural}/${id}/closures`, admin, {
      start: at(from),
      end: at(to),
      reason,
    })
    expect(res.status).toBe(201)
    return (await json(res)).id as string
  }
  const list = async (query: string, user: TestUser | null = null) => {
    const res = await send('GET', `/closures?${query}`, user)
    expect(res.status).toBe(200)
    return json(res)
  }
  const ids = async (query: string, user: TestUser | null = null) =>
    (await list(query, user)).items.map((c: { id: string }) => c.id)
  const window = `from=${at(-1000)}&to=${at(1000)}`
  return {
    ...t,
    area,
    site,
    sibling,
    otherArea,
    otherSite,
    draft,
    official,
    stranger,
    admin,
    company,
    at,
    send,
    close,
    list,
    ids,
    window,
  }
}

describe('GET /api/closures', () => {
  it('lists area-wide and per-site closures by start, with what each closes', async () => {
    const s = await setting()
    const ofSite = await s.close('facilities', s.site.id, 30, 40, 'Pole replaced')
    const ofArea = await s.close('areas', s.area.id, 10, 20, 'Festival')
    const elsewhere = await s.close('facilities', s.otherSite.id, 0, 50)
    const body = await s.list(`areaId=${s.area.id}&${s.window}`)
    expect(body.nextCursor).toBeNull()
    expect(body.items).toEqual([
      {
        id: ofArea,
        areaId: s.area.id,
        facilityId: null,
        start: s.at(10),
        end: s.at(20),
        reason: 'Festival',
        area: { id: s.area.id, name: s.area.name },
        facility: null,
      },
      {
        id: ofSite,
        areaId: null,
        facilityId: s.site.id,
        start: s.at(30),
        end: s.at(40),
        reason: 'Pole replaced',
        area: { id: s.area.id, name: s.area.name },
        facility: { id: s.site.id, name: s.site.name },
      },
    ])
    expect(await s.ids(`facilityId=${s.sibling.id}&${s.window}`)).toEqual([ofArea])
    expect(await s.ids(`facilityId=${s.site.id}&${s.window}`)).toEqual([ofArea, ofSite])
    expect(await s.ids(`facilityId=${s.otherSite.id}&${s.window}`)).toEqual([elsewhere])
    // Without a place: every closure in the window, whoever manages it.
    expect(await s.ids(`from=${s.at(0)}&to=${s.at(50)}`)).toEqual(
      expect.arrayContaining([ofArea, ofSite, elsewhere]),
    )
  })

  it('keeps the closures meeting the window, half-open at both ends', async () => {
    const s = await setting()
    const before = await s.close('areas', s.area.id, 0, 10)
    const meeting = await s.close('areas', s.area.id, 5, 15)
    const after = await s.close('areas', s.area.id, 20, 30)
    const area = `areaId=${s.area.id}`
    expect(await s.ids(`${area}&from=${s.at(10)}&to=${s.at(20)}`)).toEqual([meeting])
    expect(await s.ids(`${area}&from=${s.at(10)}`)).toEqual([meeting, after])
    expect(await s.ids(`${area}&to=${s.at(10)}`)).toEqual(expect.arrayContaining([before, meeting]))
    expect(await s.ids(`${area}&to=${s.at(10)}`)).not.toContain(after)
  })

  it('shows a draft area’s closures to its department and admins only', async () => {
    const s = await setting()
    const hidden = await s.close('areas', s.draft.id, 0, 10)
    const query = `areaId=${s.draft.id}&${s.window}`
    expect(await s.ids(query)).toEqual([])
    expect(await s.ids(query, s.company)).toEqual([])
    expect(await s.ids(query, s.stranger)).toEqual([])
    expect(await s.ids(query, s.official)).toEqual([hidden])
    expect(await s.ids(query, s.admin)).toEqual([hidden])
  })

  it('pages with limit and cursor, and refuses a cursor it did not make', async () => {
    const s = await setting()
    const made = [
      await s.close('areas', s.area.id, 0, 1),
      await s.close('facilities', s.site.id, 2, 3),
      await s.close('facilities', s.sibling.id, 4, 5),
    ]
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await s.list(`areaId=${s.area.id}&${s.window}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((c: { id: string }) => c.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(made)
    for (const bad of ['cursor=nonsense', 'limit=0', 'from=yesterday', 'areaId=42']) {
      const res = await s.send('GET', `/closures?${bad}`, null)
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
  })
})

describe('PATCH /api/closures/:id', () => {
  it('lets the managing department move and reword a closure, recorded as closure.updated', async () => {
    const s = await setting()
    const id = await s.close('facilities', s.site.id, 0, 10, 'Works')
    const res = await s.send('PATCH', `/closures/${id}`, s.official, {
      end: s.at(12),
      reason: 'Works run late',
    })
    expect(res.status).toBe(200)
    expect(await json(res)).toMatchObject({ id, start: s.at(0), end: s.at(12), reason: 'Works run late' })
    expect((await s.list(`facilityId=${s.site.id}&${s.window}`)).items).toEqual([
      expect.objectContaining({ id, end: s.at(12), reason: 'Works run late' }),
    ])
    const events = await s.db
      .selectFrom('events')
      .select(['action', 'actor_id', 'details'])
      .where('subject_id', '=', id)
      .where('action', '=', 'closure.updated')
      .execute()
    expect(events).toEqual([
      {
        action: 'closure.updated',
        actor_id: s.official.id,
        details: {
          before: expect.objectContaining({ end: s.at(10), reason: 'Works' }),
          after: expect.objectContaining({ end: s.at(12), reason: 'Works run late' }),
        },
      },
    ])
    const byAdmin = await s.send('PATCH', `/closures/${id}`, s.admin, { start: s.at(1) })
    expect(byAdmin.status).toBe(200)
  })

  it('refuses others, unknown closures, and times that end before they start', async () => {
    const s = await setting()
    const id = await s.close('areas', s.area.id, 0, 10, 'Festival')
    const change = { reason: 'Changed' }
    expect((await s.send('PATCH', `/closures/${id}`, null, change)).status).toBe(401)
    expect((await s.send('PATCH', `/closures/${id}`, s.company, change)).status).toBe(403)
    expect((await s.send('PATCH', `/closures/${id}`, s.stranger, change)).status).toBe(403)
    expect((await s.send('PATCH', `/closures/${crypto.randomUUID()}`, s.official, change)).status).toBe(404)
    for (const body of [
      { end: s.at(-1) },
      { start: s.at(10) },
      { start: s.at(5), end: s.at(4) },
      {},
      { reason: ' ' },
    ]) {
      const res = await s.send('PATCH', `/closures/${id}`, s.official, body)
      expect(res.status).toBe(400)
      expect((await json(res)).code).toBe('validation_failed')
    }
    expect((await s.list(`areaId=${s.area.id}&${s.window}`)).items).toEqual([
      expect.objectContaining({ id, start: s.at(0), end: s.at(10), reason: 'Festival' }),
    ])
  })
})
