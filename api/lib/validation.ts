import { OpenAPIHono } from '@hono/zod-openapi'
import type { z } from 'zod'
import type { AppEnv } from './context.ts'
import { ApiError, type FieldError } from './errors.ts'

/** Zod issues as the `errors` of a problem: a dotted path and a sentence. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
}

const targetNames: Record<string, string> = {
  json: 'request body',
  query: 'query string',
  param: 'path',
  header: 'headers',
  cookie: 'cookies',
  form: 'form',
}

/**
 * A Hono sub-app whose validation failures become 400 `validation_failed` problems.
 *
 * @example
 * export const areas = createRouter().openapi(listAreasRoute, (c) => …)
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const where = targetNames[result.target] ?? result.target
        const errors = fieldErrors(result.error)
        const first = errors[0]
        const detail = first ? `Invalid ${where}: ${first.path} ${first.message}.` : `Invalid ${where}.`
        throw new ApiError('validation_failed', detail, { errors })
      }
    },
  })
}
