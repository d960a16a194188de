import { createRoute } from '@hono/zod-openapi'
import { requireUser } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { ChangePasswordBody, UpdateMeBody, User } from '../schemas/accounts.ts'
import { jsonBody, problemResponses } from '../schemas/common.ts'
import { changeOwnPassword, findUser, updateProfile } from '../services/accounts.ts'

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Accounts'],
  summary: 'The signed-in user',
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: User } } },
    ...problemResponses(401),
  },
})

const updateMeRoute = createRoute({
  method: 'patch',
  path: '/me',
  tags: ['Accounts'],
  summary: 'Change your name or the language of your notifications',
  request: { body: jsonBody(UpdateMeBody) },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: User } } },
    ...problemResponses(400, 401, 403),
  },
})

const changePasswordRoute = createRoute({
  method: 'post',
  path: '/me/password',
  tags: ['Accounts'],
  summary: 'Change your password; your other sessions end',
  request: { body: jsonBody(ChangePasswordBody) },
  responses: { 204: { description: 'Changed' }, ...problemResponses(400, 401, 403) },
})

export const me = createRouter()
  .openapi(meRoute, async (c) => {
    const me = await findUser(c.get('db'), requireUser(c).id)
    if (!me) throw new ApiError('unauthenticated', say.signInRequired)
    return c.json(me, 200)
  })
  .openapi(updateMeRoute, async (c) => {
    const current = requireUser(c)
    await updateProfile(c.get('db'), current, c.req.valid('json'), c.get('now')())
    const me = await findUser(c.get('db'), current.id)
    if (!me) throw new ApiError('unauthenticated', say.signInRequired)
    return c.json(me, 200)
  })
  .openapi(changePasswordRoute, async (c) => {
    const current = requireUser(c)
    const passwords = c.req.valid('json')
    await changeOwnPassword(c.get('db'), current, passwords, {
      now: c.get('now')(),
      keepSessionId: c.get('session')?.id,
    })
    return c.body(null, 204)
  })
