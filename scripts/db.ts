/**
 * `npm run db:migrate` and `npm run db:seed`: against DATABASE_URL, or the embedded database
 * under DATA_DIR. The seed migrates first and does nothing when the demo city is already there.
 */
import { parseConfig } from '../../api/lib/config.ts'
import { migrateToLatest } from '../migrate.ts'
import { openConfiguredDatabase } from '../open.ts'
import { seedDemo } from '../seed/demo.ts'

const command = process.argv[2]
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: tsx db/scripts/db.ts migrate|seed')
  process.exit(2)
}

try {
  const config = parseConfig(process.env)
  const { connection, description: where } = await openConfiguredDatabase(config)
  try {
    const ran = await migrateToLatest(connection.db)
    console.log(ran.length > 0 ? `migrated ${where}: ${ran.join(', ')}` : `${where} is up to date`)
    if (command === 'seed') {
      const seeded = await seedDemo(connection.db, { now: new Date(), timeZone: config.cityTimeZone })
      console.log(seeded ? 'demo city loaded' : 'demo city already present; nothing changed')
    }
  } finally {
    await connection.close()
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
