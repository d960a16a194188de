import { createRoute, z } from '@hono/zod-openapi'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { pingDatabase } from '../services/health.ts'

const Health = z
  .object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) })
  .openapi('Health')

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness and database reachability',
  responses: {
    200: {
      description: 'The API and its database answer',
      content: { 'application/json': { schema: Health } },
    },
    503: { description: 'The database does not answer' },
  },
})

const Settings = z
  .object({
    cityTimeZone: z.string().openapi({ example: 'Europe/Moscow' }),
    languages: z.array(z.enum(['en', 'ru'])),
    mapTilesUrl: z
      .string()
      .nullable()
      .openapi({ description: 'Map background tiles; null draws areas and sites alone' }),
    mapTilesAttribution: z.string().nullable(),
  })
  .openapi('Settings')

const settingsRoute = createRoute({
  method: 'get',
  path: '/settings',
  tags: ['System'],
  summary: 'What clients need to know about this deployment: the city’s time zone and languages',
  responses: { 200: { description: 'Settings', content: { 'application/json': { schema: Settings } } } },
})

export const health = createRouter()
  .openapi(settingsRoute, (c) =>
    c.json(
      {
        cityTimeZone: c.get('config').cityTimeZone,
        languages: ['en' as const, 'ru' as const],
        mapTilesUrl: c.get('config').mapTilesUrl ?? null,
        mapTilesAttribution: c.get('config').mapTilesAttribution ?? null,
      },
      200,
    ),
  )
  .openapi(healthRoute, async (c) => {
    try {
      await pingDatabase(c.get('db'))
    } catch (error) {
      throw new ApiError('service_unavailable', say.databaseNotAnswering, {
        headers: { 'retry-after': '5' },
        cause: error,
      })
    }
    return c.json({ status: 'ok' as const, database: c.get('dbKind') }, 200)
  })
