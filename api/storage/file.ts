/**
 * The embedded default: documents under `<DATA_DIR>/documents/<pilotId>/<documentId>`. Each file
 * is written to a temporary name in the same folder, fsynced, renamed over its final name and the
 * folder fsynced, so that after a crash or a power cut a key holds the whole file or nothing; a
 * temporary file left by a crash (`.tmp-…`) is swept with the orphans.
 */
import type { DocumentStore, StoredFile } from './store.ts'

const tempPrefix = '.tmp-'

function isMissing(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'ENOENT'
}

/** Keys are `<uuid>/<uuid>` (or a temporary name under one): nothing else reaches the disk. */
const keyPattern = /^[0-9a-f-]{36}\/(\.tmp-)?[0-9a-f-]{36}(\.[0-9a-f]{8})?$/

function checkedKey(key: string): string {
  if (!keyPattern.test(key)) {
    throw new Error(`not a document key: ${JSON.stringify(key.slice(0, 100))}`)
  }
  return key
}

/**
 * A store of files under `root` (DATA_DIR/documents).
 *
 * @example
 * const store = fileStore(join(config.dataDir, 'documents'))
 */
export function fileStore(root: string): DocumentStore {
  const fs = () => import('node:fs/promises')
  const path = () => import('node:path')

  async function syncFolder(folder: string) {
    const { open } = await fs()
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  return {
    kind: 'file',
    async put(key, bytes) {
      const { mkdir, open, rename, rm } = await fs()
      const { dirname, join } = await path()
      const target = join(root, checkedKey(key))
      const folder = dirname(target)
      await mkdir(folder, { recursive: true })
      const suffix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) =>
        b.toString(16).padStart(2, '0'),
      ).join('')
      const temp = join(folder, `${tempPrefix}${key.split('/')[1]}.${suffix}`)
      try {
        const handle = await open(temp, 'wx', 0o600)
        try {
          await handle.writeFile(bytes)
          await handle.sync()
        } finally {
          await handle.close()
        }
        await rename(temp, target)
      } catch (error) {
        await rm(temp, { force: true })
        throw error
      }
      await syncFolder(folder)
    },
    async get(key): Promise<StoredFile | undefined> {
      const { open } = await fs()
      const { join } = await path()
      const { Readable } = await import('node:stream')
      try {
        const handle = await open(join(root, checkedKey(key)), 'r')
        const { size } = await handle.stat()
        const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>
        return { body, size }
      } catch (error) {
        if (isMissing(error)) return undefined
        throw error
      }
    },
    async delete(key) {
      const { rm } = await fs()
      const { join } = await path()
      await rm(join(root, checkedKey(key)), { force: true })
    },
    async listOlderThan(before) {
      const { readdir, stat } = await fs()
      const { join } = await path()
      const keys: string[] = []
      let pilots: string[]
      try {
        pilots = await readdir(root)
      } catch (error) {
        if (isMissing(error)) return []
        throw error
      }
      for (const pilot of pilots) {
        let names: string[]
        try {
          names = await readdir(join(root, pilot))
        } catch {
          continue
        }
        for (const name of names) {
          const key = `${pilot}/${name}`
          if (!keyPattern.test(key)) continue
          const info = await stat(join(root, pilot, name)).catch(() => undefined)
          if (info?.isFile() && info.mtimeMs < before.getTime()) keys.push(key)
        }
      }
      return keys
    },
  }
}
