import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { demoEmails, disableDemoAccounts, enableDemoAccounts } from '../../db/seed/demo.ts'
import type { Database } from '../../db/types.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { unique } from '../helpers/fixtures.ts'

/** Runs `work` in a transaction rolled back after, so other files keep their demo accounts. */
async function rolledBack(work: (tx: Kysely<Database>) => Promise<void>) {
  const { db } = await testConnection()
  const tx = await db.startTransaction().execute()
  try {
    await work(tx)
  } finally {
    await tx.rollback().execute()
  }
}

async function activeCounts(tx: Kysely<Database>) {
  const users = await tx.selectFrom('users').select(['email', 'active']).execute()
  const demo = users.filter((u) => demoEmails.includes(u.email.toLowerCase()))
  return {
    demo: demo.filter((u) => u.active).length,
    others: users.filter((u) => u.active).length - demo.filter((u) => u.active).length,
  }
}

describe('demo accounts outside demo mode', () => {
  it('are disabled at start-up with their sessions ended and an audit event, and enabled again in demo mode', async () => {
    await rolledBack(async (tx) => {
      const admin = await tx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'admin@example.org')
        .executeTakeFirstOrThrow()
      await tx
        .insertInto('sessions')
        .values({ user_id: admin.id, token_hash: unique('token'), expires_at: fromNow(day) })
        .execute()
      const before = await activeCounts(tx)
      expect(before.demo).toBe(demoEmails.length)

      expect(await disableDemoAccounts(tx, testNow)).toBe(demoEmails.length)
      expect(await activeCounts(tx)).toEqual({ demo: 0, others: before.others })
      const sessions = await tx.selectFrom('sessions').select('id').where('user_id', '=', admin.id).execute()
      expect(sessions).toEqual([])
      const event = await tx
        .selectFrom('events')
        .select(['action', 'actor_id', 'details'])
        .where('subject_id', '=', admin.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      expect(event).toMatchObject({ action: 'user.deactivated', actor_id: null })
      expect(JSON.stringify(event.details)).toContain('demo mode is off')
      expect(await disableDemoAccounts(tx, testNow)).toBe(0)

      // An account an admin deactivated afterwards stays deactivated in demo mode.
      const rival = await tx
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'rival@example.org')
        .executeTakeFirstOrThrow()
      await tx
        .insertInto('events')
        .values({
          at: testNow,
          actor_id: admin.id,
          action: 'user.deactivated',
          subject_type: 'user',
          subject_id: rival.id,
        })
        .execute()
      expect(await enableDemoAccounts(tx, testNow)).toBe(demoEmails.length - 1)
      expect(await activeCounts(tx)).toEqual({ demo: demoEmails.length - 1, others: before.others })
    })
  })
})
