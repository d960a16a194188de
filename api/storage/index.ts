/**
 * The document store each runtime uses: a Worker's R2 binding `DOCUMENTS` when there is one, an
 * S3-compatible bucket when STORAGE_URL says so, else files under DATA_DIR/documents.
 */
import type { Config } from '../lib/config.ts'
import { fileStore } from './file.ts'
import { isR2Bucket, r2Store } from './r2.ts'
import { s3Store } from './s3.ts'
import type { DocumentStore } from './store.ts'

export type { DocumentStore, StoredFile } from './store.ts'
export { documentKey, sha256Hex } from './store.ts'

const built = new WeakMap<object, DocumentStore>()

/**
 * The store for a config (and a Worker's bindings), built once per config or binding.
 *
 * @example
 * const store = documentStoreFor(config, c.env)
 */
export function documentStoreFor(
  config: Pick<Config, 'dataDir' | 'documentStorage'>,
  bindings?: Record<string, unknown>,
): DocumentStore {
  const bucket = bindings?.DOCUMENTS
  const owner: object = isR2Bucket(bucket) ? bucket : config
  let store = built.get(owner)
  if (!store) {
    if (isR2Bucket(bucket)) store = r2Store(bucket)
    else if (config.documentStorage) store = s3Store(config.documentStorage)
    else store = fileStore(`${config.dataDir.replace(/\/+$/, '')}/documents`)
    built.set(owner, store)
  }
  return store
}
