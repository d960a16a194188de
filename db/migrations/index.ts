import type { Migration } from 'kysely/migration'
import * as initial from './2026_11_28_0000_initial.ts'

/**
 * Every migration, by name. Listed statically rather than read from the folder so that the
 * migrator also works from a bundle; names sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0000_initial': initial,
}
