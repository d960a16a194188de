import SwaggerParser from '@apidevtools/swagger-parser'
import { getIssues } from '@placemarkio/check-geojson'
import { parse as parseCsv } from 'csv-parse/sync'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { demoIds } from '../../db/seed/demo.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, hour, testNow } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

/** Reads an iCalendar text with an independent parser (Mozilla's ical.js). */
function readCalendar(text: string) {
  const component = new ICAL.Component(ICAL.parse(text))
  return component.getAllSubcomponents('vevent').map((e) => {
    const event = new ICAL.Event(e)
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      stamp: e.getFirstPropertyValue('dtstamp'),
      status: e.getFirstPropertyValue('status'),
    }
  })
}

async function approvedOn(
  db: Awaited<ReturnType<typeof testApp>>['db'],
  title: string,
  start: Date,
  length = 2 * hour,
) {
  const department = await makeDepartment(db)
  const area = await makeArea(db, { departmentId: department.id })
  const facility = await makeFacility(db, { areaId: area.id })
  const company = await makeUser(db, 'company')
  const pilot = await makePilot(db, company.organisationId as string, { title })
  const id = await makeBooking(db, {
    pilotId: pilot.id,
    facilityId: facility.id,
    start,
    end: new Date(start.getTime() + length),
    state: 'approved',
    departmentIds: [department.id],
  })
  return { department, area, facility, company, pilot, bookingId: id }
}

describe('iCalendar feeds', () => {
  it('publish every approved booking with a stable UID and DTSTAMP, and nothing pending', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/feeds/pilots.ics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
    const text = await res.text()
    const events = readCalendar(text)
    const uids = events.map((e) => e.uid)
    for (const n of [1, 2, 3, 4, 6])
      expect(uids).toContain(`70000000-0000-4000-8000-00000000000${n}@city-testbed`)
    expect(uids).not.toContain('70000000-0000-4000-8000-000000000005@city-testbed') // pending
    expect(events.every((e) => e.stamp && e.status === 'CONFIRMED')).toBe(true)
    const again = readCalendar(await (await app.request('/api/feeds/pilots.ics')).text())
    expect(again.find((e) => e.uid === uids[0])?.stamp?.toString()).toBe(events[0]?.stamp?.toString())
  })

  it('fold long lines, escape text and keep UTF-8 intact', async () => {
    const { app, db } = await testApp()
    const title = `Лампы, датчики; и «умный» свет: ${'very long title '.repeat(8)}`.trim()
    const start = new Date(Math.floor(testNow.getTime() / hour) * hour + 5 * day) // iCalendar counts whole seconds
    const { facility, bookingId } = await approvedOn(db, title, start)
    const text = await (await app.request(`/api/facilities/${facility.id}/calendar.ics`)).text()
    expect(text).toContain('\r\n')
    for (const line of text.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    expect(text).toMatch(/SUMMARY:Лампы\\, датчики\\; и «умный»/)
    const [event] = readCalendar(text)
    expect(event?.uid).toBe(`${bookingId}@city-testbed`)
    expect(event?.summary?.startsWith(title)).toBe(true)
    expect(event?.start).toBe(start.toISOString())
    expect(event?.location).toContain(facility.name)
  })

  it('give each facility and area only its own bookings', async () => {
    const { app, db } = await testApp()
    const a = await approvedOn(db, unique('Pilot A'), fromNow(6 * day))
    const b = await approvedOn(db, unique('Pilot B'), fromNow(6 * day))
    const areaEvents = readCalendar(await (await app.request(`/api/areas/${a.area.id}/calendar.ics`)).text())
    expect(areaEvents.map((e) => e.uid)).toEqual([`${a.bookingId}@city-testbed`])
    const facilityEvents = readCalendar(
      await (await app.request(`/api/facilities/${b.facility.id}/calendar.ics`)).text(),
    )
    expect(facilityEvents.map((e) => e.uid)).toEqual([`${b.bookingId}@city-testbed`])
    expect((await app.request(`/api/facilities/${crypto.randomUUID()}/calendar.ics`)).status).toBe(404)
  })

  it('give a company a private feed of its own requests, behind a token it can replace', async () => {
    const { app, db } = await testApp()
    const mine = await approvedOn(db, unique('Mine'), fromNow(7 * day))
    const pending = await makeBooking(db, {
      pilotId: mine.pilot.id,
      facilityId: mine.facility.id,
      start: fromNow(9 * day),
      end: fromNow(9 * day + hour),
      departmentIds: [mine.department.id],
    })
    const other = await approvedOn(db, unique('Theirs'), fromNow(7 * day))
    const rotate = () =>
      app.request('/api/feeds/organisation-token', { method: 'POST', headers: mine.company.headers })
    const first = await json(await rotate())
    expect(first.url).toMatch(/\/api\/feeds\/organisations\/[A-Za-z0-9_-]{43}\.ics$/)
    const res = await app.request(first.path)
    expect(res.headers.get('cache-control')).toContain('private')
    const events = readCalendar(await res.text())
    expect(events.map((e) => [e.uid, e.status]).sort()).toEqual(
      [
        [`${mine.bookingId}@city-testbed`, 'CONFIRMED'],
        [`${pending}@city-testbed`, 'TENTATIVE'],
      ].sort(),
    )
    expect(events.map((e) => e.uid)).not.toContain(`${other.bookingId}@city-testbed`)
    const second = await json(await rotate())
    expect((await app.request(first.path)).status).toBe(404)
    expect((await app.request(second.path)).status).toBe(200)
    expect((await app.request('/api/feeds/organisations/not-a-token.ics')).status).toBe(400)
  })
})

