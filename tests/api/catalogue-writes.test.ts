import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow } from '../helpers/clock.ts'
import { makeArea, makeDepartment, makeFacility, unique } from '../helpers/fixtures.ts'

const send = (method: string, body: unknown, headers: Record<string, string>) => ({
  method,
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify(body),
})
const point = { type: 'Point', coordinates: [30.3155, 59.9398] }

async function setting() {
  const t = await testApp()
  const department = await makeDepartment(t.db)
  const official = await makeUser(t.db, 'official', { departmentId: department.id })
  const area = await makeArea(t.db, { departmentId: department.id, categories: ['lighting', 'digital'] })
  return { ...t, department, official, area }
}

describe('catalogue changes by the managing department', () => {
  it('creates a facility with specs, rules, opening hours and sign-offs, and records who did it', async () => {
    const { app, db, official, area } = await setting()
    const traffic = await makeDepartment(db)
    const res = await app.request(
      '/api/facilities',
      send(
        'POST',
        {
          areaId: area.id,
          name: unique('Pole'),
          kind: 'lighting_pole',
          geometry: point,
          capacity: 2,
          specs: { powerKw: 0.4, voltage: 230, connectivity: ['lorawan', '5g', '5g'], heightM: 9 },
          rules: {
            minDurationMinutes: 1440,
            maxDurationMinutes: 43200,
            leadTimeMinutes: 2880,
            setupMinutes: 60,
            openingHours: [{ weekday: 5, from: '22:00', to: '06:00' }],
          },
          signoffDepartmentIds: [traffic.id],
          published: true,
        },
        official.headers,
      ),
    )
    expect(res.status).toBe(201)
    const facility = await json(res)
    expect(facility).toMatchObject({
      areaId: area.id,
      capacity: 2,
      departmentId: area.departmentId,
      signoffDepartmentIds: [traffic.id],
      specs: { powerKw: 0.4, voltage: 230, connectivity: ['lorawan', '5g'], heightM: 9 },
      rules: {
        minDurationMinutes: 1440,
        leadTimeMinutes: 2880,
        setupMinutes: 60,
        openingHours: [{ weekday: 5, from: '22:00', to: '06:00' }],
      },
      version: 1,
    })
    const visible = await app.request(`/api/facilities/${facility.id}`)
    expect(visible.status).toBe(200)
    const events = await db.selectFrom('events').where('subject_id', '=', facility.id).selectAll().execute()
    expect(events).toEqual([expect.objectContaining({ action: 'facility.created', actor_id: official.id })])
  })

  it('keeps drafts from visitors and other departments, and shows them to their own department', async () => {
    const { app, db, official, area } = await setting()
    const draft = await makeFacility(db, { areaId: area.id, published: false })
    const stranger = await makeUser(db, 'official')
    const company = await makeUser(db, 'company')
    const admin = await makeUser(db, 'admin')
    expect((await app.request(`/api/facilities/${draft.id}`)).status).toBe(404)
    expect((await app.request(`/api/facilities/${draft.id}`, { headers: company.headers })).status).toBe(404)
    expect((await app.request(`/api/facilities/${draft.id}`, { headers: stranger.headers })).status).toBe(404)
    expect((await app.request(`/api/facilities/${draft.id}`, { headers: official.headers })).status).toBe(200)
    expect((await app.request(`/api/facilities/${draft.id}`, { headers: admin.headers })).status).toBe(200)
    const listed = await json(
      await app.request(`/api/facilities?areaId=${area.id}`, { headers: official.headers }),
    )
    expect(listed.items.map((f: { id: string }) => f.id)).toContain(draft.id)
  })

  it('refuses a stale version with 409 and changes nothing', async () => {
    const { app, official, area } = await setting()
    const first = await app.request(
      `/api/areas/${area.id}`,
      send('PATCH', { name: 'First', version: 1 }, official.headers),
    )
    expect(first.status).toBe(200)
    expect((await json(first)).version).toBe(2)
    const stale = await app.request(
      `/api/areas/${area.id}`,
      send('PATCH', { name: 'Second', version: 1 }, official.headers),
    )
    expect(stale.status).toBe(409)
    expect((await json(stale)).code).toBe('version_conflict')
    expect((await json(await app.request(`/api/areas/${area.id}`))).name).toBe('First')
  })

  it('replaces opening hours and sign-offs, and clears them with null and []', async () => {
    const { app, db, official, area } = await setting()
    const facility = await makeFacility(db, {
      areaId: area.id,
      openingHours: [{ weekday: 1, opens: '08:00', closes: '20:00' }],
    })
    const other = await makeDepartment(db)
    const changed = await json(
      await app.request(
        `/api/facilities/${facility.id}`,
        send(
          'PATCH',
          {
            rules: { openingHours: [{ weekday: 7, from: '10:00', to: '16:00' }] },
            signoffDepartmentIds: [other.id],
          },
          official.headers,
        ),
      ),
    )
    expect(changed.rules.openingHours).toEqual([{ weekday: 7, from: '10:00', to: '16:00' }])
    expect(changed.signoffDepartmentIds).toEqual([other.id])
    const cleared = await json(
      await app.request(
        `/api/facilities/${facility.id}`,
        send('PATCH', { rules: { openingHours: null }, signoffDepartmentIds: [] }, official.headers),
      ),
    )
    expect(cleared.rules).not.toHaveProperty('openingHours')
    expect(cleared.signoffDepartmentIds).toEqual([])
  })

  it.each([
    [{ rules: { minDurationMinutes: 600, maxDurationMinutes: 60 } }, 'rules.maxDurationMinutes'],
    [
      { rules: { openingHours: [{ weekday: 8, from: '08:00', to: '20:00' }] } },
      'rules.openingHours.0.weekday',
    ],
    [{ rules: { openingHours: [{ weekday: 1, from: '8am', to: '20:00' }] } }, 'rules.openingHours.0.from'],
    [{ rules: { openingHours: [{ weekday: 1, from: '08:00', to: '08:00' }] } }, 'rules.openingHours.0.to'],
    [{ geometry: { type: 'Point', coordinates: [300, 59.9] } }, 'geometry.coordinates.0'],
    [{ capacity: 0 }, 'capacity'],
    [{ specs: { connectivity: ['telegraph'] } }, 'specs.connectivity.0'],
    [{ signoffDepartmentIds: ['00000000-0000-4000-8000-00000000dead'] }, 'signoffDepartmentIds'],
  ])('refuses %o with 400 naming %s, changing nothing', async (change, path) => {
    const { app, official, area, db } = await setting()
    const facility = await makeFacility(db, { areaId: area.id })
    const res = await app.request(`/api/facilities/${facility.id}`, send('PATCH', change, official.headers))
    expect(res.status).toBe(400)
    const body = await json(res)
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path)
    expect((await json(await app.request(`/api/facilities/${facility.id}`))).version).toBe(1)
  })

  it('lets only an admin hand an area to another department', async () => {
    const { app, db, official, area } = await setting()
    const other = await makeDepartment(db)
    const admin = await makeUser(db, 'admin')
    expect(
      (
        await app.request(
          `/api/areas/${area.id}`,
          send('PATCH', { departmentId: other.id }, official.headers),
        )
      ).status,
    ).toBe(403)
    const moved = await app.request(
      `/api/areas/${area.id}`,
      send('PATCH', { departmentId: other.id }, admin.headers),
    )
    expect(moved.status).toBe(200)
    expect((await json(moved)).departmentId).toBe(other.id)
    expect(
      (await app.request(`/api/areas/${area.id}`, send('PATCH', { name: 'Mine' }, official.headers))).status,
    ).toBe(403)
  })
})

