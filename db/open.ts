import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Connection, connect } from './connect.ts'
import { type DataDirLock, lockDataDir } from './lock.ts'

/**
 * Opens the database the settings name — PostgreSQL at `databaseUrl`, or the embedded one in
 * `dataDir/pglite` (created when missing) — for the Node entry and the command-line tools.
 * `preparedStatements` (from `DATABASE_PREPARED`) applies to PostgreSQL only; see `connect`.
 * The embedded database is one process: its folder is locked (db/lock.ts) until `close`, with the
 * lock the caller already holds (the server takes it before anything else) or one taken here.
 *
 * @returns the connection and a description for people, e.g. "embedded PGlite in .data/pglite"
 * @throws DataDirLocked when another process holds the folder
 */
export async function openConfiguredDatabase(settings: {
  databaseUrl: string | undefined
  dataDir: string
  preparedStatements: boolean
  lock?: DataDirLock | undefined
}): Promise<{ connection: Connection; description: string }> {
  if (settings.databaseUrl) {
    const { preparedStatements } = settings
    return {
      connection: await connect({ databaseUrl: settings.databaseUrl, preparedStatements }),
      description: `PostgreSQL at DATABASE_URL${preparedStatements ? '' : ', without named prepared statements'}`,
    }
  }
  mkdirSync(settings.dataDir, { recursive: true })
  const lock = settings.lock ?? lockDataDir(settings.dataDir, { role: 'command-line tool' })
  try {
    const dataDir = join(settings.dataDir, 'pglite')
    mkdirSync(dataDir, { recursive: true })
    const connection = await connect({ dataDir })
    const close = async () => {
      try {
        await connection.close()
      } finally {
        lock.release()
      }
    }
    return { connection: { ...connection, close }, description: `embedded PGlite in ${dataDir}` }
  } catch (error) {
    lock.release()
    throw error
  }
}
