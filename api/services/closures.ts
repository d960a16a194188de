import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import { managesDepartment, unpublishedScope } from '../domain/permissions.ts'
import type { SessionUser } from '../lib/context.ts'
import { decodeInstantCursor, paginate } from '../lib/cursor.ts'
import { ApiError } from '../lib/errors.ts'
import { field, say } from '../lib/messages.ts'
import { findArea, findFacility } from '../queries/catalogue.ts'
import {
  deleteClosure,
  findClosure,
  insertClosure,
  listClosureOverlaps,
  listClosureOverview,
  listClosures,
  updateClosure,
} from '../queries/closures.ts'
import { recordEvent } from '../queries/events.ts'
import type { ClosureBody, ClosureOverviewQuery, ClosurePatchBody } from '../schemas/catalogue.ts'
import { type ClosureOverlapsQuery, maxOverlapItems } from '../schemas/closures.ts'

/** What a closure can close: a whole area, or one facility. */
export type ClosedKind = 'area' | 'facility'

/** The area or facility a caller may see, with what its closures are looked up by; 404 otherwise. */
async function closable(db: Kysely<Database>, kind: ClosedKind, id: string, user: SessionUser | null) {
  const scope = unpublishedScope(user)
  if (kind === 'area') {
    const area = await findArea(db, id, scope)
    if (!area) throw new ApiError('not_found', say.noArea)
    return { departmentId: area.departmentId, target: { areaId: id } }
  }
  const facility = await findFacility(db, id, scope)
  if (!facility) throw new ApiError('not_found', say.noFacility)
  // A facility is closed by its own closures and by its area's.
  return { departmentId: facility.departmentId, target: { facilityId: id, areaId: facility.areaId } }
}

/** The closures of an area, or of a facility with its area's, by start. */
export async function closuresOf(
  db: Kysely<Database>,
  kind: ClosedKind,
  id: string,
  user: SessionUser | null,
  range: { from?: string | undefined; to?: string | undefined },
) {
  const { target } = await closable(db, kind, id, user)
  return listClosures(db, target, range)
}

/** An official of the managing department (or an admin) closes an area or a facility for a period. */
export async function close(
  db: Kysely<Database>,
  kind: ClosedKind,
  id: string,
  user: SessionUser,
  body: ClosureBody,
  now: Date,
) {
  const { departmentId } = await closable(db, kind, id, user)
  if (!managesDepartment(user, departmentId)) {
    throw new ApiError('forbidden', say.onlyManagingClose(kind))
  }
  const subject = kind === 'area' ? { areaId: id } : { facilityId: id }
  return db.transaction().execute(async (tx) => {
    const created = await insertClosure(tx, { ...body, ...subject, createdBy: user.id }, now)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'closure.created',
        subjectType: 'closure',
        subjectId: created.id,
        after: created,
      },
      now,
    )
    return created
  })
}

/** An official of the department that manages what a closure closes (or an admin) lifts it; recorded. */
export async function liftClosure(db: Kysely<Database>, user: SessionUser, id: string, now: Date) {
  await db.transaction().execute(async (tx) => {
    const found = await findClosure(tx, id)
    if (!found) throw new ApiError('not_found', say.noClosure)
    if (!managesDepartment(user, found.departmentId)) {
      throw new ApiError('forbidden', say.onlyManagingLift)
    }
    await deleteClosure(tx, id)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'closure.deleted',
        subjectType: 'closure',
        subjectId: id,
        before: found.closure,
      },
      now,
    )
  })
}

/** Every closure the caller may see — area-wide and per facility — meeting the filters, by start, a page at a time. */
export async function closuresOverview(
  db: Kysely<Database>,
  user: SessionUser | null,
  query: ClosureOverviewQuery,
) {
  const after = query.cursor ? decodeInstantCursor(query.cursor) : undefined
  const rows = await listClosureOverview(db, { ...query, after }, unpublishedScope(user))
  const { rows: items, nextCursor } = paginate(rows, query.limit, (row) => new Date(row.start).toISOString())
  return { items, nextCursor }
}

/** A closure's times after a change: the end must stay after the start. */
function changedTimes(before: { start: string; end: string; reason: string }, body: ClosurePatchBody) {
  const after = {
    start: body.start ?? before.start,
    end: body.end ?? before.end,
    reason: body.reason ?? before.reason,
  }
  if (Date.parse(after.start) >= Date.parse(after.end)) {
    throw new ApiError('validation_failed', say.fieldProblem('end', field.afterStart), {
      errors: [{ path: 'end', message: field.afterStart }],
    })
  }
  return after
}

/** An official of the managing department (or an admin) moves a closure or rewords it; recorded. */
export async function editClosure(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  body: ClosurePatchBody,
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const found = await findClosure(tx, id)
    if (!found) throw new ApiError('not_found', say.noClosure)
    if (!managesDepartment(user, found.departmentId)) throw new ApiError('forbidden', say.onlyManagingEdit)
    const updated = await updateClosure(tx, id, changedTimes(found.closure, body))
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'closure.updated',
        subjectType: 'closure',
        subjectId: id,
        before: found.closure,
        after: updated,
      },
      now,
    )
    return updated
  })
}

/**
 * The bookings holding their slot that a closure would meet, asked before it is saved by whoever
 * may save it (as `close` and `editClosure` check). Saving it anyway leaves them as they are:
 * the warning is how the official learns which ones to settle with their companies.
 */
export async function closureOverlaps(db: Kysely<Database>, user: SessionUser, query: ClosureOverlapsQuery) {
  const kind: ClosedKind = query.facilityId ? 'facility' : 'area'
  const { departmentId } = await closable(db, kind, (query.facilityId ?? query.areaId) as string, user)
  if (!managesDepartment(user, departmentId)) throw new ApiError('forbidden', say.onlyManagingClose(kind))
  if (query.excludeId) {
    const found = await findClosure(db, query.excludeId)
    if (!found) throw new ApiError('not_found', say.noClosure)
    if (!managesDepartment(user, found.departmentId)) throw new ApiError('forbidden', say.onlyManagingEdit)
  }
  return listClosureOverlaps(db, {
    facilityId: query.facilityId,
    areaId: query.areaId,
    from: new Date(query.start),
    to: new Date(query.end),
    excludeId: query.excludeId,
    limit: maxOverlapItems,
  })
}
