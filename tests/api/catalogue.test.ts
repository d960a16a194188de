import { describe, expect, it } from 'vitest'
import { json, testApp } from '../helpers/app.ts'
import { makeArea, makeDepartment, makeFacility, unique } from '../helpers/fixtures.ts'

type Item = { id: string; name: string }
const ids = (body: { items: Item[] }) => body.items.map((i) => i.id).sort()

describe('areas', () => {
  it('shows a published area in the list and on its own', async () => {
    const { app, db } = await testApp()
    const department = await makeDepartment(db)
    const area = await makeArea(db, { departmentId: department.id, categories: ['tourism', 'digital'] })

    const list = await json(await app.request(`/api/areas?departmentId=${department.id}`))
    expect(list.items).toHaveLength(1)
    expect(list.nextCursor).toBeNull()

    const res = await app.request(`/api/areas/${area.id}`)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({
      id: area.id,
      name: area.name,
      description: 'A test area',
      departmentId: department.id,
      categories: ['digital', 'tourism'],
      geometry: { type: 'Polygon', coordinates: [expect.any(Array)] },
      address: null,
      published: true,
      version: 1,
    })
  })

  it('hides unpublished areas from visitors', async () => {
    const { app, db } = await testApp()
    const department = await makeDepartment(db)
    const hidden = await makeArea(db, { departmentId: department.id, published: false })
    expect((await app.request(`/api/areas/${hidden.id}`)).status).toBe(404)
    const list = await json(await app.request(`/api/areas?departmentId=${department.id}`))
    expect(list.items).toEqual([])
  })

  it('filters by accepted category', async () => {
    const { app, db } = await testApp()
    const department = await makeDepartment(db)
    const lighting = await makeArea(db, { departmentId: department.id, categories: ['lighting'] })
    await makeArea(db, { departmentId: department.id, categories: ['mobility'] })
    const body = await json(await app.request(`/api/areas?departmentId=${department.id}&category=lighting`))
    expect(ids(body)).toEqual([lighting.id])
  })

  it('answers an unknown area with 404', async () => {
    const { app } = await testApp()
    const res = await app.request(`/api/areas/${crypto.randomUUID()}`)
    expect(res.status).toBe(404)
    expect((await json(res)).code).toBe('not_found')
  })
})

