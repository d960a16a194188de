import { hashPassword } from '../../api/lib/password.ts'
import { connect } from '../../db/connect.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedDemo } from '../../db/seed/demo.ts'
import { testNow } from './clock.ts'

/** For the workerd tests: migrates and seeds the PostgreSQL at DATABASE_URL, when there is one. */
export default async function setup() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    console.warn('workerd tests skipped: they reach PostgreSQL through Hyperdrive and need DATABASE_URL')
    return
  }
  const connection = await connect({ databaseUrl })
  try {
    await migrateToLatest(connection.db)
    await seedDemo(connection.db, { now: testNow, timeZone: 'Europe/Moscow', hashPassword })
  } finally {
    await connection.close()
  }
}
