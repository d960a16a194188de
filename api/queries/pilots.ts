import { type ExpressionBuilder, sql } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import type { Interval } from '../domain/intervals.ts'
import { pilotPhase } from '../domain/lifecycle.ts'
import { bookingAccess } from '../domain/permissions.ts'
import type { SessionUser } from '../lib/context.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import type { CreatePilotBody, Pilot, UpdatePilotBody } from '../schemas/pilots.ts'
import { requiredDepartments, selectBookings, toBooking } from './bookings.ts'

function selectPilots(db: Executor) {
  return db
    .selectFrom('pilots')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .selectAll('pilots')
    .select('organisations.name as organisation_name')
}

type PilotRow = Awaited<ReturnType<ReturnType<typeof selectPilots>['executeTakeFirstOrThrow']>>

/** Pilots with their bookings, each booking shown as this caller may see it (public ones only to strangers). */
async function withBookings(
  db: Executor,
  rows: PilotRow[],
  user: SessionUser | null,
  now: number,
): Promise<Pilot[]> {
  if (rows.length === 0) return []
  const bookings = await selectBookings(db)
    .where(
      'bookings.pilot_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('bookings.starts_at')
    .execute()
  return rows.map((row) => {
    const own = bookings
      .filter((b) => b.pilot_id === row.id)
      .map((b) => ({
        b,
        access: bookingAccess(user, {
          organisationId: row.organisation_id,
          requiredDepartmentIds: requiredDepartments(b),
          state: b.state,
        }),
      }))
      .filter(({ access }) => access !== 'none')
      .map(({ b, access }) => toBooking(b, now, access))
    return {
      id: row.id,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      title: row.title,
      summary: row.summary,
      category: row.category_id as Pilot['category'],
      publicDescription: row.public_description,
      dataCollected: row.data_collected,
      contactEmail: row.contact_email,
      website: row.website,
      phase: pilotPhase(own.map((b) => b.phase)),
      bookings: own,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      version: row.version,
    }
  })
}

function hasApproved(
  eb: ExpressionBuilder<Database, 'pilots'>,
  when?: 'active' | 'upcoming' | 'completed',
  now?: Date,
  areaId?: string,
) {
  let q = eb
    .selectFrom('bookings as ab')
    .innerJoin('facilities as af', 'af.id', 'ab.facility_id')
    .whereRef('ab.pilot_id', '=', 'pilots.id')
    .where('ab.state', '=', 'approved')
    .select(sql`1`.as('one'))
  if (areaId) q = q.where('af.area_id', '=', areaId)
  if (when === 'active' && now) q = q.where('ab.starts_at', '<=', now).where('ab.ends_at', '>', now)
  if (when === 'upcoming' && now) q = q.where('ab.starts_at', '>', now)
  if (when === 'completed' && now) q = q.where('ab.ends_at', '<=', now)
  return eb.exists(q)
}

export interface PilotFilter {
  phase?: 'active' | 'upcoming' | 'completed' | undefined
  areaId?: string | undefined
  category?: string | undefined
  mine?: boolean
  limit: number
  cursor?: string | undefined
}

/**
 * One page of pilots by title: the public ones (with an approved booking) or, with `mine`, the
 * caller's organisation's. The phase filter follows `pilotPhase`.
 */
export async function listPilots(db: Executor, filter: PilotFilter, user: SessionUser | null, now: Date) {
  let q = selectPilots(db)
  if (filter.mine)
    q = q.where('pilots.organisation_id', '=', user?.organisationId ?? '00000000-0000-0000-0000-000000000000')
  else q = q.where((eb) => hasApproved(eb, undefined, undefined, filter.areaId))
  if (filter.mine && filter.areaId) q = q.where((eb) => hasApproved(eb, undefined, undefined, filter.areaId))
  if (filter.category) q = q.where('pilots.category_id', '=', filter.category)
  if (filter.phase === 'active') q = q.where((eb) => hasApproved(eb, 'active', now))
  if (filter.phase === 'upcoming') {
    q = q.where((eb) => eb.and([eb.not(hasApproved(eb, 'active', now)), hasApproved(eb, 'upcoming', now)]))
  }
  if (filter.phase === 'completed') {
    q = q.where((eb) =>
      eb.and([
        eb.not(hasApproved(eb, 'active', now)),
        eb.not(hasApproved(eb, 'upcoming', now)),
        hasApproved(eb, 'completed', now),
      ]),
    )
  }
  if (filter.cursor) {
    const after = decodeCursor(filter.cursor)
    q = q.where(sql<boolean>`(pilots.title, pilots.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('pilots.title')
    .orderBy('pilots.id')
    .limit(filter.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, filter.limit, (r) => r.title)
  return { items: await withBookings(db, pageRows, user, now.getTime()), nextCursor }
}

/**
 * One pilot as a caller may see it: its organisation and admins always; others when it has a
 * booking they may see (an approved one, or one their department reviews).
 */
export async function findPilot(
  db: Executor,
  id: string,
  user: SessionUser | null,
  now: Date,
): Promise<Pilot | undefined> {
  const row = await selectPilots(db).where('pilots.id', '=', id).executeTakeFirst()
  if (!row) return undefined
  const [pilot] = await withBookings(db, [row], user, now.getTime())
  const own =
    user?.role === 'admin' || (user?.role === 'company' && user.organisationId === row.organisation_id)
  if (!pilot || (!own && pilot.bookings.length === 0)) return undefined
  return pilot
}

export async function pilotOwner(db: Executor, id: string) {
  return db
    .selectFrom('pilots')
    .select(['id', 'organisation_id', 'title', 'category_id', 'version'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertPilot(
  db: Executor,
  organisationId: string,
  createdBy: string,
  body: CreatePilotBody,
  now: Date,
) {
  const row = await db
    .insertInto('pilots')
    .values({
      organisation_id: organisationId,
      title: body.title,
      summary: body.summary,
      category_id: body.category,
      public_description: body.publicDescription,
      data_collected: body.dataCollected,
      contact_email: body.contactEmail,
      website: body.website ?? null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updatePilot(db: Executor, id: string, body: UpdatePilotBody, now: Date) {
  await db
    .updateTable('pilots')
    .set((eb) => ({
      ...(body.title !== undefined ? { title: body.title } : {}),
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.category !== undefined ? { category_id: body.category } : {}),
      ...(body.publicDescription !== undefined ? { public_description: body.publicDescription } : {}),
      ...(body.dataCollected !== undefined ? { data_collected: body.dataCollected } : {}),
      ...(body.contactEmail !== undefined ? { contact_email: body.contactEmail } : {}),
      ...(body.website !== undefined ? { website: body.website } : {}),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}

/** What a booking request needs of a pilot: its organisation, category and title; undefined if none. */
export async function pilotForBooking(db: Executor, id: string) {
  return db
    .selectFrom('pilots')
    .select(['id', 'organisation_id', 'category_id', 'title'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** A pilot's category; throws (Kysely's NoResultError) when there is no such pilot. */
export async function pilotCategory(db: Executor, id: string): Promise<string> {
  const pilot = await db
    .selectFrom('pilots')
    .select('category_id')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return pilot.category_id
}

/** Pilots with an approved booking overlapping a range, with their category and their organisation's cluster. */
export async function pilotsApprovedIn(db: Executor, range: Interval) {
  return db
    .selectFrom('pilots')
    .innerJoin('organisations', 'organisations.id', 'pilots.organisation_id')
    .select(['pilots.id', 'pilots.category_id', 'organisations.cluster_id'])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('bookings')
          .whereRef('bookings.pilot_id', '=', 'pilots.id')
          .where('bookings.state', '=', 'approved')
          .where('bookings.starts_at', '<', new Date(range.end))
          .where('bookings.ends_at', '>', new Date(range.start))
          .select(sql`1`.as('one')),
      ),
    )
    .execute()
}
