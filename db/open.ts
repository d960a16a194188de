import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Connection, connect } from './connect.ts'

/**
 * Opens the database the settings name — PostgreSQL at `databaseUrl`, or the embedded one in
 * `dataDir/pglite` (created when missing) — for the Node entry and the command-line tools.
 * `preparedStatements` (from `DATABASE_PREPARED`) applies to PostgreSQL only; see `connect`.
 *
 * @returns the connection and a description for people, e.g. "embedded PGlite in .data/pglite"
 */
export async function openConfiguredDatabase(settings: {
  databaseUrl: string | undefined
  dataDir: string
  preparedStatements: boolean
}): Promise<{ connection: Connection; description: string }> {
  if (settings.databaseUrl) {
    const { preparedStatements } = settings
    return {
      connection: await connect({ databaseUrl: settings.databaseUrl, preparedStatements }),
      description: `PostgreSQL at DATABASE_URL${preparedStatements ? '' : ', without named prepared statements'}`,
    }
  }
  const dataDir = join(settings.dataDir, 'pglite')
  mkdirSync(dataDir, { recursive: true })
  return { connection: await connect({ dataDir }), description: `embedded PGlite in ${dataDir}` }
}