describe('closures', () => {
  it('lists a facility’s own closures and its area’s, and lifts one', async () => {
    const { app, db, official, area } = await setting()
    const facility = await makeFacility(db, { areaId: area.id })
    const base = fromNow(10 * day).getTime()
    const at = (hours: number) => new Date(base + hours * 3600 * 1000).toISOString()
    const own = await app.request(
      `/api/facilities/${facility.id}/closures`,
      send('POST', { start: at(0), end: at(48), reason: 'Cable inspection' }, official.headers),
    )
    expect(own.status).toBe(201)
    const areaWide = await app.request(
      `/api/areas/${area.id}/closures`,
      send('POST', { start: at(100), end: at(124), reason: 'City festival' }, official.headers),
    )
    expect(areaWide.status).toBe(201)
    const list = await json(await app.request(`/api/facilities/${facility.id}/closures`))
    expect(list.items.map((c: { reason: string }) => c.reason)).toEqual(['Cable inspection', 'City festival'])
    const filtered = await json(
      await app.request(`/api/facilities/${facility.id}/closures?from=${encodeURIComponent(at(60))}`),
    )
    expect(filtered.items.map((c: { reason: string }) => c.reason)).toEqual(['City festival'])

    const { id } = await json(own)
    expect(
      (await app.request(`/api/closures/${id}`, { method: 'DELETE', headers: official.headers })).status,
    ).toBe(204)
    expect(
      (await app.request(`/api/closures/${id}`, { method: 'DELETE', headers: official.headers })).status,
    ).toBe(404)
    const after = await json(await app.request(`/api/facilities/${facility.id}/closures`))
    expect(after.items).toHaveLength(1)
  })

  it('refuses a closure that ends before it starts, or has no reason', async () => {
    const { app, official, area } = await setting()
    const start = fromNow(day)
    const res = await app.request(
      `/api/areas/${area.id}/closures`,
      send(
        'POST',
        { start: start.toISOString(), end: new Date(start.getTime() - 1).toISOString(), reason: ' ' },
        official.headers,
      ),
    )
    expect(res.status).toBe(400)
    const paths = (await json(res)).errors.map((e: { path: string }) => e.path)
    expect(paths).toEqual(expect.arrayContaining(['reason']))
    const noOffset = await app.request(
      `/api/areas/${area.id}/closures`,
      send(
        'POST',
        { start: '2027-06-01T10:00:00', end: '2027-06-02T10:00:00', reason: 'x' },
        official.headers,
      ),
    )
    expect(noOffset.status).toBe(400)
  })
})
