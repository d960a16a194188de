import { sql, type Updateable } from 'kysely'
import type { Executor, Language, Role, UsersTable } from '../../db/types.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { likePattern } from '../lib/search.ts'
import type { User } from '../schemas/accounts.ts'

function selectUsers(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .leftJoin('departments', 'departments.id', 'users.department_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.language',
      'users.active',
      'organisations.id as organisation_id',
      'organisations.name as organisation_name',
      'organisations.cluster_id as organisation_cluster_id',
      'departments.id as department_id',
      'departments.name as department_name',
    ])
}

type UserSelection = Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirstOrThrow']>>

/** A user as the API shows one: never the password hash. */
function toUser(row: UserSelection): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    language: row.language,
    active: row.active,
    ...(row.organisation_id && row.organisation_name
      ? {
          organisation: {
            id: row.organisation_id,
            name: row.organisation_name,
            clusterId: row.organisation_cluster_id,
          },
        }
      : {}),
    ...(row.department_id && row.department_name
      ? { department: { id: row.department_id, name: row.department_name } }
      : {}),
  }
}

export async function findUser(db: Executor, id: string): Promise<User | undefined> {
  const row = await selectUsers(db).where('users.id', '=', id).executeTakeFirst()
  return row ? toUser(row) : undefined
}

/** What sign-in needs: the stored hash and whether the account may sign in. */
export async function findCredentials(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'active'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

export async function emailTaken(db: Executor, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
  return row !== undefined
}

export interface UserFilter {
  role?: Role | undefined
  departmentId?: string | undefined
  organisationId?: string | undefined
  q?: string | undefined
  limit: number
  cursor?: string | undefined
}

/** One page of users, by e-mail. */
export async function listUsers(db: Executor, filter: UserFilter) {
  let q = selectUsers(db)
  if (filter.role) q = q.where('users.role', '=', filter.role)
  if (filter.departmentId) q = q.where('users.department_id', '=', filter.departmentId)
  if (filter.organisationId) q = q.where('users.organisation_id', '=', filter.organisationId)
  if (filter.q) {
    const pattern = likePattern(filter.q)
    q = q.where((eb) => eb.or([eb('users.email', 'ilike', pattern), eb('users.name', 'ilike', pattern)]))
  }
  if (filter.cursor) {
    const after = decodeCursor(filter.cursor)
    q = q.where(sql<boolean>`(users.email, users.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('users.email')
    .orderBy('users.id')
    .limit(filter.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, filter.limit, (r) => r.email)
  return { items: pageRows.map(toUser), nextCursor }
}

export interface NewUser {
  email: string
  name: string
  passwordHash: string
  role: Role
  language: Language
  organisationId: string | null
  departmentId: string | null
}

export async function insertUser(db: Executor, user: NewUser, now: Date): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      role: user.role,
      language: user.language,
      organisation_id: user.organisationId,
      department_id: user.departmentId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertOrganisation(
  db: Executor,
  org: {
    name: string
    legalId?: string | undefined
    website?: string | undefined
    clusterId?: string | undefined
  },
  now: Date,
) {
  return db
    .insertInto('organisations')
    .values({
      name: org.name,
      legal_id: org.legalId ?? null,
      website: org.website ?? null,
      cluster_id: org.clusterId ?? null,
      created_at: now,
    })
    .returning(['id', 'name', 'cluster_id'])
    .executeTakeFirstOrThrow()
}

export async function clusterExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('clusters').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/** One page of organisations, by name, with how many members each has. */
export async function listOrganisations(db: Executor, page: { limit: number; cursor?: string | undefined }) {
  let q = db
    .selectFrom('organisations')
    .select((eb) => [
      'organisations.id',
      'organisations.name',
      'organisations.legal_id',
      'organisations.website',
      'organisations.cluster_id',
      'organisations.created_at',
      eb
        .selectFrom('users')
        .whereRef('users.organisation_id', '=', 'organisations.id')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('member_count'),
    ])
  if (page.cursor) {
    const after = decodeCursor(page.cursor)
    q = q.where(sql<boolean>`(organisations.name, organisations.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('organisations.name')
    .orderBy('organisations.id')
    .limit(page.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, page.limit, (r) => r.name)
  return {
    items: pageRows.map((r) => ({
      id: r.id,
      name: r.name,
      legalId: r.legal_id,
      website: r.website,
      clusterId: r.cluster_id,
      memberCount: r.member_count ?? 0,
      createdAt: r.created_at.toISOString(),
    })),
    nextCursor,
  }
}

const departmentDetail = ['id', 'name', 'review_period_days'] as const

/** A department as its own list and detail show it, review period included. */
function toDepartmentDetail(row: { id: string; name: string; review_period_days: number }) {
  return { id: row.id, name: row.name, reviewPeriodDays: row.review_period_days }
}

export async function listDepartments(db: Executor) {
  const rows = await db.selectFrom('departments').select(departmentDetail).orderBy('name').execute()
  return rows.map(toDepartmentDetail)
}

/** One department with its review period, or undefined. */
export async function findDepartmentDetail(db: Executor, id: string) {
  const row = await db
    .selectFrom('departments')
    .select(departmentDetail)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toDepartmentDetail(row) : undefined
}

export async function findDepartment(db: Executor, id: string) {
  return db.selectFrom('departments').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}

export async function findOrganisation(db: Executor, id: string) {
  return db.selectFrom('organisations').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
}

/** Changes a user's row (name, language, role, membership, password hash, active). */
export async function updateUser(db: Executor, id: string, changes: Updateable<UsersTable>) {
  await db.updateTable('users').set(changes).where('id', '=', id).execute()
}

export async function insertDepartment(
  db: Executor,
  department: { name: string; reviewPeriodDays?: number | undefined },
  now: Date,
) {
  const row = await db
    .insertInto('departments')
    .values({
      name: department.name,
      created_at: now,
      ...(department.reviewPeriodDays === undefined
        ? {}
        : { review_period_days: department.reviewPeriodDays }),
    })
    .returning(departmentDetail)
    .executeTakeFirstOrThrow()
  return toDepartmentDetail(row)
}

/** Renames a department and/or changes its review period. */
export async function updateDepartment(
  db: Executor,
  id: string,
  changes: { name?: string | undefined; reviewPeriodDays?: number | undefined },
) {
  const row = await db
    .updateTable('departments')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.reviewPeriodDays === undefined ? {} : { review_period_days: changes.reviewPeriodDays }),
    })
    .where('id', '=', id)
    .returning(departmentDetail)
    .executeTakeFirstOrThrow()
  return toDepartmentDetail(row)
}
