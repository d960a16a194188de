import type { Migration } from 'kysely/migration'
import * as initial from './2026_11_28_0000_initial.ts'
import * as rangeAndOrderIndexes from './2026_12_02_0001_range_and_order_indexes.ts'
import * as series from './2026_12_03_0000_series.ts'
import * as reviewPeriods from './2026_12_03_0001_review_periods.ts'
import * as notificationPreferences from './2026_12_03_0002_notification_preferences.ts'
import * as documents from './2026_12_03_0003_documents.ts'
import * as residents from './2026_12_03_0004_residents.ts'

/**
 * Every migration, by name. Listed statically rather than read from the folder so that the
 * migrator also works from a bundle; names sort in the order they run.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0000_initial': initial,
  '2026_12_02_0001_range_and_order_indexes': rangeAndOrderIndexes,
  '2026_12_03_0000_series': series,
  '2026_12_03_0001_review_periods': reviewPeriods,
  '2026_12_03_0002_notification_preferences': notificationPreferences,
  '2026_12_03_0003_documents': documents,
  '2026_12_03_0004_residents': residents,
}
