import { precompiled } from '../../db/precompiled.ts'
import type { Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'

/** Sessions last this long after their last use (sliding). */
export const sessionLifetimeMs = 30 * 24 * 60 * 60 * 1000
/** Refresh a session's expiry at most this often, so that reads rarely write. */
const refreshEveryMs = 60 * 60 * 1000

export async function createSession(
  db: Executor,
  userId: string,
  tokenHash: string,
  now: Date,
  userAgent: string | undefined,
) {
  return db
    .insertInto('sessions')
    .values({
      user_id: userId,
      token_hash: tokenHash,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + sessionLifetimeMs),
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow()
}

/** Precompiled: every signed-in request runs it. */
const sessionByToken = precompiled((db, p: { tokenHash: string; now: Date }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .where('sessions.token_hash', '=', p.tokenHash)
    .where('sessions.expires_at', '>', p.now)
    .where('users.active', '=', true)
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.language',
      'users.organisation_id',
      'users.department_id',
    ]),
)

/**
 * The live session with this token hash and its active user; sliding expiry is extended
 * when the session was last seen over an hour ago.
 */
export async function findSession(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<{ sessionId: string; user: SessionUser } | undefined> {
  const [row] = await sessionByToken(db, { tokenHash, now })
  if (!row) return undefined
  if (now.getTime() - row.last_seen_at.getTime() > refreshEveryMs) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: new Date(now.getTime() + sessionLifetimeMs) })
      .where('id', '=', row.session_id)
      .execute()
  }
  return {
    sessionId: row.session_id,
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      language: row.language,
      organisationId: row.organisation_id,
      departmentId: row.department_id,
    },
  }
}

export async function deleteSession(db: Executor, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

/** Ends every session of a user: on deactivation or a password change. */
export async function deleteUserSessions(db: Executor, userId: string, exceptSessionId?: string) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  await q.execute()
}
