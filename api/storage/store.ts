/**
 * Where documents' files live: one object per document under a key `<pilotId>/<documentId>`, in
 * the store that fits the runtime (api/storage/index.ts). The database row points at the key; the
 * object is always written before the row and deleted after it, so a crash leaves at worst an
 * object without a row, which the maintenance run sweeps (api/services/documents.ts).
 */

/** An object store for documents' files. */
export interface DocumentStore {
  /** `file`: under DATA_DIR; `s3`: an S3-compatible bucket; `r2`: a Workers R2 binding. */
  readonly kind: 'file' | 's3' | 'r2'
  /** Stores the bytes under the key, whole or not at all; replaces nothing (keys are fresh). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** The object's bytes as a stream, or undefined when there is no such object. */
  get(key: string): Promise<StoredFile | undefined>
  /** Removes the object; no error when it is already gone. */
  delete(key: string): Promise<void>
  /** Keys of objects (and of half-written temporary files) last written before `before`. */
  listOlderThan(before: Date): Promise<string[]>
}

export interface StoredFile {
  body: ReadableStream<Uint8Array>
  size: number
}

/** The key of a document's object. */
export function documentKey(pilotId: string, documentId: string): string {
  return `${pilotId}/${documentId}`
}

/** Lower-case hex SHA-256 of the bytes (Web Crypto: the same on Node and Workers). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}
