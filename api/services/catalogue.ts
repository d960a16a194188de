import type { Kysely } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import { managesDepartment, unpublishedScope } from '../domain/permissions.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, type Localized, say } from '../lib/messages.ts'
import { findDepartment } from '../queries/accounts.ts'
import { findArea, findFacility } from '../queries/catalogue.ts'
import {
  insertArea,
  insertFacility,
  lockArea,
  lockFacility,
  missingDepartments,
  updateArea,
  updateFacility,
} from '../queries/catalogue-writes.ts'
import { recordEvent } from '../queries/events.ts'
import type {
  CreateAreaBody,
  CreateFacilityBody,
  UpdateAreaBody,
  UpdateFacilityBody,
} from '../schemas/catalogue.ts'

// Reads a route needs as they are, answered by the queries themselves.
export {
  findArea,
  findFacility,
  listAreas,
  listCategories,
  listClusters,
  listFacilities,
} from '../queries/catalogue.ts'

function invalid(path: string, message: Localized): ApiError {
  return new ApiError('validation_failed', say.fieldProblem(path, message), { errors: [{ path, message }] })
}

/** A department named in a request must exist: 400 naming the field otherwise. */
export async function assertDepartmentExists(db: Executor, id: string, path: string) {
  if (!(await findDepartment(db, id))) throw invalid(path, field.namesNoDepartment)
}

/** A facility's managing and sign-off departments must exist: 400 naming the field otherwise. */
export async function assertDepartments(db: Executor, departmentId: string, signoffIds: readonly string[]) {
  await assertDepartmentExists(db, departmentId, 'departmentId')
  const missing = await missingDepartments(db, signoffIds)
  if (missing.length > 0) throw invalid('signoffDepartmentIds', field.namesNoDepartments(missing))
}

function assertDurations(min: number, max: number) {
  if (max < min) throw invalid('rules.maxDurationMinutes', field.maxBelowMin)
}

/** An official may manage a facility of their department placed in an area of their department. */
function assertManages(user: SessionUser, facilityDepartmentId: string, areaDepartmentId: string) {
  if (!managesDepartment(user, facilityDepartmentId)) {
    throw new ApiError('forbidden', say.onlyManagingDepartment)
  }
  if (
    facilityDepartmentId !== areaDepartmentId &&
    !managesDepartment(user, areaDepartmentId) &&
    user.role !== 'admin'
  ) {
    throw new ApiError('forbidden', say.onlyAreaDepartment)
  }
}

type Kind = 'area' | 'facility'

/**
 * The checks every change of an area or a facility passes, in this order: it exists and the user
 * may see it (404 otherwise), the user's department manages it, only an admin hands it to another
 * department, and the version the client read is still the current one.
 */
function assertMayChange(
  kind: Kind,
  user: SessionUser,
  row: { published: boolean; department_id: string; version: number } | undefined,
  change: { departmentId?: string | undefined; version?: number | undefined },
  assertManaged: (row: { department_id: string }) => void,
): asserts row is { published: boolean; department_id: string; version: number } {
  if (!row || !(row.published || managesDepartment(user, row.department_id))) {
    throw new ApiError('not_found', kind === 'area' ? say.noArea : say.noFacility)
  }
  assertManaged(row)
  if (
    change.departmentId !== undefined &&
    change.departmentId !== row.department_id &&
    user.role !== 'admin'
  ) {
    throw new ApiError('forbidden', say.onlyAdminHandsOver(kind))
  }
  if (change.version !== undefined && change.version !== row.version) {
    throw new ApiError('version_conflict', say.catalogueChanged(kind, row.version, change.version))
  }
}

