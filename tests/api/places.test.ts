import { describe, expect, it } from 'vitest'
import { derivedPlaceColumns } from '../../api/queries/places.ts'
import { demoIds } from '../../db/seed/demo.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makeDepartment } from '../helpers/fixtures.ts'

/** A token no other test's place holds, so that a search finds only this test's places. */
/**
 * A word no other test's place holds: consonants only, so that it never contains a number or a
 * word a test searches for (a hex tag with "29" in it made "невский 29" match).
 */
const tag = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => 'bcdfghjklmnpqrstvwxz'[b % 20]).join('')

async function setting() {
  const t = await testApp()
  const admin = await makeUser(t.db, 'admin')
  const department = await makeDepartment(t.db)
  const send = async (method: string, path: string, user: TestUser | null, body?: unknown, language = 'en') =>
    t.app.request(`/api${path}`, {
      method,
      headers: {
        'accept-language': language,
        ...(user?.headers ?? {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  const square = (lng: number, lat: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + 0.002, lat],
        [lng + 0.002, lat + 0.002],
        [lng, lat + 0.002],
        [lng, lat],
      ],
    ],
  })
  const makeArea = async (name: string, address: string | null, published = true) => {
    const res = await send('POST', '/areas', admin, {
      name,
      address,
      departmentId: department.id,
      categories: ['lighting'],
      geometry: square(30.3, 59.9),
      published,
    })
    expect(res.status).toBe(201)
    return json(res)
  }
  const makeSite = async (areaId: string, name: string, address: string | null, published = true) => {
    const res = await send('POST', '/facilities', admin, {
      areaId,
      name,
      address,
      kind: 'lighting_pole',
      geometry: { type: 'Point', coordinates: [30.3259, 59.9357] },
      published,
    })
    expect(res.status).toBe(201)
    return json(res)
  }
  const search = async (q: string, language = 'en') => {
    const res = await send('GET', `/places?q=${encodeURIComponent(q)}`, null, undefined, language)
    expect(res.status).toBe(200)
    return (await json(res)).items as {
      type: string
      id: string
      name: string
      address: string | null
      areaName: string
      point: number[] | null
    }[]
  }
  return { ...t, admin, send, makeArea, makeSite, search }
}

describe('GET /api/places', () => {
  it('finds a site by its Russian address, whatever the case and ё/е', async () => {
    const s = await setting()
    const k = tag()
    const area = await s.makeArea(`Ёлочный сквер ${k}`, 'Ёлочная улица, 3')
    const site = await s.makeSite(area.id, `Фонарь ${k}`, `Невский проспект, 28 ${k}`)
    expect(site.address).toBe(`Невский проспект, 28 ${k}`)

    const byAddress = await s.search(`НЕВСКИЙ 28 ${k}`)
    expect(byAddress.map((p) => p.id)).toEqual([site.id])
    expect(byAddress[0]).toMatchObject({
      type: 'facility',
      name: `Фонарь ${k}`,
      address: `Невский проспект, 28 ${k}`,
      areaName: `Ёлочный сквер ${k}`,
      point: [30.3259, 59.9357],
    })
    // ё typed as е, е typed as ё: the area by its name, the site by its area's name.
    const byAreaName = await s.search(`елочный ${k}`)
    expect(byAreaName.map((p) => [p.type, p.id])).toEqual([
      ['area', area.id],
      ['facility', site.id],
    ])
    expect((await s.search(`ёлочный СКВЁР ${k}`)).map((p) => p.id)).toEqual([area.id, site.id])
    // Every word must match somewhere.
    expect(await s.search(`невский 29 ${k}`)).toEqual([])
  })

  it('finds by English names too, with words in any order', async () => {
    const s = await setting()
    const k = tag()
    const area = await s.makeArea(`Petrovskaya Embankment ${k}`, null)
    const site = await s.makeSite(area.id, `Lighting Pole P-07 ${k}`, null)
    const items = await s.search(`${k} pole lighting`)
    expect(items.map((p) => p.id)).toEqual([site.id])
    expect(items[0]?.address).toBeNull()
    expect((await s.search(`embankment ${k}`)).map((p) => p.id)).toEqual([area.id, site.id])
  })

  it('hides unpublished areas and sites, and the sites of an unpublished area', async () => {
    const s = await setting()
    const k = tag()
    const draftArea = await s.makeArea(`Draft square ${k}`, null, false)
    await s.makeSite(draftArea.id, `Published pole ${k}`, null)
    const area = await s.makeArea(`Open square ${k}`, null)
    await s.makeSite(area.id, `Draft pole ${k}`, null, false)
    const visible = await s.makeSite(area.id, `Visible pole ${k}`, null)
    expect((await s.search(`${k}`)).map((p) => p.id)).toEqual([area.id, visible.id])
  })

  it('keeps the point and search text in step with edits', async () => {
    const s = await setting()
    const k = tag()
    const area = await s.makeArea(`Edited square ${k}`, null)
    const site = await s.makeSite(area.id, `Edited pole ${k}`, 'Садовая улица, 1')
    const res = await s.send('PATCH', `/facilities/${site.id}`, s.admin, {
      address: `Литейный проспект, 10 ${k}`,
      geometry: {
        type: 'LineString',
        coordinates: [
          [30.0, 60.0],
          [30.002, 60.0],
        ],
      },
      version: site.version,
    })
    expect(res.status).toBe(200)
    expect((await json(res)).address).toBe(`Литейный проспект, 10 ${k}`)
    const [found] = await s.search(`литейный ${k}`)
    expect(found?.id).toBe(site.id)
    expect(found?.point?.[0]).toBeCloseTo(30.001, 6)
    expect(found?.point?.[1]).toBeCloseTo(60.0, 6)
    expect(await s.search(`садовая ${k}`)).toEqual([])
    // An empty address clears it.
    const cleared = await s.send('PATCH', `/facilities/${site.id}`, s.admin, {
      address: '',
      version: site.version + 1,
    })
    expect((await json(cleared)).address).toBeNull()
  })

  it('answers at most 20 places', async () => {
    const s = await setting()
    const k = tag()
    const area = await s.makeArea(`Many ${k}`, null)
    for (let i = 0; i < 21; i++) await s.makeSite(area.id, `Pole ${i} ${k}`, null)
    expect(await s.search(k)).toHaveLength(20)
  })

  it('refuses an empty or overlong query with a 400 in the caller’s language', async () => {
    const s = await setting()
    const empty = await s.send('GET', '/places?q=%20', null, undefined, 'ru')
    expect(empty.status).toBe(400)
    expect(empty.headers.get('content-type')).toContain('application/problem+json')
    expect((await json(empty)).errors[0].message).toMatch(/слово/)
    expect((await s.send('GET', '/places', null)).status).toBe(400)
    expect((await s.send('GET', `/places?q=${'a'.repeat(101)}`, null)).status).toBe(400)
    // Punctuation only: no words, no places.
    expect(await s.search('!!!')).toEqual([])
  })

  it('the demo city has street addresses, and seeded points equal what the app computes', async () => {
    const s = await setting()
    const rows = await s.db
      .selectFrom('facilities')
      .select(['id', 'name', 'address', 'geometry', 'point_lng', 'point_lat', 'search_text'])
      .where(
        'id',
        'in',
        Array.from({ length: 14 }, (_, i) => demoIds.facility(i + 1)),
      )
      .execute()
    expect(rows.length).toBeGreaterThanOrEqual(12)
    for (const row of rows) {
      expect(row.address).toMatch(/[А-Яа-я]/)
      const app = derivedPlaceColumns(row.name, row.address, row.geometry)
      expect(row.point_lng).toBeCloseTo(app.point_lng, 9)
      expect(row.point_lat).toBeCloseTo(app.point_lat, 9)
      expect(row.search_text).toBe(app.search_text)
    }
    const manege = await s.search('Манежная площадь', 'ru')
    expect(manege.some((p) => p.name === 'Manezhnaya Square' && p.address === 'Манежная площадь, 2')).toBe(
      true,
    )
  })
})
