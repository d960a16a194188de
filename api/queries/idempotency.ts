import type { Executor } from '../../db/types.ts'

/** Where a stored response belongs: the caller, the endpoint (method and path) and the client's key. */
export interface IdempotencyScope {
  userId: string
  scope: string
  key: string
}

/** The stored response to an earlier request under this key, with the hash of that request; undefined if none. */
export async function findIdempotentResponse(db: Executor, where: IdempotencyScope) {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_status', 'response_body'])
    .where('user_id', '=', where.userId)
    .where('scope', '=', where.scope)
    .where('key', '=', where.key)
    .executeTakeFirst()
}

/** Stores the response to a request under its key; a concurrent duplicate fails on the primary key (23505). */
export async function storeIdempotentResponse(
  db: Executor,
  response: IdempotencyScope & {
    requestHash: string
    status: number
    /** The response body as JSON text. */
    body: string
    at: Date
  },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      user_id: response.userId,
      scope: response.scope,
      key: response.key,
      request_hash: response.requestHash,
      response_status: response.status,
      response_body: response.body,
      created_at: response.at,
    })
    .execute()
}
