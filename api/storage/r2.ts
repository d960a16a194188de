/**
 * Documents in a Cloudflare R2 bucket, through the Worker's binding (`DOCUMENTS` in wrangler.toml).
 * An R2 put is atomic: the object exists whole or not at all.
 */
import type { DocumentStore, StoredFile } from './store.ts'

/** The part of Workers' R2Bucket this store uses. */
export interface R2BucketLike {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>
  get(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>
  delete(key: string): Promise<void>
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    objects: { key: string; uploaded: Date }[]
    truncated: boolean
    cursor?: string
  }>
}

/** True for something that looks like an R2 binding. */
export function isR2Bucket(value: unknown): value is R2BucketLike {
  const v = value as Partial<R2BucketLike> | null | undefined
  return typeof v?.put === 'function' && typeof v.get === 'function' && typeof v.list === 'function'
}

/**
 * A store in an R2 bucket.
 *
 * @example
 * const store = r2Store(env.DOCUMENTS)
 */
export function r2Store(bucket: R2BucketLike): DocumentStore {
  return {
    kind: 'r2',
    async put(key, bytes, contentType) {
      await bucket.put(key, bytes, { httpMetadata: { contentType } })
    },
    async get(key): Promise<StoredFile | undefined> {
      const object = await bucket.get(key)
      return object ? { body: object.body, size: object.size } : undefined
    },
    async delete(key) {
      await bucket.delete(key)
    },
    async listOlderThan(before) {
      const keys: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = await bucket.list(cursor ? { cursor, limit: 1000 } : { limit: 1000 })
        for (const o of page.objects) if (o.uploaded.getTime() < before.getTime()) keys.push(o.key)
        if (!page.truncated || !page.cursor) return keys
        cursor = page.cursor
      }
    },
  }
}
