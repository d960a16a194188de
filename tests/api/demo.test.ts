import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../api/lib/password.ts'
import { demoAccounts, demoIds, demoPassword, seedDemo } from '../../db/seed/demo.ts'
import { json, testApp } from '../helpers/app.ts'
import { testNow } from '../helpers/clock.ts'

describe('the demo city (docs/api.md, demo mode)', () => {
  it('has the areas and facilities docs/api.md asks for', async () => {
    const { app } = await testApp()
    const areas = await json(await app.request('/api/areas?limit=500'))
    const demoAreas = areas.items.filter((a: { id: string }) => Object.values(demoIds.areas).includes(a.id))
    expect(demoAreas.length).toBeGreaterThanOrEqual(3)

    const facilities = (await json(await app.request('/api/facilities?limit=500'))).items.filter(
      (f: { areaId: string }) => Object.values(demoIds.areas).includes(f.areaId),
    )
    expect(facilities.length).toBeGreaterThanOrEqual(12)
    expect(new Set(facilities.map((f: { kind: string }) => f.kind)).size).toBeGreaterThanOrEqual(4)
    expect(facilities.some((f: { capacity: number }) => f.capacity >= 2)).toBe(true)
    expect(
      facilities.some((f: { rules: { openingHours?: unknown[] } }) => f.rules.openingHours?.length),
    ).toBe(true)
    expect(
      facilities.some(
        (f: { departmentId: string; signoffDepartmentIds: string[] }) =>
          f.signoffDepartmentIds.length > 0 && !f.signoffDepartmentIds.includes(f.departmentId),
      ),
    ).toBe(true)
    expect(
      facilities.filter((f: { rules: { leadTimeMinutes: number } }) => f.rules.leadTimeMinutes >= 24 * 60)
        .length,
    ).toBeGreaterThanOrEqual(2)
    // The specs differ from site to site.
    expect(new Set(facilities.map((f: { specs: unknown }) => JSON.stringify(f.specs))).size).toBeGreaterThan(
      8,
    )
    // In St. Petersburg: every site within the city's bounding box.
    for (const f of facilities) {
      const [lon, lat] = f.geometry.type === 'Point' ? f.geometry.coordinates : f.geometry.coordinates.flat(2)
      expect(lon).toBeGreaterThan(29.4)
      expect(lon).toBeLessThan(30.8)
      expect(lat).toBeGreaterThan(59.6)
      expect(lat).toBeLessThan(60.2)
    }
  })

  it('has the demo accounts, each with the demo password and the right role', async () => {
    const { db } = await testApp()
    const users = await db
      .selectFrom('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .select([
        'users.email',
        'users.role',
        'users.password_hash',
        'departments.name as department',
        'organisations.name as organisation',
      ])
      .where(
        'users.email',
        'in',
        demoAccounts.map((a) => a.email),
      )
      .execute()
    const byEmail = Object.fromEntries(users.map((u) => [u.email, u]))
    expect(byEmail['admin@example.org']?.role).toBe('admin')
    expect(byEmail['lighting@example.org']).toMatchObject({
      role: 'official',
      department: 'Roads and Lighting',
    })
    expect(byEmail['planning@example.org']).toMatchObject({ role: 'official', department: 'Urban Planning' })
    expect(byEmail['company@example.org']).toMatchObject({ role: 'company', organisation: 'Nordic Lights' })
    expect(byEmail['rival@example.org']).toMatchObject({ role: 'company', organisation: 'Digital Streets' })
    const admin = byEmail['admin@example.org']
    expect(admin && (await verifyPassword(demoPassword, admin.password_hash))).toBe(true)
    expect(admin && (await verifyPassword('wrong-password', admin.password_hash))).toBe(false)
  })

  it('has approved pilots in the past, present and future, and a closure', async () => {
    const { db } = await testApp()
    const demoPilotIds = [1, 2, 3, 4, 5].map(demoIds.pilot)
    const phases = await db
      .selectFrom('bookings')
      .where('state', '=', 'approved')
      .where('pilot_id', 'in', demoPilotIds)
      .select([
        sql<number>`count(*) filter (where ends_at <= ${testNow})::int`.as('past'),
        sql<number>`count(*) filter (where starts_at <= ${testNow} and ${testNow} < ends_at)::int`.as(
          'present',
        ),
        sql<number>`count(*) filter (where starts_at > ${testNow})::int`.as('future'),
      ])
      .executeTakeFirstOrThrow()
    expect(phases.past).toBeGreaterThanOrEqual(1)
    expect(phases.present).toBeGreaterThanOrEqual(1)
    expect(phases.future).toBeGreaterThanOrEqual(1)
    const closures = await db
      .selectFrom('closures')
      .where((eb) =>
        eb.or([
          eb('area_id', 'in', Object.values(demoIds.areas)),
          eb('facility_id', 'in', [3].map(demoIds.facility)),
        ]),
      )
      .select('reason')
      .execute()
    expect(closures.length).toBeGreaterThanOrEqual(1)
    // Every approved demo booking has every required sign-off approved.
    const unapproved = await db
      .selectFrom('reviews')
      .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
      .where('bookings.state', '=', 'approved')
      .where('bookings.pilot_id', 'in', demoPilotIds)
      .where('reviews.decision', '!=', 'approved')
      .select('reviews.id')
      .execute()
    expect(unapproved).toEqual([])
  })

  it('can be loaded twice without harm', async () => {
    const { db } = await testApp()
    const count = async () =>
      db.selectFrom('facilities').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    const before = await count()
    expect(await seedDemo(db, { now: testNow, timeZone: 'Europe/Moscow', hashPassword })).toBe(false)
    expect(await count()).toEqual(before)
  })
})
