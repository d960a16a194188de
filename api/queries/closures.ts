import type { Executor } from '../../db/types.ts'
import type { Closure } from '../schemas/catalogue.ts'

type ClosureRow = {
  id: string
  facility_id: string | null
  area_id: string | null
  starts_at: Date
  ends_at: Date
  reason: string
}

function toClosure(row: ClosureRow): Closure {
  return {
    id: row.id,
    facilityId: row.facility_id,
    areaId: row.area_id,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    reason: row.reason,
  }
}

const columns = ['id', 'facility_id', 'area_id', 'starts_at', 'ends_at', 'reason'] as const

/**
 * Closures that affect a facility — its own and its whole area's — overlapping [from, to)
 * when given, by start.
 */
export async function listClosures(
  db: Executor,
  target: { facilityId?: string; areaId: string },
  range: { from?: string | undefined; to?: string | undefined },
) {
  let q = db.selectFrom('closures').select(columns)
  q = target.facilityId
    ? q.where((eb) =>
        eb.or([eb('facility_id', '=', target.facilityId as string), eb('area_id', '=', target.areaId)]),
      )
    : q.where('area_id', '=', target.areaId)
  if (range.from) q = q.where('ends_at', '>', new Date(range.from))
  if (range.to) q = q.where('starts_at', '<', new Date(range.to))
  const rows = await q.orderBy('starts_at').orderBy('id').limit(1000).execute()
  return rows.map(toClosure)
}

/** A closure of a facility or of a whole area (exactly one of the two), with its public reason. */
export interface NewClosure {
  facilityId?: string
  areaId?: string
  start: string
  end: string
  reason: string
  createdBy: string
}

export async function insertClosure(db: Executor, closure: NewClosure, now: Date) {
  const row = await db
    .insertInto('closures')
    .values({
      facility_id: closure.facilityId ?? null,
      area_id: closure.areaId ?? null,
      starts_at: new Date(closure.start),
      ends_at: new Date(closure.end),
      reason: closure.reason,
      created_by: closure.createdBy,
      created_at: now,
    })
    .returning(columns)
    .executeTakeFirstOrThrow()
  return toClosure(row)
}

/** A closure with the department that manages what it closes. */
export async function findClosure(db: Executor, id: string) {
  const row = await db
    .selectFrom('closures')
    .leftJoin('facilities', 'facilities.id', 'closures.facility_id')
    .leftJoin('areas', 'areas.id', 'closures.area_id')
    .select([
      'closures.id',
      'closures.facility_id',
      'closures.area_id',
      'closures.starts_at',
      'closures.ends_at',
      'closures.reason',
      'facilities.department_id as facility_department_id',
      'areas.department_id as area_department_id',
    ])
    .where('closures.id', '=', id)
    .executeTakeFirst()
  if (!row) return undefined
  const departmentId = row.facility_department_id ?? row.area_department_id
  if (!departmentId) return undefined
  return { closure: toClosure(row), departmentId }
}

export async function deleteClosure(db: Executor, id: string) {
  await db.deleteFrom('closures').where('id', '=', id).execute()
}