describe('GeoJSON', () => {
  it('is valid RFC 7946 with published areas and sites, each site with its active pilots', async () => {
    const { app, db } = await testApp()
    const active = await approvedOn(db, unique('Running now'), fromNow(-hour), 5 * hour)
    const hidden = await makeFacility(db, { published: false })
    const res = await app.request('/api/map.geojson')
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const text = await res.text()
    expect(getIssues(text)).toEqual([])
    const collection = JSON.parse(text)
    expect(collection.type).toBe('FeatureCollection')
    const ids = collection.features.map((f: { id: string }) => f.id)
    expect(ids).toContain(demoIds.areas.embankment)
    expect(ids).toContain(demoIds.facility(1))
    expect(ids).not.toContain(hidden.id)
    const site = collection.features.find((f: { id: string }) => f.id === active.facility.id)
    expect(site.properties.activePilots).toEqual([
      expect.objectContaining({
        id: active.pilot.id,
        title: active.pilot.title,
        url: expect.stringContaining(`/pilots/${active.pilot.id}`),
      }),
    ])
    const pole = collection.features.find((f: { id: string }) => f.id === demoIds.facility(1))
    expect(pole.properties.activePilots.map((p: { title: string }) => p.title)).toContain(
      'Adaptive LED lighting on the embankment',
    )
  })
})

describe('the OpenAPI document', () => {
  it('passes an OpenAPI 3.1 validator, with a summary for every operation', async () => {
    const { app } = await testApp()
    const doc = await json(await app.request('/api/openapi.json'))
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy()
    for (const [path, operations] of Object.entries(
      doc.paths as Record<string, Record<string, { summary?: string }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.summary, `${method} ${path}`).toBeTruthy()
      }
    }
    expect(JSON.stringify(doc).match(/"example"/g)?.length).toBeGreaterThan(10)
  })

  it('renders at /api/docs from files this site serves', async () => {
    const { app } = await testApp()
    const html = await (await app.request('/api/docs')).text()
    expect(html).toContain('/api-docs/swagger-ui-bundle.js')
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/)
  })
})

