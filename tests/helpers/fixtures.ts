import type { Kysely } from 'kysely'
import type { Database, FacilityKind } from '../../db/types.ts'
import { testNow } from './clock.ts'

/** A small polygon on the embankment, for areas that tests make. */
export const testSquare = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [30.3, 59.9],
      [30.31, 59.9],
      [30.31, 59.91],
      [30.3, 59.9],
    ],
  ],
}

/** A unique suffix, so that rows made by one test never collide with another's. */
export function unique(label: string): string {
  return `${label} ${crypto.randomUUID().slice(0, 8)}`
}

/** A client address no other test (nor an earlier run on the same database) has used. */
export function uniqueAddress(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3))
  return `10.${a}.${b}.${c}`
}

export async function makeDepartment(db: Kysely<Database>, name = unique('Department')) {
  return db.insertInto('departments').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow()
}

export interface AreaFixture {
  name?: string
  description?: string
  departmentId?: string
  categories?: string[]
  published?: boolean
}

export async function makeArea(db: Kysely<Database>, fixture: AreaFixture = {}) {
  const departmentId = fixture.departmentId ?? (await makeDepartment(db)).id
  const row = await db
    .insertInto('areas')
    .values({
      name: fixture.name ?? unique('Area'),
      description: fixture.description ?? 'A test area',
      department_id: departmentId,
      geometry: JSON.stringify(testSquare),
      published: fixture.published ?? true,
    })
    .returning(['id', 'name', 'department_id'])
    .executeTakeFirstOrThrow()
  const categories = fixture.categories ?? ['lighting']
  if (categories.length > 0) {
    await db
      .insertInto('area_categories')
      .values(categories.map((category_id) => ({ area_id: row.id, category_id })))
      .execute()
  }
  return { id: row.id, name: row.name, departmentId: row.department_id }
}

export interface FacilityFixture {
  areaId?: string
  name?: string
  description?: string
  kind?: FacilityKind
  capacity?: number
  published?: boolean
  powerKw?: number | null
  connectivity?: string[]
  maxLoadKg?: number | null
  heightM?: number | null
  indoor?: boolean | null
  openingHours?: { weekday: number; opens: string; closes: string }[]
  signoffDepartmentIds?: string[]
  minDurationMinutes?: number
  maxDurationMinutes?: number
  leadTimeMinutes?: number
  horizonDays?: number
  setupMinutes?: number
  teardownMinutes?: number
}

export async function makeFacility(db: Kysely<Database>, fixture: FacilityFixture = {}) {
  const areaId = fixture.areaId ?? (await makeArea(db)).id
  const area = await db
    .selectFrom('areas')
    .select('department_id')
    .where('id', '=', areaId)
    .executeTakeFirstOrThrow()
  const row = await db
    .insertInto('facilities')
    .values({
      area_id: areaId,
      name: fixture.name ?? unique('Facility'),
      description: fixture.description ?? 'A test facility',
      kind: fixture.kind ?? 'lighting_pole',
      geometry: JSON.stringify({ type: 'Point', coordinates: [30.305, 59.905] }),
      capacity: fixture.capacity ?? 1,
      power_kw: fixture.powerKw ?? null,
      connectivity: fixture.connectivity ?? [],
      max_load_kg: fixture.maxLoadKg ?? null,
      height_m: fixture.heightM ?? null,
      indoor: fixture.indoor ?? null,
      department_id: area.department_id,
      published: fixture.published ?? true,
      ...(fixture.minDurationMinutes !== undefined
        ? { min_duration_minutes: fixture.minDurationMinutes }
        : {}),
      ...(fixture.maxDurationMinutes !== undefined
        ? { max_duration_minutes: fixture.maxDurationMinutes }
        : {}),
      ...(fixture.leadTimeMinutes !== undefined ? { lead_time_minutes: fixture.leadTimeMinutes } : {}),
      ...(fixture.horizonDays !== undefined ? { horizon_days: fixture.horizonDays } : {}),
      ...(fixture.setupMinutes !== undefined ? { setup_minutes: fixture.setupMinutes } : {}),
      ...(fixture.teardownMinutes !== undefined ? { teardown_minutes: fixture.teardownMinutes } : {}),
    })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  if (fixture.openingHours?.length) {
    await db
      .insertInto('facility_opening_hours')
      .values(fixture.openingHours.map((w) => ({ facility_id: row.id, ...w })))
      .execute()
  }
  if (fixture.signoffDepartmentIds?.length) {
    await db
      .insertInto('facility_signoff_departments')
      .values(fixture.signoffDepartmentIds.map((department_id) => ({ facility_id: row.id, department_id })))
      .execute()
  }
  return { id: row.id, name: row.name, areaId, departmentId: area.department_id }
}

export async function makePilot(
  db: Kysely<Database>,
  organisationId: string,
  fixture: { category?: string; title?: string; at?: Date } = {},
) {
  return db
    .insertInto('pilots')
    .values({
      organisation_id: organisationId,
      title: fixture.title ?? unique('Pilot'),
      summary: 'A test pilot',
      category_id: fixture.category ?? 'lighting',
      public_description: 'What is tested and why',
      data_collected: 'Nothing personal',
      contact_email: 'pilot@test.example',
      created_at: fixture.at ?? testNow,
      updated_at: fixture.at ?? testNow,
    })
    .returning(['id', 'title'])
    .executeTakeFirstOrThrow()
}

/** A booking made straight in the database, with one review per department, all in the booking's state. */
export async function makeBooking(
  db: Kysely<Database>,
  fixture: {
    pilotId: string
    facilityId: string
    start: Date
    end: Date
    state?: 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'cancelled'
    departmentIds: string[]
    createdBy?: string
    /** The applicant's note to the officials. */
    note?: string
    /** When it was requested (and last changed): the suite's now unless given. */
    at?: Date
  },
) {
  const state = fixture.state ?? 'pending'
  const row = await db
    .insertInto('bookings')
    .values({
      pilot_id: fixture.pilotId,
      facility_id: fixture.facilityId,
      starts_at: fixture.start,
      ends_at: fixture.end,
      occupied_from: fixture.start,
      occupied_to: fixture.end,
      state,
      created_by: fixture.createdBy ?? null,
      note: fixture.note ?? null,
      created_at: fixture.at ?? testNow,
      updated_at: fixture.at ?? testNow,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const decision = state === 'approved' ? 'approved' : state === 'rejected' ? 'rejected' : 'pending'
  await db
    .insertInto('reviews')
    .values(fixture.departmentIds.map((department_id) => ({ booking_id: row.id, department_id, decision })))
    .execute()
  return row.id
}
