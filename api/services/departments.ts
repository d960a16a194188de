import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { findDepartment, insertDepartment, renameDepartment } from '../queries/accounts.ts'
import { recordEvent } from '../queries/events.ts'

/**
 * An admin creates a department (no `id`) or renames one, with its audit event. A name another
 * department has is refused by the database's unique index, answered 409 `conflict`
 * (api/lib/database-errors.ts).
 */
export async function saveDepartment(
  db: Kysely<Database>,
  actorId: string | null,
  department: { id?: string; name: string },
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const { id, name } = department
    const before = id === undefined ? undefined : await findDepartment(tx, id)
    if (id !== undefined && !before) throw new ApiError('not_found', say.noDepartment)
    const row =
      id === undefined ? await insertDepartment(tx, name, now) : await renameDepartment(tx, id, name)
    await recordEvent(
      tx,
      {
        actorId,
        action: before ? 'department.renamed' : 'department.created',
        subjectType: 'department',
        subjectId: row.id,
        ...(before ? { before } : {}),
        after: row,
      },
      now,
    )
    return row
  })
}