describe('reports', () => {
  async function official(db: Awaited<ReturnType<typeof testApp>>['db']) {
    return makeUser(db, 'official')
  }

  it('computes utilisation as booked share of open hours, as JSON and as CSV', async () => {
    // A week from Monday 2031-09-01 in St. Petersburg; the site opens 09:00–18:00 on weekdays.
    const monday = Date.parse('2031-09-01T00:00:00+03:00')
    const { app, db } = await testApp({ now: new Date(monday + 10 * day) })
    const viewer = await makeUser(db, 'official', { sessionAt: new Date(monday + 10 * day) })
    const area = await makeArea(db)
    const site = await makeFacility(db, {
      areaId: area.id,
      capacity: 2,
      openingHours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' })),
    })
    const company = await makeUser(db, 'company')
    const pilot = await makePilot(db, company.organisationId as string)
    // 3 hours inside opening hours, plus 2 hours of it before opening that do not count.
    await makeBooking(db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: new Date(monday + 7 * hour),
      end: new Date(monday + 12 * hour),
      state: 'approved',
      departmentIds: [area.departmentId],
    })
    const period = `from=${new Date(monday).toISOString()}&to=${new Date(monday + 7 * day).toISOString()}`
    const body = await json(
      await app.request(`/api/reports/utilisation/facilities?${period}`, { headers: viewer.headers }),
    )
    const row = body.items.find((r: { facilityId: string }) => r.facilityId === site.id)
    expect(row).toMatchObject({ capacity: 2, openHours: 45, bookedHours: 3, share: 0.033 })

    const csv = await app.request(`/api/reports/utilisation/facilities?${period}&format=csv`, {
      headers: viewer.headers,
    })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="utilisation-facilities-2031-08-31/,
    )
    const records = parseCsv(await csv.text(), { columns: true }) as Record<string, string>[]
    expect(records.find((r) => r.facilityId === site.id)).toMatchObject({
      openHours: '45',
      bookedHours: '3',
      share: '0.033',
    })

    const areas = await json(
      await app.request(`/api/reports/utilisation/areas?${period}`, { headers: viewer.headers }),
    )
    expect(areas.items.find((a: { areaId: string }) => a.areaId === area.id)).toMatchObject({
      openCapacityHours: 90,
      bookedHours: 3,
    })
  })

  it('gives the median time to decision per department, and rejection reasons CSV-safe', async () => {
    const t0 = Date.parse('2031-10-01T09:00:00Z')
    const { app, db } = await testApp({ now: new Date(t0 + 5 * day) })
    const viewer = await makeUser(db, 'admin', { sessionAt: new Date(t0 + 5 * day) })
    const department = await makeDepartment(db)
    const area = await makeArea(db, { departmentId: department.id })
    const site = await makeFacility(db, { areaId: area.id, capacity: 10 })
    const company = await makeUser(db, 'company')
    const pilot = await makePilot(db, company.organisationId as string, { title: unique('Street sensors') })
    const reason = 'Too close to the tram stop, "line 3"; choose another pole,\nplease'
    for (const [hours, decision] of [
      [2, 'approved'],
      [4, 'approved'],
      [10, 'rejected'],
    ] as const) {
      const id = await makeBooking(db, {
        pilotId: pilot.id,
        facilityId: site.id,
        start: new Date(t0 + 20 * day),
        end: new Date(t0 + 20 * day + hour),
        departmentIds: [department.id],
      })
      await db
        .updateTable('bookings')
        .set({ created_at: new Date(t0) })
        .where('id', '=', id)
        .execute()
      await db
        .updateTable('reviews')
        .set({
          decision,
          decided_at: new Date(t0 + hours * hour),
          note: decision === 'rejected' ? reason : null,
        })
        .where('booking_id', '=', id)
        .execute()
    }
    const period = `from=${new Date(t0).toISOString()}&to=${new Date(t0 + 2 * day).toISOString()}`
    const times = await json(
      await app.request(`/api/reports/decision-times?${period}`, { headers: viewer.headers }),
    )
    expect(times.items.find((d: { departmentId: string }) => d.departmentId === department.id)).toMatchObject(
      {
        decisions: 3,
        medianHours: 4,
      },
    )
    const csv = await (
      await app.request(`/api/reports/rejections?${period}&format=csv`, { headers: viewer.headers })
    ).text()
    const records = parseCsv(csv, { columns: true }) as Record<string, string>[]
    expect(records.find((r) => r.pilot === pilot.title)?.reason).toBe(reason)
  })

  it('counts pilots per category and per cluster, and refuses a backwards period', async () => {
    const { app, db } = await testApp()
    const viewer = await official(db)
    const counts = await json(
      await app.request('/api/reports/pilots-by-category', { headers: viewer.headers }),
    )
    expect(counts.items.find((c: { id: string }) => c.id === 'lighting')?.pilots).toBeGreaterThanOrEqual(1)
    const clusters = await json(
      await app.request('/api/reports/pilots-by-cluster', { headers: viewer.headers }),
    )
    expect(clusters.items.find((c: { id: string }) => c.id === 'electronics')?.pilots).toBeGreaterThanOrEqual(
      1,
    )
    const backwards = await app.request(
      `/api/reports/rejections?from=${testNow.toISOString()}&to=${fromNow(-day).toISOString()}`,
      { headers: viewer.headers },
    )
    expect(backwards.status).toBe(400)
  })
})

describe('open data', () => {
  it('publishes public pilots with stable ids and a licence, page by page', async () => {
    const { app } = await testApp()
    const first = await json(await app.request('/api/open-data/pilots?limit=2'))
    expect(first.licence).toEqual({
      id: 'CC-BY-4.0',
      name: expect.any(String),
      url: 'https://creativecommons.org/licenses/by/4.0/',
    })
    const seen: string[] = first.items.map((p: { id: string }) => p.id)
    let cursor = first.nextCursor
    for (let i = 0; cursor && i < 200; i++) {
      const page = await json(await app.request(`/api/open-data/pilots?limit=2&cursor=${cursor}`))
      seen.push(...page.items.map((p: { id: string }) => p.id))
      cursor = page.nextCursor
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toContain(demoIds.pilot(1))
    expect(seen).not.toContain(demoIds.pilot(5)) // only pending
    const all = await json(await app.request('/api/open-data/pilots?limit=500'))
    const lights = all.items.find((p: { id: string }) => p.id === demoIds.pilot(1))
    expect(lights).toMatchObject({
      organisation: 'Nordic Lights',
      cluster: 'electronics',
      category: 'lighting',
      dataCollected: expect.stringContaining('no images'),
      url: expect.stringContaining(`/pilots/${demoIds.pilot(1)}`),
    })
    expect(lights.bookings[0]).toMatchObject({ areaName: 'Petrovskaya Embankment', phase: 'active' })
  })
})
