import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { earthRadiusM } from '../../api/domain/geo.ts'
import { derivedPlaceColumns } from '../../api/queries/places.ts'
import type { Database } from '../../db/types.ts'
import { makeOrganisation } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeFacility, makePilot } from '../helpers/fixtures.ts'

/** Degrees of latitude for `metres` due north: exact on the sphere haversine measures. */
const northDegrees = (metres: number) => (metres / earthRadiusM) * (180 / Math.PI)

/** A spot on the globe no other test uses, so that only this test's sites are near it. */
function lonelySpot(): [number, number] {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2))
  return [-150 + (a / 65_535) * 300, -50 + (b / 65_535) * 100]
}

async function siteAt(db: Kysely<Database>, areaId: string, lng: number, lat: number, published = true) {
  const site = await makeFacility(db, { areaId, published })
  const geometry = { type: 'Point', coordinates: [lng, lat] }
  await db
    .updateTable('facilities')
    .set({ geometry: JSON.stringify(geometry), ...derivedPlaceColumns(site.name, null, geometry) })
    .where('id', '=', site.id)
    .execute()
  return site
}

async function setting() {
  const t = await testApp()
  const area = await makeArea(t.db)
  const org = await makeOrganisation(t.db)
  const [lng, lat] = lonelySpot()
  const start = new Date(testNow.getTime() + 10 * day)
  /** A pilot with one booking (approved unless told) on each of these sites, a day apart. */
  const pilotOn = async (sites: { id: string }[], state: 'approved' | 'pending' = 'approved') => {
    const pilot = await makePilot(t.db, org.id)
    for (const [i, site] of sites.entries()) {
      const from = new Date(start.getTime() + i * day)
      await makeBooking(t.db, {
        pilotId: pilot.id,
        facilityId: site.id,
        start: from,
        end: new Date(from.getTime() + 2 * hour),
        state,
        departmentIds: [area.departmentId],
      })
    }
    return pilot
  }
  const near = async (query: string) => {
    const res = await t.app.request(`/api/pilots?limit=500&${query}`)
    expect(res.status).toBe(200)
    return (await json(res)).items as {
      id: string
      places: { facilityId: string }[]
      start: string
      end: string
    }[]
  }
  const at = (metresNorth: number) => `${lat + northDegrees(metresNorth)},${lng}`
  return {
    ...t,
    area,
    lng,
    lat,
    start,
    pilotOn,
    near,
    at,
    siteAt: (m: number, published = true) => siteAt(t.db, area.id, lng, lat + northDegrees(m), published),
  }
}

describe('GET /api/pilots?near=', () => {
  it('keeps a site just inside the default 1 km and drops one just outside', async () => {
    const s = await setting()
    const inside = await s.siteAt(995)
    const outside = await s.siteAt(1005)
    const inPilot = await s.pilotOn([inside, outside])
    const outPilot = await s.pilotOn([outside])
    const items = await s.near(`near=${s.at(0)}`)
    expect(items.map((p) => p.id)).toEqual([inPilot.id])
    // Only the sites within the radius, but start and end over all its approved bookings.
    expect(items[0]?.places.map((p) => p.facilityId)).toEqual([inside.id])
    expect(items[0]?.start).toBe(s.start.toISOString())
    expect(items[0]?.end).toBe(new Date(s.start.getTime() + day + 2 * hour).toISOString())

    const wider = await s.near(`near=${s.at(0)}&radiusM=1010`)
    expect(wider.map((p) => p.id).sort()).toEqual([inPilot.id, outPilot.id].sort())
  })

  it('reaches 20 km at most', async () => {
    const s = await setting()
    const far = await s.pilotOn([await s.siteAt(19_990)])
    const tooFar = await s.pilotOn([await s.siteAt(20_010)])
    const items = await s.near(`near=${s.at(0)}&radiusM=20000`)
    expect(items.map((p) => p.id)).toContain(far.id)
    expect(items.map((p) => p.id)).not.toContain(tooFar.id)
    for (const radius of ['20001', '0', '-5', '1.5', 'far']) {
      const res = await s.app.request(`/api/pilots?near=${s.at(0)}&radiusM=${radius}`)
      expect(res.status, radius).toBe(400)
      expect((await json(res)).errors[0].path).toBe('radiusM')
    }
  })

  it('counts approved bookings on published sites only', async () => {
    const s = await setting()
    const site = await s.siteAt(10)
    const hidden = await s.siteAt(20, false)
    const approved = await s.pilotOn([site])
    await s.pilotOn([site], 'pending')
    await s.pilotOn([hidden])
    expect((await s.near(`near=${s.at(0)}`)).map((p) => p.id)).toEqual([approved.id])
  })

  it('answers nothing, not everything, when no site is near', async () => {
    const s = await setting()
    expect(await s.near(`near=${s.at(0)}`)).toEqual([])
  })

  it('refuses a near that is not a point with a 400 naming it, in Russian too', async () => {
    const s = await setting()
    for (const bad of ['abc', '91,30', '59.9,181', '59.9', '59.9,30.3,1', '']) {
      const res = await s.app.request(`/api/pilots?near=${encodeURIComponent(bad)}`, {
        headers: { 'accept-language': 'ru' },
      })
      expect(res.status, bad).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const body = await json(res)
      expect(body.code).toBe('validation_failed')
      expect(body.errors[0].path).toBe('near')
      expect(body.errors[0].message).toMatch(/широта/)
    }
  })

  it('gives every public list item its places, start and end', async () => {
    const s = await setting()
    const a = await s.siteAt(0)
    const b = await s.siteAt(100)
    const pilot = await s.pilotOn([b, a, b])
    const res = await s.app.request(`/api/pilots?limit=500&areaId=${s.area.id}`)
    const item = ((await json(res)).items as { id: string }[]).find((p) => p.id === pilot.id) as never as {
      places: { facilityId: string; name: string; address: string | null; point: number[] }[]
      start: string
      end: string
    }
    expect(item.places.map((p) => p.facilityId)).toEqual([b.id, a.id])
    expect(item.places[1]?.point[0]).toBeCloseTo(s.lng, 9)
    expect(item.start).toBe(s.start.toISOString())
    expect(item.end).toBe(new Date(s.start.getTime() + 2 * day + 2 * hour).toISOString())
  })
})
