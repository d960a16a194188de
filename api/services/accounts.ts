import type { Kysely } from 'kysely'
import type { Database, Executor, Language, Role } from '../../db/types.ts'
import { assertStrongPassword } from '../domain/password-policy.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, type Localized, say } from '../lib/messages.ts'
import { hashPassword, verifyPassword } from '../lib/password.ts'
import {
  clusterExists,
  emailTaken,
  findCredentials,
  findDepartment,
  findOrganisation,
  findUser,
  insertOrganisation,
  insertUser,
  updateUser,
} from '../queries/accounts.ts'
import { recordEvent } from '../queries/events.ts'
import { deleteUserSessions } from '../queries/sessions.ts'
import type {
  ChangePasswordBody,
  CreateUserBody,
  RegisterBody,
  UpdateMeBody,
  UpdateUserBody,
} from '../schemas/accounts.ts'

// Reads a route needs as they are, answered by the queries themselves.
export {
  findDepartment,
  findUser,
  listDepartments,
  listOrganisations,
  listUsers,
} from '../queries/accounts.ts'

/**
 * Checks that a role comes with the membership it needs (officials a department, company
 * members an organisation, admins neither) and that the membership exists.
 */
export async function assertMembership(
  db: Executor,
  role: Role,
  departmentId: string | null,
  organisationId: string | null,
) {
  const problem = (path: string, message: Localized) =>
    new ApiError('validation_failed', say.fieldProblem(path, message), { errors: [{ path, message }] })
  if (role === 'official') {
    if (!departmentId) throw problem('departmentId', field.requiredForOfficial)
    if (organisationId) throw problem('organisationId', field.emptyForOfficial)
    if (!(await findDepartment(db, departmentId))) throw problem('departmentId', field.namesNoDepartment)
  }
  if (role === 'company') {
    if (!organisationId) throw problem('organisationId', field.requiredForCompany)
    if (departmentId) throw problem('departmentId', field.emptyForCompany)
    if (!(await findOrganisation(db, organisationId)))
      throw problem('organisationId', field.namesNoOrganisation)
  }
  if (role === 'admin' && organisationId) throw problem('organisationId', field.emptyForAdmin)
}

/**
 * Registers a company: its organisation and first member, with their audit events, in one
 * transaction. Returns the new member's id. The cluster must exist and the e-mail be free.
 */
export async function registerCompany(
  db: Kysely<Database>,
  body: RegisterBody,
  context: { now: Date; language: Language },
): Promise<string> {
  const { now } = context
  if (body.organisation.cluster && !(await clusterExists(db, body.organisation.cluster))) {
    throw new ApiError('validation_failed', say.unknownCluster, {
      errors: [{ path: 'organisation.cluster', message: field.unknownCluster }],
    })
  }
  if (await emailTaken(db, body.email)) {
    throw new ApiError('email_taken', say.emailTakenSignIn, {
      errors: [{ path: 'email', message: field.emailTaken }],
    })
  }
  const passwordHash = await hashPassword(body.password)
  return db.transaction().execute(async (tx) => {
    const org = await insertOrganisation(
      tx,
      {
        name: body.organisation.name,
        legalId: body.organisation.legalId,
        website: body.organisation.website,
        clusterId: body.organisation.cluster,
      },
      now,
    )
    const id = await insertUser(
      tx,
      {
        email: body.email,
        name: body.name,
        passwordHash,
        role: 'company',
        language: body.language ?? context.language,
        organisationId: org.id,
        departmentId: null,
      },
      now,
    )
    await recordEvent(
      tx,
      {
        actorId: id,
        action: 'organisation.registered',
        subjectType: 'organisation',
        subjectId: org.id,
        after: org,
      },
      now,
    )
    await recordEvent(
      tx,
      {
        actorId: id,
        action: 'user.registered',
        subjectType: 'user',
        subjectId: id,
        after: { email: body.email },
      },
      now,
    )
    return id
  })
}

/** An admin creates an account of any role, with its membership checked; returns its id. */
export async function createUser(
  db: Kysely<Database>,
  actor: SessionUser,
  body: CreateUserBody,
  context: { now: Date; language: Language },
): Promise<string> {
  const { now } = context
  assertStrongPassword(body.password, body.email)
  const departmentId = body.departmentId ?? null
  const organisationId = body.organisationId ?? null
  await assertMembership(db, body.role, departmentId, organisationId)
  if (await emailTaken(db, body.email))
    throw new ApiError('email_taken', say.emailTakenUser, {
      errors: [{ path: 'email', message: field.emailTaken }],
    })
  const passwordHash = await hashPassword(body.password)
  return db.transaction().execute(async (tx) => {
    const userId = await insertUser(
      tx,
      {
        email: body.email,
        name: body.name,
        passwordHash,
        role: body.role,
        language: body.language ?? context.language,
        departmentId,
        organisationId,
      },
      now,
    )
    await recordEvent(
      tx,
      {
        actorId: actor.id,
        action: 'user.created',
        subjectType: 'user',
        subjectId: userId,
        after: { email: body.email, role: body.role, departmentId, organisationId },
      },
      now,
    )
    return userId
  })
}

