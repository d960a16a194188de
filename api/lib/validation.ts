import { OpenAPIHono } from '@hono/zod-openapi'
import type { z } from 'zod'
import russianLocale from 'zod/v4/locales/ru.js'
import type { AppEnv } from './context.ts'
import { ApiError, type FieldIssue } from './errors.ts'
import { type Localized, requestPart, say, schemaTextOf } from './messages.ts'

/** zod's own Russian, asked per issue: a process-wide `z.config` locale would race between requests. */
const russian = russianLocale().localeError

/** The value an issue's path points at in what was validated: zod drops it from the issue it reports. */
function inputAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/**
 * An issue's message in every language: a schema's own message from the catalogue (through
 * `schemaText`, or a custom issue's `params.text`), else zod's English and zod's Russian for it.
 */
function issueText(issue: z.core.$ZodIssue, data: unknown): Localized {
  const given = issue.code === 'custom' ? (issue.params?.text as Localized | undefined) : undefined
  const known = given ?? schemaTextOf(issue.message)
  if (known) return known
  const ru = russian({ ...issue, input: inputAt(data, issue.path) } as unknown as z.core.$ZodRawIssue)
  const text = typeof ru === 'string' ? ru : ru?.message
  return { en: issue.message, ru: text ?? issue.message }
}

/** Zod issues as the `errors` of a problem: a dotted path and a sentence in every language. */
export function fieldErrors(error: z.ZodError, data?: unknown): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issueText(issue, data),
  }))
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
        const part = requestPart(result.target)
        const errors = fieldErrors(result.error, (result as { data?: unknown }).data)
        const first = errors[0]
        const detail = first ? say.invalidField(part, first.path, first.message) : say.invalidPart(part)
        throw new ApiError('validation_failed', detail, { errors })
      }
    },
  })
}
