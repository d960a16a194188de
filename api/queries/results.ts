import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Executor, Language } from '../../db/types.ts'
import type { PilotResults, ResultsBody } from '../schemas/residents.ts'

/** Days after its last approved booking ends by which a pilot should have published results. */
export const resultsDueDays = 30
const dueMs = resultsDueDays * 24 * 60 * 60 * 1000

/** Whether a pilot's results are overdue: its last approved booking ended over 30 days ago and none came. */
export function isResultsOverdue(lastEnd: Date | null, hasResults: boolean, now: Date): boolean {
  return !hasResults && lastEnd !== null && lastEnd.getTime() < now.getTime() - dueMs
}

/**
 * The same rule in SQL, for `GET /api/pilots?resultsOverdue=true` and the reminder run: an
 * approved booking, none ending on or after `now − 30 days`, and no results.
 */
export function resultsOverdue(eb: ExpressionBuilder<Database, 'pilots'>, now: Date) {
  const due = new Date(now.getTime() - dueMs)
  return eb.and([
    eb.exists(
      eb
        .selectFrom('bookings as ob')
        .whereRef('ob.pilot_id', '=', 'pilots.id')
        .where('ob.state', '=', 'approved')
        .select(sql`1`.as('one')),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('bookings as lb')
          .whereRef('lb.pilot_id', '=', 'pilots.id')
          .where('lb.state', '=', 'approved')
          .where('lb.ends_at', '>=', due)
          .select(sql`1`.as('one')),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('pilot_results as pr')
          .whereRef('pr.pilot_id', '=', 'pilots.id')
          .select(sql`1`.as('one')),
      ),
    ),
  ])
}

/** Which of these pilots have published results. */
export async function pilotsWithResults(db: Executor, pilotIds: readonly string[]): Promise<Set<string>> {
  if (pilotIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('pilot_results')
    .select('pilot_id')
    .where('pilot_id', 'in', [...pilotIds])
    .execute()
  return new Set(rows.map((r) => r.pilot_id))
}

type ResultsRow = {
  pilot_id: string
  summary: string
  findings: string
  data_url: string | null
  created_at: Date
  updated_at: Date
}

function toResults(row: ResultsRow): PilotResults {
  return {
    pilotId: row.pilot_id,
    summary: row.summary,
    findings: row.findings,
    dataUrl: row.data_url,
    publishedAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

/** A pilot's results, or undefined if it has published none. */
export async function findResults(db: Executor, pilotId: string): Promise<PilotResults | undefined> {
  const row = await db
    .selectFrom('pilot_results')
    .select(['pilot_id', 'summary', 'findings', 'data_url', 'created_at', 'updated_at'])
    .where('pilot_id', '=', pilotId)
    .executeTakeFirst()
  return row ? toResults(row) : undefined
}

/** Writes a pilot's results, replacing any before; says whether they are new. */
export async function saveResults(
  db: Executor,
  pilotId: string,
  userId: string,
  body: ResultsBody,
  now: Date,
): Promise<{ results: PilotResults; created: boolean }> {
  const row = await db
    .insertInto('pilot_results')
    .values({
      pilot_id: pilotId,
      summary: body.summary,
      findings: body.findings,
      data_url: body.dataUrl ?? null,
      submitted_by: userId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('pilot_id').doUpdateSet((eb) => ({
        summary: eb.ref('excluded.summary'),
        findings: eb.ref('excluded.findings'),
        data_url: eb.ref('excluded.data_url'),
        submitted_by: eb.ref('excluded.submitted_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returning([
      'pilot_id',
      'summary',
      'findings',
      'data_url',
      'created_at',
      'updated_at',
      sql<boolean>`(xmax = 0)`.as('inserted'),
    ])
    .executeTakeFirstOrThrow()
  return { results: toResults(row), created: row.inserted }
}

/** A pilot locked for its results: who owns it and when its first approved booking starts. */
export async function lockPilotForResults(db: Executor, pilotId: string) {
  return db
    .selectFrom('pilots')
    .select((eb) => [
      'pilots.id',
      'pilots.organisation_id',
      'pilots.title',
      eb
        .selectFrom('bookings')
        .whereRef('bookings.pilot_id', '=', 'pilots.id')
        .where('bookings.state', '=', 'approved')
        .select((b) => b.fn.min('bookings.starts_at').as('s'))
        .as('first_start'),
    ])
    .where('pilots.id', '=', pilotId)
    .forUpdate()
    .executeTakeFirst()
}

/**
 * Pilots whose results are overdue and whose company has not been reminded: claimed (the
 * reminder's time set) in the same statement, so that two runs never remind twice. With the
 * language and address of the member who created the pilot (the pilot's contact otherwise).
 */
export async function claimOverdueReminders(db: Executor, now: Date, limit = 200) {
  const due = await db
    .selectFrom('pilots')
    .select('pilots.id')
    .where('pilots.results_reminded_at', 'is', null)
    .where((eb) => resultsOverdue(eb, now))
    .orderBy('pilots.id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  if (due.length === 0) return []
  await db
    .updateTable('pilots')
    .set({ results_reminded_at: now })
    .where(
      'id',
      'in',
      due.map((d) => d.id),
    )
    .execute()
  return db
    .selectFrom('pilots')
    .leftJoin('users', (join) =>
      join.onRef('users.id', '=', 'pilots.created_by').on('users.active', '=', true),
    )
    .select([
      'pilots.id',
      'pilots.title',
      'pilots.organisation_id',
      'pilots.contact_email',
      'users.id as user_id',
      'users.email as user_email',
      sql<Language | null>`users.language`.as('language'),
    ])
    .where(
      'pilots.id',
      'in',
      due.map((d) => d.id),
    )
    .execute()
}

/** The results of some pilots, by pilot id (those without have no entry). */
export async function resultsOf(
  db: Executor,
  pilotIds: readonly string[],
): Promise<Map<string, PilotResults>> {
  if (pilotIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('pilot_results')
    .select(['pilot_id', 'summary', 'findings', 'data_url', 'created_at', 'updated_at'])
    .where('pilot_id', 'in', [...new Set(pilotIds)])
    .execute()
  return new Map(rows.map((r) => [r.pilot_id, toResults(r)]))
}
