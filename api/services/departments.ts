import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { findDepartmentDetail, insertDepartment, updateDepartment } from '../queries/accounts.ts'
import { recordEvent } from '../queries/events.ts'

export { findDepartmentDetail, listDepartments } from '../queries/accounts.ts'

/**
 * An admin creates a department, with its audit event. A name another department has is refused
 * by the database's unique index, answered 409 `conflict` (api/lib/database-errors.ts).
 */
export async function createDepartment(
  db: Kysely<Database>,
  actorId: string | null,
  department: { name: string; reviewPeriodDays?: number | undefined },
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const row = await insertDepartment(tx, department, now)
    await recordEvent(
      tx,
      { actorId, action: 'department.created', subjectType: 'department', subjectId: row.id, after: row },
      now,
    )
    return row
  })
}

/**
 * An admin renames a department or changes its review period (the working days its officials
 * have to decide; review deadlines follow at once), with its audit event.
 */
export async function changeDepartment(
  db: Kysely<Database>,
  actorId: string | null,
  id: string,
  changes: { name?: string | undefined; reviewPeriodDays?: number | undefined },
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const before = await findDepartmentDetail(tx, id)
    if (!before) throw new ApiError('not_found', say.noDepartment)
    if (changes.name === undefined && changes.reviewPeriodDays === undefined) return before
    const row = await updateDepartment(tx, id, changes)
    const action =
      changes.reviewPeriodDays !== undefined && changes.reviewPeriodDays !== before.reviewPeriodDays
        ? 'department.review_period_changed'
        : 'department.renamed'
    await recordEvent(
      tx,
      { actorId, action, subjectType: 'department', subjectId: id, before, after: row },
      now,
    )
    return row
  })
}
