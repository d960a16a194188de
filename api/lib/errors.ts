import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

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
  unsupported_media_type: 415,
  lead_time: 422,
  horizon: 422,
  duration: 422,
  outside_opening_hours: 422,
  in_closure: 422,
  category_not_accepted: 422,
  not_published: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

const titles: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  capacity_exceeded: 'The facility is fully booked then',
  invalid_state: 'Not possible in the current state',
  version_conflict: 'Changed by someone else',
  conflict: 'Conflicts with existing data',
  email_taken: 'E-mail address already registered',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  lead_time: 'Too little notice',
  horizon: 'Too far ahead',
  duration: 'Duration not allowed',
  outside_opening_hours: 'Outside opening hours',
  in_closure: 'The facility is closed then',
  category_not_accepted: 'Category not accepted here',
  not_published: 'Not open for bookings',
  idempotency_mismatch: 'Idempotency key reused with a different request',
  rate_limited: 'Too many attempts',
  internal_error: 'Internal error',
  service_unavailable: 'Service unavailable',
}

/** One invalid field: a JSON-pointer-like path and a sentence. */
export interface FieldError {
  path: string
  message: string
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
 * The one error type of the API: thrown anywhere, rendered as problem+json by `onError`.
 *
 * @example
 * throw new ApiError('not_found', 'No facility with this id.')
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode
  readonly detail: string
  readonly errors: FieldError[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor(
    code: ErrorCode,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(errorStatus[code], { message: detail, cause: options.cause })
    this.code = code
    this.detail = detail
    this.errors = options.errors
    this.headers = options.headers
  }
}

/** Builds the problem body for a code. */
export function problem(code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `urn:city-testbed:problem:${code}`,
    title: titles[code],
    status: errorStatus[code],
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  }
}

/**
 * A problem+json response through the context, so that headers set earlier in the request
 * (request id, security headers) are kept.
 */
export function problemResponse(c: Context, body: Problem, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), body.status as ContentfulStatusCode, {
    ...headers,
    'content-type': 'application/problem+json; charset=utf-8',
  })
}
