import { z } from '@hono/zod-openapi'
import { errorStatus } from '../lib/errors.ts'

export const Id = z
  .uuid({ error: 'must be an id (a UUID)' })
  .openapi({ example: '3f1d7c1e-8a7b-4f1e-9a55-1b2c3d4e5f60' })

export const IdParam = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
})

/** An instant with an explicit offset or `Z`, as docs/api.md requires. */
export const Instant = z.iso
  .datetime({
    offset: true,
    error: 'must be an ISO-8601 instant with an offset, e.g. 2027-03-01T18:00:00+03:00',
  })
  .openapi({ example: '2027-03-01T18:00:00+03:00' })

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:city-testbed:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' })

/** The standard error responses, for `createRoute({ responses })`. */
export function problemResponses<const S extends readonly (400 | 401 | 403 | 404 | 409 | 422 | 429)[]>(
  ...statuses: S
) {
  const descriptions = {
    400: 'Invalid input (`validation_failed`)',
    401: 'Sign-in required',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict',
    422: 'A rule failed',
    429: 'Too many attempts',
  } as const
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s], content: { 'application/problem+json': { schema: Problem } } },
    ]),
  ) as Record<
    S[number],
    { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
  >
}

export const PageQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 500' })
    .int('must be a whole number from 1 to 500')
    .min(1, 'must be a whole number from 1 to 500')
    .max(500, 'must be a whole number from 1 to 500')
    .default(50)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 50 }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The `nextCursor` of the previous page',
    }),
})

/** A page of a list: `{ items, nextCursor }`. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

/** A required JSON request body, for `createRoute({ request: { body } })`. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true }
}
