import type { Kysely } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { recordEvent } from '../queries/events.ts'
import { findPilot, insertPilot, pilotOwner, updatePilot } from '../queries/pilots.ts'
import type { CreatePilotBody, UpdatePilotBody } from '../schemas/pilots.ts'

// Reads a route needs as they are, answered by the queries themselves.
export { findPilot, listPilots } from '../queries/pilots.ts'

/** A company member changes their organisation's pilot (if the version they read is current); recorded. */
export async function changePilot(
  db: Kysely<Database>,
  user: SessionUser,
  id: string,
  body: UpdatePilotBody,
  now: Date,
) {
  return db.transaction().execute(async (tx) => {
    const owner = await pilotOwner(tx, id)
    if (!owner || owner.organisation_id !== user.organisationId)
      throw new ApiError('not_found', 'No pilot of yours with this id.')
    if (body.version !== undefined && body.version !== owner.version) {
      throw new ApiError(
        'version_conflict',
        `The pilot changed since you read it (version ${owner.version}); reload and try again.`,
      )
    }
    const before = await findPilot(tx, id, user, now)
    await updatePilot(tx, id, body, now)
    const after = await findPilot(tx, id, user, now)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'pilot.updated',
        subjectType: 'pilot',
        subjectId: id,
        before: { ...before, bookings: undefined },
        after: body,
      },
      now,
    )
    return after
  })
}

/** A company member creates a pilot for their organisation, inside the caller's transaction; recorded. */
export async function createPilot(tx: Executor, user: SessionUser, body: CreatePilotBody, now: Date) {
  const id = await insertPilot(tx, user.organisationId as string, user.id, body, now)
  await recordEvent(
    tx,
    { actorId: user.id, action: 'pilot.created', subjectType: 'pilot', subjectId: id, after: body },
    now,
  )
  return findPilot(tx, id, user, now)
}
