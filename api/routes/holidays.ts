import { createRoute, z } from '@hono/zod-openapi'
import { requireUser, roles } from '../lib/auth.ts'
import { createRouter } from '../lib/validation.ts'
import { Holiday, HolidayBody, HolidayDayParam, HolidayListQuery } from '../schemas/accounts.ts'
import { jsonBody, problemResponses } from '../schemas/common.ts'
import { addHoliday, listHolidays, removeHoliday } from '../services/holidays.ts'

/**
 * The city's public holidays: days that do not count as working days for review deadlines
 * (api/domain/deadlines.ts). Officials read them, admins keep them.
 */
const listRoute = createRoute({
  method: 'get',
  path: '/holidays',
  tags: ['Administration'],
  summary: 'Public holidays (officials, admins)',
  middleware: roles('official', 'admin'),
  request: { query: HolidayListQuery },
  responses: {
    200: {
      description: 'Every holiday (of the year asked for), by date',
      content: {
        'application/json': { schema: z.object({ items: z.array(Holiday), nextCursor: z.null() }) },
      },
    },
    ...problemResponses(400, 401, 403),
  },
})

const createHolidayRoute = createRoute({
  method: 'post',
  path: '/holidays',
  tags: ['Administration'],
  summary: 'Add a public holiday (admin)',
  description:
    'Review deadlines that run over the day move one working day later. 409 when the day is one already.',
  middleware: roles('admin'),
  request: { body: jsonBody(HolidayBody) },
  responses: {
    201: { description: 'Added', content: { 'application/json': { schema: Holiday } } },
    ...problemResponses(400, 401, 403, 409),
  },
})

const deleteHolidayRoute = createRoute({
  method: 'delete',
  path: '/holidays/{day}',
  tags: ['Administration'],
  summary: 'Remove a public holiday (admin)',
  middleware: roles('admin'),
  request: { params: HolidayDayParam },
  responses: {
    204: { description: 'Removed' },
    ...problemResponses(400, 401, 403, 404),
  },
})

export const holidays = createRouter()
  .openapi(listRoute, async (c) =>
    c.json({ items: await listHolidays(c.get('db'), c.req.valid('query').year), nextCursor: null }, 200),
  )
  .openapi(createHolidayRoute, async (c) => {
    const holiday = await addHoliday(c.get('db'), requireUser(c).id, c.req.valid('json'), c.get('now')())
    return c.json(holiday, 201)
  })
  .openapi(deleteHolidayRoute, async (c) => {
    await removeHoliday(c.get('db'), requireUser(c).id, c.req.valid('param').day, c.get('now')())
    return c.body(null, 204)
  })
