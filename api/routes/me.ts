import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { requireUser } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { ChangePasswordBody } from '../schemas/accounts.ts'
import { jsonBody, problemResponses } from '../schemas/common.ts'
import { Me, UpdateMe } from '../schemas/notifications.ts'
import { changeOwnPassword, findUser, updateProfile } from '../services/accounts.ts'
import { chooseReviewMail, reviewMailSetting, reviewsRequests } from '../services/digests.ts'

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Accounts'],
  summary: 'The signed-in user',
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: Me } } },
    ...problemResponses(401),
  },
})

const updateMeRoute = createRoute({
  method: 'patch',
  path: '/me',
  tags: ['Accounts'],
  summary: 'Change your name, the language of your notifications, or how you hear of requests to review',
  request: { body: jsonBody(UpdateMe) },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: Me } } },
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

/** The signed-in user as GET /api/me shows them; a reviewer with their review-mail choice. */
async function meOf(c: Context<AppEnv>) {
  const current = requireUser(c)
  const me = await findUser(c.get('db'), current.id)
  if (!me) throw new ApiError('unauthenticated', say.signInRequired)
  const reviewMail = await reviewMailSetting(c.get('db'), current)
  return reviewMail ? { ...me, reviewMail: reviewMail.choice, reviewMailEffective: reviewMail.now } : me
}

export const me = createRouter()
  .openapi(meRoute, async (c) => c.json(await meOf(c), 200))
  .openapi(updateMeRoute, async (c) => {
    const current = requireUser(c)
    const { reviewMail, ...profile } = c.req.valid('json')
    if (reviewMail !== undefined && !reviewsRequests(current))
      throw new ApiError('forbidden', say.reviewMailForReviewers)
    const now = c.get('now')()
    if (reviewMail === undefined || profile.name !== undefined || profile.language !== undefined)
      await updateProfile(c.get('db'), current, profile, now)
    if (reviewMail !== undefined) await chooseReviewMail(c.get('db'), current, reviewMail, now)
    return c.json(await meOf(c), 200)
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
