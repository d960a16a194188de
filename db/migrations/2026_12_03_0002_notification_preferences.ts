import { type Kysely, sql } from 'kysely'

/**
 * Review mail (issue 17): each official chooses to hear of every request (`each`) or once a day
 * in a digest (`digest`); null leaves it to the department's load (a digest while more than 10
 * requests wait for it). `digest_sent_on` is the city date of the last digest: the maintenance
 * run that sets it claims that day's digest, so a second run or a second process sends none.
 *
 * Frozen in time: this file never imports application code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('review_mail', 'text', (c) => c.check(sql`review_mail in ('each', 'digest')`))
    .addColumn('digest_sent_on', 'date')
    .execute()
  // The department's pending count: the decisions still open, found without reading the decided.
  await sql`create index reviews_pending_department_idx on reviews (department_id, booking_id)
    where decision = 'pending'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index reviews_pending_department_idx`.execute(db)
  await db.schema.alterTable('users').dropColumn('digest_sent_on').dropColumn('review_mail').execute()
}
