import type { Kysely } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import { migrations } from './migrations/index.ts'
import type { Database } from './types.ts'

/**
 * Brings the schema up to the newest migration. Kysely's Migrator takes a lock in the
 * database, so two processes starting at once cannot run the same migration twice.
 *
 * @returns the names of the migrations that ran now
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  all: Record<string, Migration> = migrations,
): Promise<string[]> {
  checkMigrationNames(Object.keys(all))
  const migrator = new Migrator({ db, provider: { getMigrations: async () => all } })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new Error(
      `migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

const migrationName = /^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9]+(_[a-z0-9]+)*$/

/**
 * Refuses names the migrator would misorder or a person could not tell apart: each must be
 * YYYY_MM_DD_NNNN_words (lower case, digits, underscores), as names sort in the order they run.
 * Checked before anything runs, so a bad name never leaves a schema half migrated.
 */
export function checkMigrationNames(names: string[]) {
  const bad = names.filter((name) => !migrationName.test(name))
  if (bad.length === 0) return
  const shown = bad.map((name) => (name.trim() === '' ? '(empty name)' : JSON.stringify(name))).join(', ')
  throw new Error(
    `bad migration name ${shown}: each must look like 2026_11_28_0000_initial (db/migrations/index.ts)`,
  )
}
