import { createRoute } from '@hono/zod-openapi'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, PageQuery, page, problemResponses } from '../schemas/common.ts'
import { Feedback, FeedbackAccepted, FeedbackBody } from '../schemas/residents.ts'
import { feedbackThrottle, giveFeedback, readFeedback } from '../services/feedback.ts'

const giveFeedbackRoute = createRoute({
  method: 'post',
  path: '/pilots/{id}/feedback',
  tags: ['Residents'],
  summary: 'Tell the pilot and the city what you think (anyone, no account)',
  description:
    'For a public pilot (404 otherwise). The message is stored and sent to the pilot’s contact and to the ' +
    'officials who sign off its bookings; it is never shown publicly. `email` lets them answer. At most ' +
    `${feedbackThrottle.limit} messages an hour from one client address (429 with Retry-After beyond).`,
  request: { params: IdParam, body: jsonBody(FeedbackBody) },
  responses: {
    202: { description: 'Received', content: { 'application/json': { schema: FeedbackAccepted } } },
    ...problemResponses(400, 404, 429),
  },
})

const readFeedbackRoute = createRoute({
  method: 'get',
  path: '/pilots/{id}/feedback',
  tags: ['Residents'],
  summary: 'Residents’ feedback on a pilot, newest first',
  description:
    'For the pilot’s organisation, admins, and officials of a department that signs off one of its ' +
    'bookings; 404 for everyone else.',
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: { description: 'A page of feedback', content: { 'application/json': { schema: page(Feedback) } } },
    ...problemResponses(400, 404),
  },
})

export const feedback = createRouter()
  .openapi(giveFeedbackRoute, async (c) => {
    const { id } = c.req.valid('param')
    const from = { clientAddress: c.get('clientAddress'), publicUrl: c.get('config').publicUrl }
    const accepted = await giveFeedback(c.get('db'), id, c.req.valid('json'), from, c.get('now')())
    return c.json(accepted, 202)
  })
  .openapi(readFeedbackRoute, async (c) => {
    const { id } = c.req.valid('param')
    return c.json(await readFeedback(c.get('db'), id, c.get('user'), c.req.valid('query')), 200)
  })
