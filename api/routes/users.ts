import { createRoute } from '@hono/zod-openapi'
import type { Executor, Role } from '../../db/types.ts'
import { assertStrongPassword } from '../domain/password-policy.ts'
import { requireUser, roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { requestLanguage } from '../lib/language.ts'
import { hashPassword } from '../lib/password.ts'
import { createRouter } from '../lib/validation.ts'
import {
  emailTaken,
  findDepartment,
  findOrganisation,
  findUser,
  insertUser,
  listOrganisations,
  listUsers,
} from '../queries/accounts.ts'
import { recordEvent } from '../queries/events.ts'
import { deleteUserSessions } from '../queries/sessions.ts'
import { CreateUserBody, Organisation, UpdateUserBody, User, UserListQuery } from '../schemas/accounts.ts'
import { IdParam, jsonBody, PageQuery, page, problemResponses } from '../schemas/common.ts'

const admin = roles('admin')

/**
 * Checks that a role comes with the membership it needs (officials a department, company
 * members an organisation, admins neither) and that the membership exists.
 */
async function assertMembership(
  db: Executor,
  role: Role,
  departmentId: string | null,
  organisationId: string | null,
) {
  const problem = (path: string, message: string) =>
    new ApiError('validation_failed', `${path} ${message}.`, { errors: [{ path, message }] })
  if (role === 'official') {
    if (!departmentId) throw problem('departmentId', 'is required for an official')
    if (organisationId) throw problem('organisationId', 'must be empty for an official')
    if (!(await findDepartment(db, departmentId))) throw problem('departmentId', 'names no department')
  }
  if (role === 'company') {
    if (!organisationId) throw problem('organisationId', 'is required for a company member')
    if (departmentId) throw problem('departmentId', 'must be empty for a company member')
    if (!(await findOrganisation(db, organisationId)))
      throw problem('organisationId', 'names no organisation')
  }
  if (role === 'admin' && organisationId) throw problem('organisationId', 'must be empty for an admin')
}

const listUsersRoute = createRoute({
  method: 'get',
  path: '/users',
  tags: ['Administration'],
  summary: 'Users (admin)',
  middleware: admin,
  request: { query: PageQuery.extend(UserListQuery.shape) },
  responses: {
    200: {
      description: 'A page of users, by e-mail',
      content: { 'application/json': { schema: page(User) } },
    },
    ...problemResponses(400, 401, 403),
  },
})

const getUserRoute = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags: ['Administration'],
  summary: 'One user (admin)',
  middleware: admin,
  request: { params: IdParam },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: User } } },
    ...problemResponses(400, 401, 403, 404),
  },
})

const createUserRoute = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Administration'],
  summary: 'Create an official, an admin or a company member (admin)',
  middleware: admin,
  request: { body: jsonBody(CreateUserBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: User } } },
    ...problemResponses(400, 401, 403, 409),
  },
})

const updateUserRoute = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags: ['Administration'],
  summary: 'Change a user’s name, role or membership, or deactivate them (admin)',
  description: 'Deactivating a user ends all their sessions at once.',
  middleware: admin,
  request: { params: IdParam, body: jsonBody(UpdateUserBody) },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: User } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const listOrganisationsRoute = createRoute({
  method: 'get',
  path: '/organisations',
  tags: ['Administration'],
  summary: 'Organisations (admin)',
  middleware: admin,
  request: { query: PageQuery },
  responses: {
    200: {
      description: 'A page of organisations',
      content: { 'application/json': { schema: page(Organisation) } },
    },
    ...problemResponses(400, 401, 403),
  },
})

export const users = createRouter()
  .openapi(listUsersRoute, async (c) => c.json(await listUsers(c.get('db'), c.req.valid('query')), 200))
  .openapi(getUserRoute, async (c) => {
    const user = await findUser(c.get('db'), c.req.valid('param').id)
    if (!user) throw new ApiError('not_found', 'No user with this id.')
    return c.json(user, 200)
  })
  .openapi(createUserRoute, async (c) => {
    const actor = requireUser(c)
    const body = c.req.valid('json')
    const db = c.get('db')
    assertStrongPassword(body.password, body.email)
    const departmentId = body.departmentId ?? null
    const organisationId = body.organisationId ?? null
    await assertMembership(db, body.role, departmentId, organisationId)
    if (await emailTaken(db, body.email))
      throw new ApiError('conflict', 'A user with this e-mail address exists already.')
    const passwordHash = await hashPassword(body.password)
    const now = c.get('now')()
    const id = await db.transaction().execute(async (tx) => {
      const userId = await insertUser(
        tx,
        {
          email: body.email,
          name: body.name,
          passwordHash,
          role: body.role,
          language: body.language ?? requestLanguage(c),
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
    return c.json((await findUser(db, id)) as User, 201)
  })
  .openapi(updateUserRoute, async (c) => {
    const actor = requireUser(c)
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const db = c.get('db')
    const before = await findUser(db, id)
    if (!before) throw new ApiError('not_found', 'No user with this id.')
    if (id === actor.id && (body.active === false || (body.role && body.role !== 'admin'))) {
      throw new ApiError('conflict', 'You cannot deactivate or demote yourself; ask another admin.')
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
    const now = c.get('now')()
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('users')
        .set({
          ...(body.name ? { name: body.name } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          role,
          department_id: departmentId,
          organisation_id: organisationId,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      if (body.active === false || roleChanged) await deleteUserSessions(tx, id)
      await recordEvent(
        tx,
        {
          actorId: actor.id,
          action: body.active === false ? 'user.deactivated' : 'user.updated',
          subjectType: 'user',
          subjectId: id,
          before,
          after: body,
        },
        now,
      )
    })
    return c.json((await findUser(db, id)) as User, 200)
  })
  .openapi(listOrganisationsRoute, async (c) =>
    c.json(await listOrganisations(c.get('db'), c.req.valid('query')), 200),
  )
