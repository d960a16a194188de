/**
 * `npm run db:migrate` and `npm run db:seed`: against DATABASE_URL, or the embedded database
 * under DATA_DIR. The seed migrates first and does nothing when the demo city is already there.
 */
import { systemClock } from '../api/lib/clock.ts'
import { parseConfig } from '../api/lib/config.ts'
import { hashPassword } from '../api/lib/password.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { openConfiguredDatabase } from '../db/open.ts'
import { seedDemo } from '../db/seed/demo.ts'

const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: npm run db:migrate | npm run db:seed')
  process.exit(2)
}

try {
  const config = parseConfig(process.env)
  const { connection, description: where } = await openConfiguredDatabase(config)
  try {
    const ran = await migrateToLatest(connection.db)
    console.log(ran.length > 0 ? `migrated ${where}: ${ran.join(', ')}` : `${where} is up to date`)
    if (command === 'seed') {
      const seeded = await seedDemo(connection.db, {
        now: systemClock(),
        timeZone: config.cityTimeZone,
        hashPassword,
      })
      console.log(seeded ? 'demo city loaded' : 'demo city already present; nothing changed')
    }
  } finally {
    await connection.close()
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
