import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Language } from './language.ts'
import { type Localized, problemTitles } from './messages.ts'

/** Every stable error code a client may see, with the HTTP status it travels with. */
export const errorStatus = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  capacity_exceeded: 409,
  invalid_state: 409,
  version_conflict: 409,
  conflict: 409,
  email_taken: 409,
  payload_too_large: 413,
  file_missing: 410,
  unsupported_media_type: 415,
  lead_time: 422,
  horizon: 422,
  duration: 422,
  outside_opening_hours: 422,
  in_closure: 422,
  category_not_accepted: 422,
  not_published: 422,
  missing_document: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  storage_full: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

/**
 * One invalid field as a client reads it: a JSON-pointer-like path and a sentence; for an
 * occurrence of a series that cannot be booked, also the rule's code and the occurrence's times.
 */
export interface FieldError {
  path: string
  message: string
  code?: ErrorCode | undefined
  start?: string | undefined
  end?: string | undefined
}

/** A {@link FieldError} before it is rendered: its sentence in every language (api/lib/messages.ts). */
export interface FieldIssue extends Omit<FieldError, 'message'> {
  message: Localized
}

/** RFC 9457 problem details, as every error response carries them. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: ErrorCode
  errors?: FieldError[]
  requestId?: string
}

/**
 * The one error type of the API: thrown anywhere, rendered as problem+json by `onError` in the
 * language the request asks for. Its texts come from the catalogue, never written in place.
 *
 * @example
 * throw new ApiError('not_found', say.noFacility)
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode
  readonly detail: Localized
  readonly errors: FieldIssue[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor(
    code: ErrorCode,
    detail: Localized,
    options: { errors?: FieldIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(errorStatus[code], { message: detail.en, cause: options.cause })
    this.code = code
    this.detail = detail
    this.errors = options.errors
    this.headers = options.headers
  }
}

/** Builds the problem body for a code, in one language. */
export function problem(
  code: ErrorCode,
  detail: Localized,
  language: Language,
  errors?: readonly FieldIssue[],
): Problem {
  return {
    type: `urn:city-testbed:problem:${code}`,
    title: problemTitles[code][language],
    status: errorStatus[code],
    detail: detail[language],
    code,
    ...(errors && errors.length > 0
      ? { errors: errors.map((e) => ({ ...e, message: e.message[language] })) }
      : {}),
  }
}

/**
 * A problem+json response through the context, so that headers set earlier in the request
 * (request id, security headers) are kept; `Content-Language` says which language it speaks.
 */
export function problemResponse(
  c: Context,
  body: Problem,
  language: Language,
  headers: Record<string, string> = {},
): Response {
  return c.newResponse(JSON.stringify(body), body.status as ContentfulStatusCode, {
    ...headers,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-language': language,
  })
}
