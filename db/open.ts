import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Connection, connect } from './connect.ts'

/**
 * Opens the database the settings name — PostgreSQL at `databaseUrl`, or the embedded one in
 * `dataDir/pglite` (created when missing) — for the Node entry and the command-line tools.
 *
 * @returns the connection and a description for people, e.g. "embedded PGlite in .data/pglite"
 */
export async function openConfiguredDatabase(settings: {
  databaseUrl: string | undefined
  dataDir: string
}): Promise<{ connection: Connection; description: string }> {
  if (settings.databaseUrl) {
    return {
      connection: await connect({ databaseUrl: settings.databaseUrl }),
      description: 'PostgreSQL at DATABASE_URL',
    }
  }
  const dataDir = join(settings.dataDir, 'pglite')
  mkdirSync(dataDir, { recursive: true })
  return { connection: await connect({ dataDir }), description: `embedded PGlite in ${dataDir}` }
}
