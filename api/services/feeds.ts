import type { Kysely } from 'kysely'
import type { Database } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { hashToken, newToken } from '../lib/tokens.ts'
import { recordEvent } from '../queries/events.ts'
import { setFeedTokenHash } from '../queries/feeds.ts'

// Reads a route needs as they are, answered by the queries themselves.
export { type FeedBooking, feedBookings, organisationByFeedToken } from '../queries/feeds.ts'

/**
 * Gives a company member's organisation a new private feed token, which replaces the old one at
 * once (only its hash is stored); recorded. Returns the token, to be shown once.
 */
export async function replaceFeedToken(db: Kysely<Database>, user: SessionUser, now: Date): Promise<string> {
  const token = newToken()
  const organisationId = user.organisationId as string
  await db.transaction().execute(async (tx) => {
    await setFeedTokenHash(tx, organisationId, await hashToken(token))
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'organisation.feed_rotated',
        subjectType: 'organisation',
        subjectId: organisationId,
      },
      now,
    )
  })
  return token
}