describe('facilities', () => {
  it('returns the shape of docs/api.md, specs and rules included', async () => {
    const { app, db } = await testApp()
    const signoff = await makeDepartment(db)
    const facility = await makeFacility(db, {
      kind: 'rooftop',
      capacity: 2,
      powerKw: 5.5,
      connectivity: ['5g', 'lorawan'],
      heightM: 24,
      indoor: false,
      openingHours: [
        { weekday: 1, opens: '09:00', closes: '18:00' },
        { weekday: 6, opens: '22:00', closes: '02:00' },
      ],
      signoffDepartmentIds: [signoff.id],
    })
    const res = await app.request(`/api/facilities/${facility.id}`)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({
      id: facility.id,
      areaId: facility.areaId,
      name: facility.name,
      description: 'A test facility',
      kind: 'rooftop',
      geometry: { type: 'Point', coordinates: [30.305, 59.905] },
      address: null,
      capacity: 2,
      specs: { powerKw: 5.5, connectivity: ['5g', 'lorawan'], heightM: 24, indoor: false },
      rules: {
        minDurationMinutes: 60,
        maxDurationMinutes: 525600,
        leadTimeMinutes: 0,
        horizonDays: 365,
        setupMinutes: 0,
        teardownMinutes: 0,
        openingHours: [
          { weekday: 1, from: '09:00', to: '18:00' },
          { weekday: 6, from: '22:00', to: '02:00' },
        ],
      },
      departmentId: facility.departmentId,
      signoffDepartmentIds: [signoff.id],
      published: true,
      version: 1,
    })
  })

  it('leaves out opening hours when a facility is always open', async () => {
    const { app, db } = await testApp()
    const facility = await makeFacility(db)
    const body = await json(await app.request(`/api/facilities/${facility.id}`))
    expect(body.rules).not.toHaveProperty('openingHours')
    expect(body.specs).toEqual({})
  })

  it('hides unpublished facilities, and facilities of unpublished areas', async () => {
    const { app, db } = await testApp()
    const draft = await makeFacility(db, { published: false })
    const hiddenArea = await makeArea(db, { published: false })
    const inHiddenArea = await makeFacility(db, { areaId: hiddenArea.id })
    expect((await app.request(`/api/facilities/${draft.id}`)).status).toBe(404)
    expect((await app.request(`/api/facilities/${inHiddenArea.id}`)).status).toBe(404)
    const list = await json(await app.request(`/api/facilities?areaId=${hiddenArea.id}`))
    expect(list.items).toEqual([])
  })

  it('filters by every spec a company searches by', async () => {
    const { app, db } = await testApp()
    const area = await makeArea(db, { categories: ['lighting', 'energy'] })
    const strongPole = await makeFacility(db, {
      areaId: area.id,
      kind: 'lighting_pole',
      powerKw: 0.6,
      connectivity: ['5g', 'fibre'],
      heightM: 12,
      indoor: false,
    })
    const weakPole = await makeFacility(db, {
      areaId: area.id,
      kind: 'lighting_pole',
      powerKw: 0.25,
      connectivity: ['lorawan'],
      heightM: 8,
      indoor: false,
    })
    const hall = await makeFacility(db, {
      areaId: area.id,
      kind: 'building_space',
      powerKw: 10,
      connectivity: ['wifi', '5g'],
      maxLoadKg: 500,
      indoor: true,
    })
    const search = async (query: string) =>
      ids(await json(await app.request(`/api/facilities?areaId=${area.id}&${query}`)))

    expect(await search('kind=lighting_pole')).toEqual([strongPole.id, weakPole.id].sort())
    expect(await search('powerKwMin=0.5')).toEqual([strongPole.id, hall.id].sort())
    expect(await search('connectivity=5g')).toEqual([strongPole.id, hall.id].sort())
    expect(await search('connectivity=5g,fibre')).toEqual([strongPole.id])
    expect(await search('connectivity=5G,%20WiFi')).toEqual([hall.id])
    expect(await search('heightMMin=10')).toEqual([strongPole.id])
    expect(await search('maxLoadKgMin=100')).toEqual([hall.id])
    expect(await search('indoor=true')).toEqual([hall.id])
    expect(await search('indoor=false&powerKwMin=0.3')).toEqual([strongPole.id])
    expect(await search('category=energy')).toHaveLength(3)
    expect(await search('category=tourism')).toEqual([])
  })

  it('searches words in the name and description, taking % and _ literally', async () => {
    const { app, db } = await testApp()
    const area = await makeArea(db)
    const word = unique('Quasar').replace(' ', '')
    const byName = await makeFacility(db, { areaId: area.id, name: `Pole ${word}` })
    const byDescription = await makeFacility(db, {
      areaId: area.id,
      description: `Near the ${word.toLowerCase()} café`,
    })
    const percent = await makeFacility(db, { areaId: area.id, description: 'Covers 50% of the square' })
    await makeFacility(db, { areaId: area.id, description: 'Covers 500 m of the road' })

    const search = async (q: string) =>
      ids(await json(await app.request(`/api/facilities?areaId=${area.id}&q=${encodeURIComponent(q)}`)))
    expect(await search(word)).toEqual([byName.id, byDescription.id].sort())
    expect(await search('50%')).toEqual([percent.id])
  })

  it('pages through results with limit and nextCursor, without repeats or gaps', async () => {
    const { app, db } = await testApp()
    const area = await makeArea(db)
    const made = []
    for (const name of ['Ц-pole', 'A-pole', 'b-pole', 'B-pole', 'C-pole']) {
      made.push(await makeFacility(db, { areaId: area.id, name }))
    }
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: string = `/api/facilities?areaId=${area.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const body = await json(await app.request(query))
      expect(body.items.length).toBeLessThanOrEqual(2)
      seen.push(...body.items.map((i: Item) => i.id))
      cursor = body.nextCursor
      pages++
    } while (cursor && pages < 10)
    expect(pages).toBe(3)
    expect(seen.sort()).toEqual(made.map((f) => f.id).sort())
  })

  it('rejects bad query parameters with 400 naming each one', async () => {
    const { app } = await testApp()
    const cases: [string, string][] = [
      ['kind=spaceport', 'kind'],
      ['category=weather', 'category'],
      ['areaId=42', 'areaId'],
      ['powerKwMin=lots', 'powerKwMin'],
      ['powerKwMin=-1', 'powerKwMin'],
      ['connectivity=5g,carrier-pigeon', 'connectivity'],
      ['indoor=maybe', 'indoor'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=1.5', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ]
    for (const [query, path] of cases) {
      const res = await app.request(`/api/facilities?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
      const body = await json(res)
      expect(body.code, query).toBe('validation_failed')
      expect(
        body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(path)
    }
  })
})
