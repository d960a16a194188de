import { z } from '@hono/zod-openapi'
import { UpdateMeBody, User } from './accounts.ts'

/** How an official hears of requests to review (issue 17). */
export const ReviewMailChoice = z.enum(['each', 'digest', 'auto']).openapi({
  description:
    '`each`: a message per request; `digest`: one message a day (DIGEST_HOUR, city time); `auto`: the digest while more than 10 requests wait for the department, else each',
})

/** The signed-in user; a reviewer (official or admin) also sees their review-mail choice. */
export const Me = User.extend({
  reviewMail: ReviewMailChoice.optional(),
  reviewMailEffective: z
    .enum(['each', 'digest'])
    .optional()
    .openapi({ description: 'What `reviewMail` means now: `auto` resolved by the department’s load' }),
}).openapi('Me')

export const UpdateMe = UpdateMeBody.extend({
  reviewMail: ReviewMailChoice.optional().openapi({ description: 'Officials and admins only' }),
}).openapi('UpdateMe')

export type UpdateMe = z.infer<typeof UpdateMe>
