import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { documentKey, documentStoreFor } from '../../api/storage/index.ts'
import type { Database } from '../../db/types.ts'
import { makeSession, makeUser, type TestUser, testPassword } from '../helpers/accounts.ts'
import { testApp } from '../helpers/app.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  testSquare,
  unique,
} from '../helpers/fixtures.ts'

/**
 * The authorization matrix: every route the app registers, called by six kinds of caller, with
 * the status each must get. A route without a row fails the test, so no route ships unchecked.
 */

type Actor = 'visitor' | 'companyA' | 'companyB' | 'managing' | 'otherOfficial' | 'admin'
const actors: Actor[] = ['visitor', 'companyA', 'companyB', 'managing', 'otherOfficial', 'admin']

interface World {
  db: Kysely<Database>
  users: Record<Exclude<Actor, 'visitor'>, TestUser>
  department: string
  areaId: string
  facilityId: string
  /** A roomy facility for the bookings the matrix makes. */
  bookable: string
  /** Company A's pilot, with an approved booking. */
  pilotId: string
}

let slot = 0
/** A fresh future hour, so that bookings the matrix makes never meet. */
function nextSlot() {
  slot++
  const start = fromNow((10 + slot) * day)
  return { start, end: new Date(start.getTime() + 3600 * 1000) }
}

async function freshBooking(world: World) {
  return makeBooking(world.db, {
    pilotId: world.pilotId,
    facilityId: world.bookable,
    ...nextSlot(),
    departmentIds: [world.department],
    createdBy: world.users.companyA.id,
  })
}

