import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { testConnection } from './db.ts'

/**
 * The real app over this worker's test database. `now` fixes the clock, so that tests derive
 * every date from it instead of from today.
 */
export async function testApp(options: { now?: Date; timeZone?: string; publicCacheSeconds?: number } = {}) {
  const connection = await testConnection()
  const config = parseConfig({
    CITY_TIMEZONE: options.timeZone ?? 'Europe/Moscow',
    DATABASE_URL: process.env.DATABASE_URL,
    PUBLIC_CACHE_SECONDS: options.publicCacheSeconds,
  })
  const fixedNow = options.now
  const app = createApp({
    config,
    database: sharedDatabase(connection.db, connection.kind),
    now: fixedNow ? () => new Date(fixedNow) : () => new Date(),
  })
  return { app, db: connection.db, kind: connection.kind }
}

/** The JSON body of a response, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
export async function json(res: Response): Promise<any> {
  return res.json()
}
