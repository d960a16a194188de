import { createRoute } from '@hono/zod-openapi'
import { requireUser, roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { requestLanguage } from '../lib/language.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import {
  CreateUserBody,
  Organisation,
  ResetPasswordBody,
  UpdateUserBody,
  User,
  UserListQuery,
} from '../schemas/accounts.ts'
import { IdParam, jsonBody, PageQuery, page, problemResponses } from '../schemas/common.ts'
import {
  createUser,
  findUser,
  listOrganisations,
  listUsers,
  resetPassword,
  updateAccount,
} from '../services/accounts.ts'

const admin = roles('admin')

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
  summary: 'Change a user’s name, role or membership, or deactivate or re-enable them (admin)',
  description:
    'Deactivating a user (active: false) ends all their sessions at once; active: true lets them sign in again.',
  middleware: admin,
  request: { params: IdParam, body: jsonBody(UpdateUserBody) },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: User } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const resetPasswordRoute = createRoute({
  method: 'post',
  path: '/users/{id}/password',
  tags: ['Administration'],
  summary: 'Set a new password for a user (admin)',
  description:
    'For someone who lost theirs: the admin chooses it and hands it over. Every session of the ' +
    'account ends at once; the password policy applies as at sign-up.',
  middleware: admin,
  request: { params: IdParam, body: jsonBody(ResetPasswordBody) },
  responses: {
    204: { description: 'Changed; their sessions ended' },
    ...problemResponses(400, 401, 403, 404),
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
    if (!user) throw new ApiError('not_found', say.noUser)
    return c.json(user, 200)
  })
  .openapi(createUserRoute, async (c) => {
    const actor = requireUser(c)
    const body = c.req.valid('json')
    const db = c.get('db')
    const id = await createUser(db, actor, body, { now: c.get('now')(), language: requestLanguage(c) })
    return c.json((await findUser(db, id)) as User, 201)
  })
  .openapi(updateUserRoute, async (c) => {
    const actor = requireUser(c)
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const db = c.get('db')
    await updateAccount(db, actor, id, body, c.get('now')())
    return c.json((await findUser(db, id)) as User, 200)
  })
  .openapi(resetPasswordRoute, async (c) => {
    const { id } = c.req.valid('param')
    await resetPassword(c.get('db'), requireUser(c), id, c.req.valid('json').password, c.get('now')())
    return c.body(null, 204)
  })
  .openapi(listOrganisationsRoute, async (c) =>
    c.json(await listOrganisations(c.get('db'), c.req.valid('query')), 200),
  )