/** A series of one occurrence, made straight in the database. */
async function freshSeries(world: World) {
  const bookingId = await freshBooking(world)
  const series = await world.db
    .insertInto('series')
    .values({ pilot_id: world.pilotId, facility_id: world.bookable, frequency: 'daily', until: '2099-01-01' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await world.db.updateTable('bookings').set({ series_id: series.id }).where('id', '=', bookingId).execute()
  return series.id
}

/** The city date (Europe/Moscow) of an instant, as a series' `until`. */
const cityDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(at)

const party = (status: number, strangers = 404) => ({
  visitor: 401,
  companyA: status,
  companyB: strangers,
  managing: status,
  otherOfficial: strangers,
  admin: status,
})

interface Call {
  path: string
  body?: unknown
  /** Replaces the actor's credentials, e.g. a throwaway session for logout. */
  headers?: Record<string, string>
}

type Row = {
  /** Builds a fresh request for an actor: new names, new rows to change or delete. */
  call: (world: World, actor: Actor) => Promise<Call> | Call
  expect: Record<Actor, number>
}

const everyone = (status: number): Record<Actor, number> => ({
  visitor: status,
  companyA: status,
  companyB: status,
  managing: status,
  otherOfficial: status,
  admin: status,
})
const signedIn = (status: number) => ({ ...everyone(status), visitor: 401 })
const adminOnly = (status: number) => ({ ...everyone(403), visitor: 401, admin: status })
const managers = (status: number) => ({ ...everyone(403), visitor: 401, managing: status, admin: status })

const square = testSquare
const soon = () => {
  const start = fromNow(30 * day)
  return { start: start.toISOString(), end: new Date(start.getTime() + 3600 * 1000).toISOString() }
}

/** A pilot of company A whose approved booking began yesterday: it may publish results. */
async function startedPilot(world: World) {
  const pilot = await makePilot(world.db, world.users.companyA.organisationId as string)
  const start = fromNow(-day)
  await makeBooking(world.db, {
    pilotId: pilot.id,
    facilityId: world.bookable,
    start,
    end: new Date(start.getTime() + 3600 * 1000),
    state: 'approved',
    departmentIds: [world.department],
  })
  return pilot.id
}

async function freshClosure(world: World) {
  const { start, end } = soon()
  const row = await world.db
    .insertInto('closures')
    .values({ facility_id: world.facilityId, starts_at: start, ends_at: end, reason: 'Maintenance' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A PDF of company A's pilot, its row and its file (under the test app's DATA_DIR, ./.data). */
async function freshDocument(world: World) {
  const id = crypto.randomUUID()
  const storageKey = documentKey(world.pilotId, id)
  const bytes = new TextEncoder().encode('%PDF-1.4\n%%EOF\n')
  const store = documentStoreFor({ dataDir: './.data', documentStorage: undefined })
  await store.put(storageKey, bytes, 'application/pdf')
  await world.db
    .insertInto('documents')
    .values({
      id,
      pilot_id: world.pilotId,
      kind: 'other',
      title: 'Letter',
      file_name: 'letter.pdf',
      size: bytes.byteLength,
      content_type: 'application/pdf',
      sha256: '0'.repeat(64),
      storage_key: storageKey,
    })
    .execute()
  return id
}

/** A multipart upload of a small PDF. */
function documentForm() {
  const form = new FormData()
  form.set('kind', 'other')
  form.set('title', unique('Letter'))
  form.set('file', new File(['%PDF-1.4\n%%EOF\n'], 'letter.pdf'))
  return form
}

let holidays = 0
/** A public holiday day in a far year of the matrix's own, so that no test's deadline meets it. */
const freshHoliday = () => {
  holidays++
  return `${2900 + Math.floor(Math.random() * 90)}-${String(1 + (holidays % 12)).padStart(2, '0')}-${String(1 + (holidays % 28)).padStart(2, '0')}`
}

const matrix: Record<string, Row> = {
  'GET /api/health': { call: () => ({ path: '/api/health' }), expect: everyone(200) },
  'GET /api/settings': { call: () => ({ path: '/api/settings' }), expect: everyone(200) },
  'GET /api/categories': { call: () => ({ path: '/api/categories' }), expect: everyone(200) },
  'GET /api/clusters': { call: () => ({ path: '/api/clusters' }), expect: everyone(200) },
  'POST /api/auth/register': {
    call: () => ({
      path: '/api/auth/register',
      body: {
        email: `${unique('new').replace(' ', '-')}@test.example`,
        password: testPassword,
        name: 'New Person',
        organisation: { name: unique('New Co'), cluster: 'ict' },
      },
    }),
    expect: everyone(201),
  },
  'POST /api/auth/login': {
    call: (w) => ({
      path: '/api/auth/login',
      body: { email: w.users.companyB.email, password: testPassword },
    }),
    expect: everyone(200),
  },
  'POST /api/auth/logout': {
    call: async (w, actor) => {
      if (actor === 'visitor') return { path: '/api/auth/logout' }
      const token = await makeSession(w.db, w.users[actor].id)
      return { path: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } }
    },
    expect: { ...everyone(204), visitor: 401 },
  },
  'GET /api/me': { call: () => ({ path: '/api/me' }), expect: signedIn(200) },
  'GET /api/auth/session': { call: () => ({ path: '/api/auth/session' }), expect: everyone(200) },
  'PATCH /api/me': { call: () => ({ path: '/api/me', body: { language: 'ru' } }), expect: signedIn(200) },
  'POST /api/me/password': {
    call: () => ({
      path: '/api/me/password',
      body: { currentPassword: testPassword, newPassword: testPassword },
    }),
    expect: { ...everyone(204), visitor: 401 },
  },
  'GET /api/departments': { call: () => ({ path: '/api/departments' }), expect: everyone(200) },
  'GET /api/departments/{id}': {
    call: (w) => ({ path: `/api/departments/${w.department}` }),
    expect: everyone(200),
  },
  'POST /api/departments': {
    call: () => ({ path: '/api/departments', body: { name: unique('Department') } }),
    expect: adminOnly(201),
  },
  'PATCH /api/departments/{id}': {
    call: async (w) => ({
      path: `/api/departments/${(await makeDepartment(w.db)).id}`,
      body: { name: unique('Renamed') },
    }),
    expect: adminOnly(200),
  },
  'GET /api/users': { call: () => ({ path: '/api/users' }), expect: adminOnly(200) },
  'GET /api/users/{id}': {
    call: (w) => ({ path: `/api/users/${w.users.companyA.id}` }),
    expect: adminOnly(200),
  },
  'POST /api/users': {
    call: (w) => ({
      path: '/api/users',
      body: {
        email: `${unique('official').replace(' ', '-')}@city.example`,
        password: testPassword,
        name: 'New Official',
        role: 'official',
        departmentId: w.department,
      },
    }),
    expect: adminOnly(201),
  },
  'PATCH /api/users/{id}': {
    call: async (w) => ({
      path: `/api/users/${(await makeUser(w.db, 'company')).id}`,
      body: { name: 'Renamed' },
    }),
    expect: adminOnly(200),
  },
  'POST /api/users/{id}/password': {
    call: async (w) => ({
      path: `/api/users/${(await makeUser(w.db, 'company')).id}/password`,
      body: { password: 'a-fresh-reset-passphrase' },
    }),
    expect: adminOnly(204),
  },
  'GET /api/holidays': {
    call: () => ({ path: '/api/holidays' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'POST /api/holidays': {
    call: () => ({ path: '/api/holidays', body: { day: freshHoliday(), name: 'Matrix Day' } }),
    expect: adminOnly(201),
  },
  'DELETE /api/holidays/{day}': {
    call: async (w) => {
      const day = freshHoliday()
      await w.db.insertInto('public_holidays').values({ day, name: 'Matrix Day' }).execute()
      return { path: `/api/holidays/${day}` }
    },
    expect: adminOnly(204),
  },
  'GET /api/organisations': { call: () => ({ path: '/api/organisations' }), expect: adminOnly(200) },
  'GET /api/areas': { call: () => ({ path: '/api/areas' }), expect: everyone(200) },
  'GET /api/areas/{id}': { call: (w) => ({ path: `/api/areas/${w.areaId}` }), expect: everyone(200) },
  'POST /api/areas': {
    call: (w) => ({
      path: '/api/areas',
      body: { name: unique('Area'), departmentId: w.department, categories: ['lighting'], geometry: square },
    }),
    expect: managers(201),
  },
  'PATCH /api/areas/{id}': {
    call: (w) => ({ path: `/api/areas/${w.areaId}`, body: { description: unique('Described') } }),
    expect: managers(200),
  },
  'GET /api/areas/{id}/closures': {
    call: (w) => ({ path: `/api/areas/${w.areaId}/closures` }),
    expect: everyone(200),
  },
  'POST /api/areas/{id}/closures': {
    call: (w) => ({ path: `/api/areas/${w.areaId}/closures`, body: { ...soon(), reason: 'Festival' } }),
    expect: managers(201),
  },
  'GET /api/facilities': { call: () => ({ path: '/api/facilities' }), expect: everyone(200) },
  'GET /api/facilities/{id}': {
    call: (w) => ({ path: `/api/facilities/${w.facilityId}` }),
    expect: everyone(200),
  },
  'POST /api/facilities': {
    call: (w) => ({
      path: '/api/facilities',
      body: {
        areaId: w.areaId,
        name: unique('Pole'),
        kind: 'lighting_pole',
        geometry: { type: 'Point', coordinates: [30.305, 59.905] },
      },
    }),
    expect: managers(201),
  },
  'PATCH /api/facilities/{id}': {
    call: (w) => ({ path: `/api/facilities/${w.facilityId}`, body: { specs: { powerKw: 0.5 } } }),
    expect: managers(200),
  },
  'GET /api/facilities/{id}/closures': {
    call: (w) => ({ path: `/api/facilities/${w.facilityId}/closures` }),
    expect: everyone(200),
  },
  'POST /api/facilities/{id}/closures': {
    call: (w) => ({
      path: `/api/facilities/${w.facilityId}/closures`,
      body: { ...soon(), reason: 'Repainting' },
    }),
    expect: managers(201),
  },
  'GET /api/pilots': { call: () => ({ path: '/api/pilots' }), expect: everyone(200) },
  'GET /api/pilots/{id}': { call: (w) => ({ path: `/api/pilots/${w.pilotId}` }), expect: everyone(200) },
  'GET /api/pilots/{id}/bookings': {
    call: (w) => ({ path: `/api/pilots/${w.pilotId}/bookings` }),
    expect: everyone(200),
  },
  'GET /api/free-time': { call: () => ({ path: '/api/free-time?minutes=60' }), expect: signedIn(200) },
  'POST /api/pilots': {
    call: () => ({
      path: '/api/pilots',
      body: {
        title: unique('Pilot'),
        summary: 'Smart poles',
        category: 'lighting',
        publicDescription: 'What and why',
        dataCollected: 'Counts only',
        contactEmail: 'pilot@test.example',
      },
    }),
    expect: { ...everyone(403), visitor: 401, companyA: 201, companyB: 201 },
  },
  'PATCH /api/pilots/{id}': {
    call: (w) => ({ path: `/api/pilots/${w.pilotId}`, body: { summary: unique('Summary') } }),
    expect: { ...everyone(403), visitor: 401, companyA: 200, companyB: 404 },
  },
  'DELETE /api/pilots/{id}': {
    call: async (w) => ({
      path: `/api/pilots/${(await makePilot(w.db, w.users.companyA.organisationId as string)).id}`,
    }),
    expect: { ...everyone(403), visitor: 401, companyA: 204, companyB: 404 },
  },
  'POST /api/pilots/{id}/bookings': {
    call: (w) => {
      const { start, end } = nextSlot()
      return {
        path: `/api/pilots/${w.pilotId}/bookings`,
        body: { facilityId: w.bookable, start: start.toISOString(), end: end.toISOString() },
      }
    },
    expect: { ...everyone(403), visitor: 401, companyA: 201, companyB: 404 },
  },
  'POST /api/pilots/{id}/series': {
    call: (w) => {
      const { start, end } = nextSlot()
      return {
        path: `/api/pilots/${w.pilotId}/series`,
        body: {
          facilityId: w.bookable,
          start: start.toISOString(),
          end: end.toISOString(),
          recurrence: { frequency: 'daily', until: cityDate(start) },
        },
      }
    },
    expect: { ...everyone(403), visitor: 401, companyA: 201, companyB: 404 },
  },
  'GET /api/series/{id}': {
    call: async (w) => ({ path: `/api/series/${await freshSeries(w)}` }),
    expect: party(200),
  },
  'POST /api/series/{id}/reviews': {
    call: async (w) => ({
      path: `/api/series/${await freshSeries(w)}/reviews`,
      body: { decision: 'approve' },
    }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 404 },
  },
  'POST /api/series/{id}/cancel': {
    call: async (w) => ({ path: `/api/series/${await freshSeries(w)}/cancel`, body: { reason: 'Works' } }),
    expect: party(200),
  },
  'GET /api/bookings': { call: () => ({ path: '/api/bookings' }), expect: signedIn(200) },
  'GET /api/review-queue': {
    call: () => ({ path: '/api/review-queue' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/bookings/{id}': {
    call: async (w) => ({ path: `/api/bookings/${await freshBooking(w)}` }),
    expect: { ...party(200), visitor: 404 },
  },
  'PATCH /api/bookings/{id}': {
    call: async (w) => ({ path: `/api/bookings/${await freshBooking(w)}`, body: { note: 'More detail' } }),
    expect: { ...everyone(403), visitor: 401, companyA: 200, companyB: 404 },
  },
  'POST /api/bookings/{id}/reviews': {
    call: async (w) => ({
      path: `/api/bookings/${await freshBooking(w)}/reviews`,
      body: { decision: 'approve' },
    }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 404 },
  },
  'POST /api/reviews/bulk': {
    call: async (w) => ({
      path: '/api/reviews/bulk',
      body: { bookingIds: [await freshBooking(w)], decision: 'approve' },
    }),
    // Another department's booking is a 404 inside the results, not of the request.
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200 },
  },
  'POST /api/bookings/{id}/cancel': {
    call: async (w) => ({
      path: `/api/bookings/${await freshBooking(w)}/cancel`,
      body: { reason: 'Plans changed' },
    }),
    expect: party(200),
  },
  'GET /api/bookings/{id}/events': {
    call: async (w) => ({ path: `/api/bookings/${await freshBooking(w)}/events` }),
    expect: party(200),
  },
  'GET /api/calendar': {
    call: () => {
      return {
        path: `/api/calendar?start=${testNow.toISOString()}&end=${fromNow(30 * day).toISOString()}`,
      }
    },
    expect: everyone(200),
  },
  'GET /api/facilities/{id}/availability': {
    call: (w) => ({ path: `/api/facilities/${w.bookable}/availability` }),
    expect: everyone(200),
  },
  'GET /api/feeds/pilots.ics': { call: () => ({ path: '/api/feeds/pilots.ics' }), expect: everyone(200) },
  'GET /api/facilities/{id}/calendar.ics': {
    call: (w) => ({ path: `/api/facilities/${w.facilityId}/calendar.ics` }),
    expect: everyone(200),
  },
  'GET /api/areas/{id}/calendar.ics': {
    call: (w) => ({ path: `/api/areas/${w.areaId}/calendar.ics` }),
    expect: everyone(200),
  },
  'GET /api/feeds/organisations/{token}': {
    // The token is the credential: a wrong one is nobody's feed, whoever asks.
    call: () => ({ path: `/api/feeds/organisations/${'A'.repeat(43)}.ics` }),
    expect: everyone(404),
  },
  'POST /api/feeds/organisation-token': {
    call: () => ({ path: '/api/feeds/organisation-token' }),
    expect: { ...everyone(403), visitor: 401, companyA: 200, companyB: 200 },
  },
  'GET /api/map.geojson': { call: () => ({ path: '/api/map.geojson' }), expect: everyone(200) },
  'GET /api/open-data/pilots': { call: () => ({ path: '/api/open-data/pilots' }), expect: everyone(200) },
  'GET /api/reports/utilisation/facilities': {
    call: () => ({ path: '/api/reports/utilisation/facilities' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/reports/utilisation/areas': {
    call: () => ({ path: '/api/reports/utilisation/areas' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/reports/decision-times': {
    call: () => ({ path: '/api/reports/decision-times' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/reports/pilots-by-category': {
    call: () => ({ path: '/api/reports/pilots-by-category' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/reports/pilots-by-cluster': {
    call: () => ({ path: '/api/reports/pilots-by-cluster' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'GET /api/reports/rejections': {
    call: () => ({ path: '/api/reports/rejections' }),
    expect: { ...everyone(403), visitor: 401, managing: 200, otherOfficial: 200, admin: 200 },
  },
  'DELETE /api/closures/{id}': {
    call: async (w) => ({ path: `/api/closures/${await freshClosure(w)}` }),
    expect: managers(204),
  },
  'GET /api/closures': { call: () => ({ path: '/api/closures' }), expect: everyone(200) },
  'GET /api/places': { call: () => ({ path: '/api/places?q=pole' }), expect: everyone(200) },
  'POST /api/pilots/{id}/results': {
    call: async (w) => ({
      path: `/api/pilots/${await startedPilot(w)}/results`,
      body: { summary: 'What we learnt', findings: 'It works.' },
    }),
    expect: { ...party(403), companyA: 201, otherOfficial: 403 },
  },
  'GET /api/pilots/{id}/results': {
    call: async (w) => {
      const pilotId = await startedPilot(w)
      await w.db
        .insertInto('pilot_results')
        .values({ pilot_id: pilotId, summary: 'S', findings: 'F' })
        .execute()
      return { path: `/api/pilots/${pilotId}/results` }
    },
    expect: everyone(200),
  },
  'POST /api/pilots/{id}/feedback': {
    call: async (w) => {
      // Six callers from the matrix's one address: forget the throttle's count between them.
      await w.db
        .deleteFrom('login_failures')
        .where('key', 'like', 'feedback:%')
        .where('at', '=', testNow)
        .execute()
      return { path: `/api/pilots/${w.pilotId}/feedback`, body: { message: 'Nice lights' } }
    },
    expect: everyone(202),
  },
  'GET /api/pilots/{id}/feedback': {
    call: (w) => ({ path: `/api/pilots/${w.pilotId}/feedback` }),
    expect: { ...party(200), visitor: 404 },
  },
  'POST /api/pilots/{id}/documents': {
    call: (w) => ({ path: `/api/pilots/${w.pilotId}/documents`, body: documentForm() }),
    expect: { ...party(403), companyA: 201 },
  },
  'GET /api/pilots/{id}/documents': {
    call: (w) => ({ path: `/api/pilots/${w.pilotId}/documents` }),
    expect: party(200),
  },
  'GET /api/documents/{id}/file': {
    call: async (w) => ({ path: `/api/documents/${await freshDocument(w)}/file` }),
    expect: party(200),
  },
  'DELETE /api/documents/{id}': {
    call: async (w) => ({ path: `/api/documents/${await freshDocument(w)}` }),
    expect: { ...party(204), managing: 403 },
  },
  'PATCH /api/closures/{id}': {
    call: async (w) => ({ path: `/api/closures/${await freshClosure(w)}`, body: { reason: 'Longer works' } }),
    expect: managers(200),
  },
  'GET /api/closures/overlaps': {
    call: (w) => {
      const { start, end } = soon()
      return { path: `/api/closures/overlaps?areaId=${w.areaId}&start=${start}&end=${end}` }
    },
    expect: managers(200),
  },
}

describe('authorization matrix', () => {
  let world: World
  let app: Awaited<ReturnType<typeof testApp>>['app']

  beforeAll(async () => {
    const t = await testApp()
    app = t.app
    const department = (await makeDepartment(t.db)).id
    const area = await makeArea(t.db, { departmentId: department })
    const facility = await makeFacility(t.db, { areaId: area.id })
    const bookable = await makeFacility(t.db, { areaId: area.id, capacity: 1000 })
    const companyA = await makeUser(t.db, 'company')
    const pilot = await makePilot(t.db, companyA.organisationId as string)
    const { start, end } = nextSlot()
    await makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId: bookable.id,
      start,
      end,
      state: 'approved',
      departmentIds: [department],
    })
    world = {
      db: t.db,
      department,
      areaId: area.id,
      facilityId: facility.id,
      bookable: bookable.id,
      pilotId: pilot.id,
      users: {
        companyA,
        companyB: await makeUser(t.db, 'company'),
        managing: await makeUser(t.db, 'official', { departmentId: department }),
        otherOfficial: await makeUser(t.db, 'official'),
        admin: await makeUser(t.db, 'admin'),
      },
    }
  })

  function servedRoutes() {
    return [
      ...new Set(
        app.routes
          .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
          .filter((r) => !['/api/openapi.json', '/api/docs'].includes(r.path))
          .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
      ),
    ].sort()
  }

  it('has a row for every route the app serves', () => {
    const missing = servedRoutes().filter((route) => !(route in matrix))
    expect(missing).toEqual([])
  })

  const responses: string[] = []

  for (const [route, row] of Object.entries(matrix)) {
    it(route, async () => {
      const method = route.split(' ')[0] as string
      const seen: Record<string, number> = {}
      for (const actor of actors) {
        const call = await row.call(world, actor)
        const auth = actor === 'visitor' ? {} : world.users[actor].headers
        // A FormData body goes as multipart (document uploads); any other as JSON.
        const form = call.body instanceof FormData
        const res = await app.request(call.path, {
          method,
          headers: {
            ...(call.headers ?? auth),
            ...(call.body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
          },
          ...(call.body !== undefined
            ? { body: form ? (call.body as FormData) : JSON.stringify(call.body) }
            : {}),
        })
        seen[actor] = res.status
        const text = await res.text()
        responses.push(text)
        if (res.status >= 400)
          expect(res.headers.get('content-type'), `${route} as ${actor}`).toMatch(/problem\+json/)
      }
      expect(seen).toEqual(row.expect)
    })
  }

  it('never answers with a password hash or a stored session token', async () => {
    const hashes = await world.db.selectFrom('sessions').select('token_hash').limit(2000).execute()
    const secrets = [/pbkdf2-sha256\$/, /password_?hash/i]
    const joined = responses.join('\n')
    for (const pattern of secrets) expect(joined).not.toMatch(pattern)
    for (const { token_hash } of hashes) expect(joined.includes(token_hash)).toBe(false)
    expect(responses.length).toBeGreaterThan(100)
  })
})
