import { type ClientResponse, hc, type InferResponseType } from 'hono/client'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import type { AppType } from '../../api/app.ts'
import { lang } from './i18n.ts'
import { store } from './store.ts'

/**
 * The API, typed by its routes: paths, parameters, bodies and answers all come from the server's
 * zod schemas, so a changed answer fails the web's type-check. Only types cross from api/. Every
 * request says the interface's language, so that the server's messages come in it.
 *
 * @example
 * const facilities = await call(client.api.facilities.$get({ query: { limit: '500' } }))
 */
export const client = hc<AppType>('/', {
  init: { credentials: 'same-origin' },
  headers: () => ({ 'Accept-Language': lang.value }),
})

/** A problem+json answer from the API, with its sentence and the fields it names. */
export class ApiProblem extends Error {
  readonly status: number
  readonly code: string
  readonly errors: { path: string; message: string }[]

  constructor(
    status: number,
    body: { detail?: string; code?: string; errors?: { path: string; message: string }[] },
  ) {
    super(body.detail ?? `HTTP ${status}`)
    this.status = status
    this.code = body.code ?? 'error'
    this.errors = body.errors ?? []
  }
}

/** What a successful answer carries: the JSON of its 2xx responses, nothing for one without a body. */
type Success<R> =
  R extends ClientResponse<infer Body, infer Status, infer Format>
    ? Status extends SuccessStatusCode
      ? Format extends 'json'
        ? Body
        : undefined
      : never
    : never

/**
 * Awaits a call of the typed client: the answer's JSON when it succeeded, `undefined` for a
 * 204, an {@link ApiProblem} thrown when it did not.
 *
 * @example
 * const pilot = await call(client.api.pilots[':id'].$get({ param: { id } }))
 */
export async function call<R extends { ok: boolean; status: number; json(): Promise<unknown> }>(
  request: Promise<R>,
): Promise<Success<R>> {
  const res = await request
  if (res.status === 204) return undefined as Success<R>
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new ApiProblem(res.status, body as ConstructorParameters<typeof ApiProblem>[1])
  return body as Success<R>
}

export type Me = NonNullable<InferResponseType<typeof client.api.auth.session.$get, 200>['user']>

/** The signed-in user, or null for a visitor; undefined until known. */
export const me = store<Me | null | undefined>(undefined)

export async function loadMe() {
  try {
    me.value = (await call(client.api.auth.session.$get())).user
  } catch {
    me.value = null
  }
}

/** The city's time zone, in which every date is shown and typed. */
export const cityTimeZone = store<string>('Europe/Moscow')

export async function loadSettings() {
  const settings = await call(client.api.settings.$get())
  cityTimeZone.value = settings.cityTimeZone
}

export type Booking = InferResponseType<(typeof client.api.bookings)[':id']['$get'], 200>
export type BookingState = Booking['state']
export type Pilot = InferResponseType<(typeof client.api.pilots)[':id']['$get'], 200>
export type Facility = InferResponseType<(typeof client.api.facilities)[':id']['$get'], 200>
export type Area = InferResponseType<(typeof client.api.areas)[':id']['$get'], 200>
