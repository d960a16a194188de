import type { Context } from 'hono'
import type { Transaction } from 'kysely'
import type { Database } from '../../db/types.ts'
import { findIdempotentResponse, storeIdempotentResponse } from '../queries/idempotency.ts'
import type { AppEnv } from './context.ts'
import { sqlState } from './database-errors.ts'
import { ApiError } from './errors.ts'
import { field, say } from './messages.ts'
import { hashToken } from './tokens.ts'

export interface StoredResponse<T> {
  status: 201 | 200
  body: T
}

/**
 * Runs a creating request at most once per `Idempotency-Key`: the first response is stored with
 * a hash of the request in the same transaction as the change, and a retry gets it back instead
 * of a second change. The same key with a different body is a 422. Without the header the work
 * simply runs. Failed requests store nothing (their transaction rolls back), so they may be retried.
 */
export async function idempotent<T>(
  c: Context<AppEnv>,
  userId: string,
  requestBody: unknown,
  work: (tx: Transaction<Database>) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T>> {
  const db = c.get('db')
  const key = c.req.header('idempotency-key')
  if (key === undefined) return db.transaction().execute(work)
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new ApiError('validation_failed', say.badIdempotencyKey, {
      errors: [{ path: 'Idempotency-Key', message: field.badIdempotencyKey }],
    })
  }
  const scope = `${c.req.method} ${c.req.path}`
  const requestHash = await hashToken(JSON.stringify(requestBody))
  const replay = async () => {
    const previous = await findIdempotentResponse(db, { userId, scope, key })
    if (!previous) return undefined
    if (previous.request_hash !== requestHash) {
      throw new ApiError('idempotency_mismatch', say.idempotencyMismatch)
    }
    return { status: previous.response_status as 200 | 201, body: previous.response_body as T }
  }
  const first = await replay()
  if (first) return first
  try {
    return await db.transaction().execute(async (tx) => {
      const result = await work(tx)
      await storeIdempotentResponse(tx, {
        userId,
        scope,
        key,
        requestHash,
        status: result.status,
        body: JSON.stringify(result.body),
        at: c.get('now')(),
      })
      return result
    })
  } catch (error) {
    // A concurrent request with the same key committed first — seen as a duplicate key, or as a
    // conflict with the change it made: answer as it did.
    if (sqlState(error) === '23505' || error instanceof ApiError) {
      const concurrent = await replay()
      if (concurrent) return concurrent
    }
    throw error
  }
}