/** Changes an area (locked for the transaction) and records its before and after. */
export async function changeArea(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  body: UpdateAreaBody,
  now: Date,
) {
  if (body.departmentId !== undefined) await assertDepartmentExists(db, body.departmentId, 'departmentId')
  return db.transaction().execute(async (tx) => {
    const row = await lockArea(tx, id)
    assertMayChange('area', user, row, body, (r) => {
      if (!managesDepartment(user, r.department_id)) {
        throw new ApiError('forbidden', say.onlyManagingChangeArea)
      }
    })
    const before = await findArea(tx, id, { kind: 'all' })
    await updateArea(tx, id, body, now)
    const after = await findArea(tx, id, { kind: 'all' })
    await recordEvent(
      tx,
      { actorId: user.id, action: 'area.updated', subjectType: 'area', subjectId: id, before, after },
      now,
    )
    return after
  })
}

/** Creates a facility in an area the user's department may place it in; records it. */
export async function createFacility(
  db: Kysely<Database>,
  user: SessionUser,
  body: CreateFacilityBody,
  now: Date,
) {
  const area = await findArea(db, body.areaId, unpublishedScope(user))
  if (!area) throw invalid('areaId', field.namesNoVisibleArea)
  const departmentId = body.departmentId ?? area.departmentId
  assertManages(user, departmentId, area.departmentId)
  const signoffDepartmentIds = [...new Set(body.signoffDepartmentIds ?? [])].filter((d) => d !== departmentId)
  await assertDepartments(db, departmentId, signoffDepartmentIds)
  assertDurations(body.rules?.minDurationMinutes ?? 60, body.rules?.maxDurationMinutes ?? 525_600)
  return db.transaction().execute(async (tx) => {
    const id = await insertFacility(tx, { ...body, departmentId, signoffDepartmentIds }, now)
    const created = await findFacility(tx, id, { kind: 'all' })
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'facility.created',
        subjectType: 'facility',
        subjectId: id,
        after: created,
      },
      now,
    )
    return created
  })
}

/** Changes a facility (locked for the transaction): specs, rules, departments; records before and after. */
export async function changeFacility(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  body: UpdateFacilityBody,
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const row = await lockFacility(tx, id)
    assertMayChange('facility', user, row, body, (r) =>
      assertManages(user, r.department_id, row?.area_department_id ?? r.department_id),
    )
    const departmentId = body.departmentId ?? row.department_id
    const signoffDepartmentIds = body.signoffDepartmentIds
      ? [...new Set(body.signoffDepartmentIds)].filter((d) => d !== departmentId)
      : undefined
    await assertDepartments(tx, departmentId, signoffDepartmentIds ?? [])
    assertDurations(
      body.rules?.minDurationMinutes ?? row.min_duration_minutes,
      body.rules?.maxDurationMinutes ?? row.max_duration_minutes,
    )
    const before = await findFacility(tx, id, { kind: 'all' })
    await updateFacility(tx, id, { ...body, signoffDepartmentIds }, now)
    const after = await findFacility(tx, id, { kind: 'all' })
    await recordEvent(
      tx,
      { actorId: user.id, action: 'facility.updated', subjectType: 'facility', subjectId: id, before, after },
      now,
    )
    return after
  })
}

/** An official creates an area for their own department (an admin for any); recorded. */
export async function createArea(db: Kysely<Database>, user: SessionUser, body: CreateAreaBody, now: Date) {
  const departmentId = body.departmentId ?? user.departmentId
  if (!departmentId) {
    throw new ApiError('validation_failed', say.sayAreaDepartment, {
      errors: [{ path: 'departmentId', message: field.isRequired }],
    })
  }
  if (!managesDepartment(user, departmentId)) {
    throw new ApiError('forbidden', say.ownDepartmentAreasOnly)
  }
  await assertDepartmentExists(db, departmentId, 'departmentId')
  return db.transaction().execute(async (tx) => {
    const id = await insertArea(tx, { ...body, departmentId }, now)
    const created = await findArea(tx, id, { kind: 'all' })
    await recordEvent(
      tx,
      { actorId: user.id, action: 'area.created', subjectType: 'area', subjectId: id, after: created },
      now,
    )
    return created
  })
}
