import { z } from '@hono/zod-openapi'
import { errorStatus } from '../lib/errors.ts'
import { field, schemaText } from '../lib/messages.ts'

export const Id = z
  .uuid({ error: schemaText(field.id) })
  .openapi({ example: '3f1d7c1e-8a7b-4f1e-9a55-1b2c3d4e5f60' })

export const IdParam = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
})

/** An instant with an explicit offset or `Z`, as docs/api.md requires. */
export const Instant = z.iso
  .datetime({
    offset: true,
    error: schemaText(field.instant),
  })
  .openapi({ example: '2027-03-01T18:00:00+03:00' })

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:city-testbed:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(errorStatus) as [keyof typeof errorStatus, ...(keyof typeof errorStatus)[]]),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z.string().optional().openapi({ description: 'Series: the rule an occurrence fails' }),
          start: z.string().optional().openapi({ description: 'Series: the failing occurrence’s start' }),
          end: z.string().optional(),
        }),
      )
      .optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' })

/** Every problem says the language of its texts (docs/api.md, "Errors"). */
const problemHeaders = {
  'Content-Language': {
    description: 'The language of `title`, `detail` and `errors[].message`, as the request asked',
    schema: { type: 'string' as const, enum: ['en', 'ru'] },
  },
}

/** The standard error responses, for `createRoute({ responses })`. */
export function problemResponses<const S extends readonly (400 | 401 | 403 | 404 | 409 | 410 | 422 | 429)[]>(
  ...statuses: S
) {
  const descriptions = {
    400: 'Invalid input (`validation_failed`)',
    401: 'Sign-in required',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Conflict',
    410: 'Gone (`file_missing`: the stored file is lost)',
    422: 'A rule failed',
    429: 'Too many attempts',
  } as const
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: descriptions[s],
        headers: problemHeaders,
        content: { 'application/problem+json': { schema: Problem } },
      },
    ]),
  ) as Record<
    S[number],
    {
      description: string
      headers: typeof problemHeaders
      content: { 'application/problem+json': { schema: typeof Problem } }
    }
  >
}

export const PageQuery = z.object({
  limit: z.coerce
    .number({ error: schemaText(field.wholeNumber(1, 500)) })
    .int(schemaText(field.wholeNumber(1, 500)))
    .min(1, schemaText(field.wholeNumber(1, 500)))
    .max(500, schemaText(field.wholeNumber(1, 500)))
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
