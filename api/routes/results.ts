import { createRoute } from '@hono/zod-openapi'
import { requireRole, roles } from '../lib/auth.ts'
import { createRouter } from '../lib/validation.ts'
import { IdParam, jsonBody, problemResponses } from '../schemas/common.ts'
import { PilotResults, ResultsBody } from '../schemas/residents.ts'
import { publishResults, readResults } from '../services/results.ts'

const publishResultsRoute = createRoute({
  method: 'post',
  path: '/pilots/{id}/results',
  tags: ['Residents'],
  summary: 'Publish or replace a pilot’s results (its organisation)',
  description:
    'Allowed once the pilot’s first approved booking has started (409 `invalid_state` before). The first ' +
    'submission answers 201, a later one replaces it and answers 200. Public with the pilot; recorded as ' +
    '`pilot.results_published` or `pilot.results_replaced`. Results end the 30-day overdue flag.',
  middleware: roles('company'),
  request: { params: IdParam, body: jsonBody(ResultsBody) },
  responses: {
    200: { description: 'Replaced', content: { 'application/json': { schema: PilotResults } } },
    201: { description: 'Published', content: { 'application/json': { schema: PilotResults } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const readResultsRoute = createRoute({
  method: 'get',
  path: '/pilots/{id}/results',
  tags: ['Residents'],
  summary: 'A pilot’s results',
  description:
    'For anyone once the pilot is public (has an approved booking); before that for its organisation, ' +
    'admins and the officials who review it. 404 when you may not see the pilot or it has no results yet.',
  request: { params: IdParam },
  responses: {
    200: { description: 'The results', content: { 'application/json': { schema: PilotResults } } },
    ...problemResponses(400, 404),
  },
})

export const results = createRouter()
  .openapi(publishResultsRoute, async (c) => {
    const user = requireRole(c, 'company')
    const { id } = c.req.valid('param')
    const saved = await publishResults(c.get('db'), user, id, c.req.valid('json'), c.get('now')())
    return saved.created ? c.json(saved.results, 201) : c.json(saved.results, 200)
  })
  .openapi(readResultsRoute, async (c) => {
    const { id } = c.req.valid('param')
    return c.json(await readResults(c.get('db'), id, c.get('user'), c.get('now')()), 200)
  })
