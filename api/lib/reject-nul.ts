import type { Context } from 'hono'
import type { AppEnv } from './context.ts'
import { ApiError, type FieldIssue } from './errors.ts'
import { field, type Localized, requestPart, say } from './messages.ts'

/** A problem lists at most this many fields; a body full of NULs needs no longer answer. */
const maxFieldErrors = 20
const message = field.nul

function nulInPath(url: URL): FieldIssue[] {
  // A NUL can only reach the path percent-encoded: the URL parser encodes a raw one.
  return /%00/.test(url.pathname) ? [{ path: '(path)', message }] : []
}

function nulInQuery(url: URL): FieldIssue[] {
  const errors: FieldIssue[] = []
  for (const [name, value] of new URLSearchParams(url.search)) {
    if (name.includes('\0')) errors.push({ path: '(query)', message: field.nulInParameterName })
    else if (value.includes('\0')) errors.push({ path: name, message })
  }
  return errors
}

/** Where a value sits in a JSON body: its key, and the place of what holds it. */
interface Place {
  key: string
  parent: Place | undefined
}

/** The dotted path of a place; only its innermost 32 keys, so an absurdly deep body gets a short answer. */
function dotted(place: Place | undefined): string {
  const keys: string[] = []
  let p = place
  for (; p && keys.length < 32; p = p.parent) keys.push(p.key)
  if (p) keys.push('…')
  return keys.reverse().join('.') || '(body)'
}

/** Every string (and object key) in a parsed JSON value that holds a NUL, by its dotted path. */
export function nulFieldErrors(value: unknown): FieldIssue[] {
  const errors: FieldIssue[] = []
  // Iterative, and the paths are linked rather than copied, so a deeply nested body costs
  // neither the stack nor memory in the square of its depth.
  const pending: [unknown, Place | undefined][] = [[value, undefined]]
  while (pending.length > 0 && errors.length < maxFieldErrors) {
    const [item, place] = pending.pop() as [unknown, Place | undefined]
    if (typeof item === 'string') {
      if (item.includes('\0')) errors.push({ path: dotted(place), message })
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], { key: String(i), parent: place }])
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown]
        if (key.includes('\0')) errors.push({ path: dotted(place), message: field.nulInFieldName })
        else pending.push([child, { key, parent: place }])
      }
    }
  }
  return errors.slice(0, maxFieldErrors)
}

/**
 * PostgreSQL cannot store U+0000 in text, so a NUL anywhere in the path, the query string or a
 * JSON body is refused with 400 before any route reads it, instead of failing in the database as a
 * 500 (or, outside a transaction, after part of the work was written). Mount it after the JSON
 * check, which has read and parsed the body. Headers are not checked: no route stores them.
 *
 * @example
 * app.use('/api/*', requireJsonBodies)
 * app.use('/api/*', rejectNul)
 */
export async function rejectNul(c: Context<AppEnv>, next: () => Promise<void>) {
  const url = new URL(c.req.url)
  const inPath = nulInPath(url)
  if (inPath.length > 0) throw invalid(requestPart('param'), inPath)
  const inQuery = nulInQuery(url)
  if (inQuery.length > 0) throw invalid(requestPart('query'), inQuery)
  const method = c.req.method
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && c.req.raw.body !== null) {
    // The body was read (and cached) by the JSON check. In JSON a NUL can only be written as the
    // escape \u0000, so bodies without one are not parsed a second time.
    const text = await c.req.text()
    if (text.includes('\\u0000')) {
      const inBody = nulFieldErrors(JSON.parse(text))
      if (inBody.length > 0) throw invalid(requestPart('json'), inBody)
    }
  }
  await next()
}

function invalid(where: Localized, errors: FieldIssue[]): ApiError {
  const first = errors[0] as FieldIssue
  const detail = first.path.startsWith('(')
    ? say.partProblem(where, first.message)
    : say.invalidField(where, first.path, first.message)
  return new ApiError('validation_failed', detail, { errors })
}
