import type { Executor } from '../../db/types.ts'
import type {
  CreateAreaBody,
  CreateFacilityBody,
  UpdateAreaBody,
  UpdateFacilityBody,
} from '../schemas/catalogue.ts'
import { refreshPlaceColumns } from './places.ts'

/** The row of an area, locked for the rest of the transaction. */
export async function lockArea(db: Executor, id: string) {
  return db.selectFrom('areas').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The row of a facility with its area's department, locked for the rest of the transaction. */
export async function lockFacility(db: Executor, id: string) {
  return db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .selectAll('facilities')
    .select('areas.department_id as area_department_id')
    .where('facilities.id', '=', id)
    .forUpdate('facilities')
    .executeTakeFirst()
}

export async function insertArea(db: Executor, body: CreateAreaBody & { departmentId: string }, now: Date) {
  const row = await db
    .insertInto('areas')
    .values({
      name: body.name,
      description: body.description ?? '',
      department_id: body.departmentId,
      geometry: JSON.stringify(body.geometry),
      address: body.address || null,
      published: body.published ?? false,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await replaceAreaCategories(db, row.id, body.categories)
  await refreshPlaceColumns(db, 'areas', row.id)
  return row.id
}

async function replaceAreaCategories(db: Executor, areaId: string, categories: readonly string[]) {
  await db.deleteFrom('area_categories').where('area_id', '=', areaId).execute()
  await db
    .insertInto('area_categories')
    .values([...new Set(categories)].map((category_id) => ({ area_id: areaId, category_id })))
    .execute()
}

export async function updateArea(db: Executor, id: string, body: UpdateAreaBody, now: Date) {
  await db
    .updateTable('areas')
    .set((eb) => ({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.departmentId !== undefined ? { department_id: body.departmentId } : {}),
      ...(body.geometry !== undefined ? { geometry: JSON.stringify(body.geometry) } : {}),
      ...(body.address !== undefined ? { address: body.address || null } : {}),
      ...(body.published !== undefined ? { published: body.published } : {}),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
  if (body.categories) await replaceAreaCategories(db, id, body.categories)
  await refreshPlaceColumns(db, 'areas', id)
}

type SpecsInput = NonNullable<CreateFacilityBody['specs']>
type RulesInput = NonNullable<CreateFacilityBody['rules']>

/** Spec and rule columns for the fields a request names; absent fields stay as they are. */
function facilityColumns(specs: SpecsInput | undefined, rules: RulesInput | undefined) {
  const s = specs ?? {}
  const r = rules ?? {}
  return {
    ...(s.powerKw !== undefined ? { power_kw: s.powerKw } : {}),
    ...(s.voltage !== undefined ? { voltage: s.voltage } : {}),
    ...(s.connectivity !== undefined ? { connectivity: [...new Set(s.connectivity)] } : {}),
    ...(s.mounting !== undefined ? { mounting: s.mounting } : {}),
    ...(s.maxLoadKg !== undefined ? { max_load_kg: s.maxLoadKg } : {}),
    ...(s.heightM !== undefined ? { height_m: s.heightM } : {}),
    ...(s.indoor !== undefined ? { indoor: s.indoor } : {}),
    ...(s.accessNotes !== undefined ? { access_notes: s.accessNotes } : {}),
    ...(r.minDurationMinutes !== undefined ? { min_duration_minutes: r.minDurationMinutes } : {}),
    ...(r.maxDurationMinutes !== undefined ? { max_duration_minutes: r.maxDurationMinutes } : {}),
    ...(r.leadTimeMinutes !== undefined ? { lead_time_minutes: r.leadTimeMinutes } : {}),
    ...(r.horizonDays !== undefined ? { horizon_days: r.horizonDays } : {}),
    ...(r.setupMinutes !== undefined ? { setup_minutes: r.setupMinutes } : {}),
    ...(r.teardownMinutes !== undefined ? { teardown_minutes: r.teardownMinutes } : {}),
    ...(r.requiredDocuments !== undefined ? { required_documents: [...new Set(r.requiredDocuments)] } : {}),
  }
}

async function replaceOpeningHours(db: Executor, facilityId: string, windows: RulesInput['openingHours']) {
  await db.deleteFrom('facility_opening_hours').where('facility_id', '=', facilityId).execute()
  if (windows && windows.length > 0) {
    await db
      .insertInto('facility_opening_hours')
      .values(
        windows.map((w) => ({ facility_id: facilityId, weekday: w.weekday, opens: w.from, closes: w.to })),
      )
      .execute()
  }
}

async function replaceSignoffs(db: Executor, facilityId: string, departmentIds: readonly string[]) {
  await db.deleteFrom('facility_signoff_departments').where('facility_id', '=', facilityId).execute()
  if (departmentIds.length > 0) {
    await db
      .insertInto('facility_signoff_departments')
      .values(departmentIds.map((department_id) => ({ facility_id: facilityId, department_id })))
      .execute()
  }
}

export async function insertFacility(
  db: Executor,
  body: CreateFacilityBody & { departmentId: string; signoffDepartmentIds: string[] },
  now: Date,
) {
  const row = await db
    .insertInto('facilities')
    .values({
      area_id: body.areaId,
      name: body.name,
      description: body.description ?? '',
      kind: body.kind,
      geometry: JSON.stringify(body.geometry),
      address: body.address || null,
      capacity: body.capacity ?? 1,
      department_id: body.departmentId,
      published: body.published ?? false,
      created_at: now,
      updated_at: now,
      ...facilityColumns(body.specs, body.rules),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (body.rules?.openingHours) await replaceOpeningHours(db, row.id, body.rules.openingHours)
  await replaceSignoffs(db, row.id, body.signoffDepartmentIds)
  await refreshPlaceColumns(db, 'facilities', row.id)
  return row.id
}

export async function updateFacility(
  db: Executor,
  id: string,
  body: UpdateFacilityBody & { signoffDepartmentIds?: string[] | undefined },
  now: Date,
) {
  await db
    .updateTable('facilities')
    .set((eb) => ({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.kind !== undefined ? { kind: body.kind } : {}),
      ...(body.geometry !== undefined ? { geometry: JSON.stringify(body.geometry) } : {}),
      ...(body.address !== undefined ? { address: body.address || null } : {}),
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      ...(body.departmentId !== undefined ? { department_id: body.departmentId } : {}),
      ...(body.published !== undefined ? { published: body.published } : {}),
      ...facilityColumns(body.specs, body.rules),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
  if (body.rules?.openingHours !== undefined) await replaceOpeningHours(db, id, body.rules.openingHours)
  if (body.signoffDepartmentIds !== undefined) await replaceSignoffs(db, id, body.signoffDepartmentIds)
  await refreshPlaceColumns(db, 'facilities', id)
}

/** Which of these department ids do not exist. */
export async function missingDepartments(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await db
    .selectFrom('departments')
    .select('id')
    .where('id', 'in', [...ids])
    .execute()
  const present = new Set(found.map((r) => r.id))
  return ids.filter((id) => !present.has(id))
}
