import type { Kysely } from 'kysely'
import { hashPassword } from '../../api/lib/password.ts'
import { hashToken, newToken } from '../../api/lib/tokens.ts'
import type { Database, Role } from '../../db/types.ts'
import { testNow } from './clock.ts'
import { makeDepartment, unique } from './fixtures.ts'

/** The password of every account the tests make. */
export const testPassword = 'a-long-test-passphrase'
let storedHash: Promise<string> | undefined

export interface TestUser {
  id: string
  email: string
  token: string
  role: Role
  departmentId: string | null
  organisationId: string | null
  headers: Record<string, string>
}

/** A session for a user, made directly in the database (as sign-in would). */
export async function makeSession(db: Kysely<Database>, userId: string, now = testNow) {
  const token = newToken()
  await db
    .insertInto('sessions')
    .values({
      user_id: userId,
      token_hash: await hashToken(token),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 30 * 24 * 3600 * 1000),
      user_agent: null,
    })
    .execute()
  return token
}

export async function makeOrganisation(db: Kysely<Database>, name = unique('Company')) {
  return db
    .insertInto('organisations')
    .values({ name, cluster_id: 'ict' })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
}

/** A user of a role with a live session; officials get a fresh department and companies a fresh organisation unless given. */
export async function makeUser(
  db: Kysely<Database>,
  role: Role,
  membership: { departmentId?: string; organisationId?: string; sessionAt?: Date } = {},
): Promise<TestUser> {
  storedHash ??= hashPassword(testPassword)
  const departmentId = role === 'official' ? (membership.departmentId ?? (await makeDepartment(db)).id) : null
  const organisationId =
    role === 'company' ? (membership.organisationId ?? (await makeOrganisation(db)).id) : null
  const email = `${unique(role).replace(' ', '-')}@test.example`
  const row = await db
    .insertInto('users')
    .values({
      email,
      name: unique('Person'),
      password_hash: await storedHash,
      role,
      department_id: departmentId,
      organisation_id: organisationId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const token = await makeSession(db, row.id, membership.sessionAt)
  return {
    id: row.id,
    email,
    token,
    role,
    departmentId,
    organisationId,
    headers: { authorization: `Bearer ${token}` },
  }
}
