import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { testNow } from './clock.ts'
import { testConnection } from './db.ts'
import { uniqueAddress } from './fixtures.ts'

/**
 * The real app over this worker's test database, on the suite's fixed clock: `now` pins it at
 * another instant, `clock` lets the test move it (see tests/helpers/clock.ts). Tests derive
 * every date from that clock, never from today. Each app is a client of its own address, so that
 * one test's failed sign-ins never throttle another's (they all happen at the same instant).
 */
export async function testApp(
  options: {
    now?: Date
    clock?: () => Date
    timeZone?: string
    publicCacheSeconds?: number
    env?: Record<string, string | undefined>
  } = {},
) {
  const connection = await testConnection()
  const config = parseConfig({
    CITY_TIMEZONE: options.timeZone ?? 'Europe/Moscow',
    DATABASE_URL: process.env.DATABASE_URL,
    PUBLIC_CACHE_SECONDS: options.publicCacheSeconds,
    ...options.env,
  })
  const fixedNow = options.now ?? testNow
  const address = uniqueAddress()
  const app = createApp({
    config,
    database: sharedDatabase(connection.db, connection.kind),
    now: options.clock ?? (() => new Date(fixedNow)),
    peerAddress: () => address,
  })
  return { app, db: connection.db, kind: connection.kind, config }
}

/** The JSON body of a response, typed loosely for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
export async function json(res: Response): Promise<any> {
  return res.json()
}
