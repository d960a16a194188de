import { readFileSync } from 'node:fs'
import { inject } from 'vitest'
import { type Connection, connect } from '../../db/connect.ts'

const key = Symbol.for('city-testbed.test-connection')
type Holder = { [key]?: Promise<Connection> }

/**
 * The test database of this worker process, opened once and shared by every test file the
 * worker runs: PostgreSQL at DATABASE_URL, or PGlite loaded from the global setup's snapshot.
 */
export function testConnection(): Promise<Connection> {
  const holder = globalThis as Holder
  holder[key] ??= (async () => {
    const snapshot = inject('pgliteSnapshot')
    if (snapshot) return connect({ loadDataDir: new Blob([readFileSync(snapshot)]) })
    return connect({ databaseUrl: process.env.DATABASE_URL, maxConnections: 20 })
  })()
  return holder[key]
}