/** The audit action of an admin's change to an account. */
function accountAction(wasActive: boolean, active: boolean | undefined) {
  if (active === false) return 'user.deactivated'
  if (active === true && !wasActive) return 'user.reactivated'
  return 'user.updated'
}

/**
 * An admin changes an account: name, role (its membership follows), active. Deactivating or
 * changing the role ends the account's sessions; admins cannot deactivate or demote themselves.
 */
export async function updateAccount(
  db: Kysely<Database>,
  actor: SessionUser,
  id: string,
  body: UpdateUserBody,
  now: Date,
): Promise<void> {
  const before = await findUser(db, id)
  if (!before) throw new ApiError('not_found', say.noUser)
  if (id === actor.id && (body.active === false || (body.role && body.role !== 'admin'))) {
    throw new ApiError('conflict', say.noSelfDemotion)
  }
  const role = body.role ?? before.role
  const roleChanged = role !== before.role
  // A new role drops the membership that no longer fits unless the request names one.
  const departmentId =
    body.departmentId !== undefined
      ? body.departmentId
      : roleChanged && role !== 'official'
        ? null
        : (before.department?.id ?? null)
  const organisationId =
    body.organisationId !== undefined
      ? body.organisationId
      : roleChanged && role !== 'company'
        ? null
        : (before.organisation?.id ?? null)
  await assertMembership(db, role, departmentId, organisationId)
  await db.transaction().execute(async (tx) => {
    await updateUser(tx, id, {
      ...(body.name ? { name: body.name } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
      role,
      department_id: departmentId,
      organisation_id: organisationId,
      updated_at: now,
    })
    if (body.active === false || roleChanged) await deleteUserSessions(tx, id)
    await recordEvent(
      tx,
      {
        actorId: actor.id,
        action: accountAction(before.active, body.active),
        subjectType: 'user',
        subjectId: id,
        before,
        after: body,
      },
      now,
    )
  })
}

/** A signed-in user changes their own name or notification language; recorded. */
export async function updateProfile(
  db: Kysely<Database>,
  current: SessionUser,
  body: UpdateMeBody,
  now: Date,
) {
  await db.transaction().execute(async (tx) => {
    await updateUser(tx, current.id, {
      ...(body.name ? { name: body.name } : {}),
      ...(body.language ? { language: body.language } : {}),
      updated_at: now,
    })
    await recordEvent(
      tx,
      {
        actorId: current.id,
        action: 'user.updated',
        subjectType: 'user',
        subjectId: current.id,
        before: { name: current.name, language: current.language },
        after: body,
      },
      now,
    )
  })
}

/**
 * A signed-in user changes their password, proving the current one; every other session of
 * theirs ends (the one that asked, `keepSessionId`, stays).
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  current: SessionUser,
  passwords: ChangePasswordBody,
  context: { now: Date; keepSessionId?: string | undefined },
) {
  const credentials = await findCredentials(db, current.email)
  if (!credentials || !(await verifyPassword(passwords.currentPassword, credentials.password_hash))) {
    throw new ApiError('validation_failed', say.wrongCurrentPassword, {
      errors: [{ path: 'currentPassword', message: field.isWrong }],
    })
  }
  assertStrongPassword(passwords.newPassword, current.email, 'newPassword')
  const passwordHash = await hashPassword(passwords.newPassword)
  const { now } = context
  await db.transaction().execute(async (tx) => {
    await updateUser(tx, current.id, { password_hash: passwordHash, updated_at: now })
    await deleteUserSessions(tx, current.id, context.keepSessionId)
    await recordEvent(
      tx,
      { actorId: current.id, action: 'user.password_changed', subjectType: 'user', subjectId: current.id },
      now,
    )
  })
}

/**
 * An admin sets a new password for an account (someone who lost theirs; the admin hands it over
 * in person or by phone, never by e-mail). Every session of that account ends at once.
 */
export async function resetPassword(
  db: Kysely<Database>,
  actor: SessionUser,
  id: string,
  password: string,
  now: Date,
): Promise<void> {
  const user = await findUser(db, id)
  if (!user) throw new ApiError('not_found', say.noUser)
  assertStrongPassword(password, user.email, 'password')
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (tx) => {
    await updateUser(tx, id, { password_hash: passwordHash, updated_at: now })
    await deleteUserSessions(tx, id)
    await recordEvent(
      tx,
      { actorId: actor.id, action: 'user.password_reset', subjectType: 'user', subjectId: id },
      now,
    )
  })
}
