import { createRoute, z } from '@hono/zod-openapi'
import { requestLanguage } from '../lib/language.ts'
import { createRouter } from '../lib/validation.ts'
import { Category, Cluster } from '../schemas/catalogue.ts'
import { listCategories, listClusters } from '../services/catalogue.ts'

const listCategoriesRoute = createRoute({
  method: 'get',
  path: '/categories',
  tags: ['Catalogue'],
  summary: 'Technology categories',
  responses: {
    200: {
      description: 'Every category, names in the requested language',
      content: { 'application/json': { schema: z.object({ items: z.array(Category) }) } },
    },
  },
})

const listClustersRoute = createRoute({
  method: 'get',
  path: '/clusters',
  tags: ['Catalogue'],
  summary: 'Industry clusters an organisation can belong to',
  responses: {
    200: {
      description: 'Every cluster, names in the requested language',
      content: { 'application/json': { schema: z.object({ items: z.array(Cluster) }) } },
    },
  },
})

export const categories = createRouter()
  .openapi(listCategoriesRoute, async (c) => {
    const language = requestLanguage(c)
    c.header('content-language', language)
    return c.json({ items: await listCategories(c.get('db'), language) }, 200)
  })
  .openapi(listClustersRoute, async (c) => {
    const language = requestLanguage(c)
    c.header('content-language', language)
    return c.json({ items: await listClusters(c.get('db'), language) }, 200)
  })
