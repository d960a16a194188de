import { type Kysely, sql } from 'kysely'

/**
 * Compliance documents (issue 19): files a pilot's organisation uploads (insurance, permits…),
 * each stored as one object under `storage_key` in the configured store; the row holds what the
 * API answers with and the SHA-256 of the stored bytes. `valid_until` is required unless the kind
 * is `other`. `reminded_30_at` / `reminded_7_at` record the expiry reminders already sent.
 * Facilities gain the kinds a booking on them requires.
 *
 * Frozen in time: this file never imports application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pilot_id', 'uuid', (c) => c.notNull().references('pilots.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('insurance', 'permit', 'safety_plan', 'data_protection', 'contract', 'other')`),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'date')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('reminded_30_at', 'timestamptz')
    .addColumn('reminded_7_at', 'timestamptz')
    .addCheckConstraint('documents_valid_until_check', sql`valid_until is not null or kind = 'other'`)
    .execute()
  await db.schema
    .createIndex('documents_pilot_kind_idx')
    .on('documents')
    .columns(['pilot_id', 'kind'])
    .execute()
  await db.schema
    .alterTable('facilities')
    .addColumn('required_documents', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('facilities').dropColumn('required_documents').execute()
  await db.schema.dropTable('documents').ifExists().execute()
}
