import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { authenticate } from './lib/auth.ts'
import { clientAddress } from './lib/client-address.ts'
import { systemClock } from './lib/clock.ts'
import { compressAnswers } from './lib/compress.ts'
import type { AppDeps, AppEnv } from './lib/context.ts'
import { constraintConflict, isDatabaseUnavailable, isStorageFull } from './lib/database-errors.ts'
import { ApiError, type ErrorCode, problem, problemResponse } from './lib/errors.ts'
import { type Language, requestLanguage } from './lib/language.ts'
import { field, say } from './lib/messages.ts'
import { publicCache } from './lib/public-cache.ts'
import { rejectNul } from './lib/reject-nul.ts'
import { refuseWritesWhenFull, storageFullError } from './lib/storage-guard.ts'
import { areas } from './routes/areas.ts'
import { auth } from './routes/auth.ts'
import { bookings } from './routes/bookings.ts'
import { calendar, calendarCached } from './routes/calendar.ts'
import { categories } from './routes/categories.ts'
import { closures } from './routes/closures.ts'
import { departments } from './routes/departments.ts'
import { documents, isDocumentUpload, limitDocumentUpload } from './routes/documents.ts'
import { availabilityCached, facilities, facilitiesCached } from './routes/facilities.ts'
import { feedback } from './routes/feedback.ts'
import { feeds, feedsCached } from './routes/feeds.ts'
import { freeTime } from './routes/free-time.ts'
import { health } from './routes/health.ts'
import { holidays } from './routes/holidays.ts'
import { me } from './routes/me.ts'
import { openData, openDataCached } from './routes/open-data.ts'
import { pilots } from './routes/pilots.ts'
import { places } from './routes/places.ts'
import { reports } from './routes/reports.ts'
import { results } from './routes/results.ts'
import { reviewQueueRoutes } from './routes/review-queue.ts'
import { reviews } from './routes/reviews.ts'
import { series } from './routes/series.ts'
import { users } from './routes/users.ts'

/**
 * What pages may load: only this site's scripts, styles inline (FullCalendar injects its CSS),
 * images also from https map tiles; no framing.
 */
const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'https:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** Largest request body the API reads: 1 MiB, as docs/api.md sets. */
export const maxBodyBytes = 1024 * 1024

const codeForStatus: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

/** The language of a request's answer; English when the request is too broken to say. */
function answerLanguage(c: Context): Language {
  try {
    return requestLanguage(c)
  } catch {
    return 'en'
  }
}

function renderError(error: Error, c: Context<AppEnv>): Response {
  const id = c.get('requestId')
  const language = answerLanguage(c)
  if (error instanceof ApiError) {
    if (error.status >= 500) console.error(`[${id}] ${error.code}:`, error.cause ?? error.message)
    return problemResponse(
      c,
      problem(error.code, error.detail, language, error.errors),
      language,
      error.headers,
    )
  }
  if (error instanceof HTTPException) {
    const code = codeForStatus[error.status]
    if (code) return problemResponse(c, problem(code, say.cannotHandle(error.message), language), language)
  }
  const conflict = constraintConflict(error)
  if (conflict) return renderError(conflict, c)
  if (isStorageFull(error)) return renderError(storageFullError(error), c)
  if (isDatabaseUnavailable(error)) {
    console.error(`[${id}] database unavailable:`, error.message)
    return problemResponse(
      c,
      { ...problem('service_unavailable', say.databaseUnreachable, language), requestId: id },
      language,
      { 'retry-after': '5' },
    )
  }
  // Anything else is our fault: log it whole, tell the client nothing about the internals.
  console.error(`[${id}] unhandled error:`, error)
  return problemResponse(
    c,
    { ...problem('internal_error', say.internalError, language), requestId: id },
    language,
  )
}

/**
 * Every body the API takes is JSON: a body of another type is a 415 and a body that does not
 * parse is a 400, before any route sees it. Hono caches the parsed body for the validators.
 */
async function requireJsonBodies(c: Context<AppEnv>, next: () => Promise<void>) {
  const method = c.req.method
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && c.req.raw.body !== null) {
    const type = c.req.header('content-type')
    if (type !== undefined && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new ApiError('unsupported_media_type', say.notJson(type.split(';')[0] ?? type))
    }
    const text = await c.req.text()
    if (text.trim() !== '') {
      try {
        JSON.parse(text)
      } catch {
        throw new ApiError('validation_failed', say.malformedJson, {
          errors: [{ path: '(body)', message: field.notWellFormedJson }],
        })
      }
      if (type === undefined) {
        throw new ApiError('unsupported_media_type', say.jsonWithoutType)
      }
    }
  }
  await next()
}

/**
 * Mounts every resource's routes under /api. One chain, not one statement per mount: the chain's
 * type carries every route's request and response types, which the web app's client reads.
 */
function mountRoutes(app: OpenAPIHono<AppEnv>) {
  return app
    .route('/api', health)
    .route('/api', auth)
    .route('/api', me)
    .route('/api', departments)
    .route('/api', holidays)
    .route('/api', users)
    .route('/api', categories)
    .route('/api', areas)
    .route('/api', facilities)
    .route('/api', closures)
    .route('/api', freeTime)
    .route('/api', pilots)
    .route('/api', places)
    .route('/api', results)
    .route('/api', feedback)
    .route('/api', bookings)
    .route('/api', series)
    .route('/api', documents)
    .route('/api', reviews)
    .route('/api', reviewQueueRoutes)
    .route('/api', calendar)
    .route('/api', feeds)
    .route('/api', openData)
    .route('/api', reports)
}

/**
 * Every route's request and response types, for Hono's typed client in the web app.
 *
 * @example
 * import type { AppType } from '../../api/app.ts'
 * const client = hc<AppType>('/')
 * const res = await client.api.facilities[':id'].$get({ param: { id } })
 */
export type AppType = ReturnType<typeof mountRoutes>

/**
 * Builds the whole HTTP API. Both entries call it: `api/server.ts` on Node and `api/worker.ts`
 * on Workers; tests call it with a database of their own and a fixed clock.
 *
 * @example
 * const app = createApp({ config, database: sharedDatabase(connection) })
 * const res = await app.request('/api/health')
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>()
  const now = deps.now ?? systemClock

  app.use('*', requestId())
  app.use('*', secureHeaders({ contentSecurityPolicy }))
  if (deps.config.corsOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: deps.config.corsOrigins,
        credentials: true,
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
        exposeHeaders: ['Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    )
  }
  app.onError(renderError)
  app.notFound((c) => {
    const language = answerLanguage(c)
    return problemResponse(
      c,
      problem('not_found', say.nothingAt(c.req.method, c.req.path), language),
      language,
    )
  })

  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new ApiError('payload_too_large', say.bodyTooLarge)
    },
  })
  // Only requests that may carry a body: bodyLimit builds a new Request for every request it sees.
  app.use('/api/*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    return isDocumentUpload(c) ? limitDocumentUpload(c, next) : limitBody(c, next)
  })
  // A document upload is multipart, read within its own 10 MiB limit by its route.
  app.use('/api/*', (c, next) => (isDocumentUpload(c) ? next() : requireJsonBodies(c, next)))
  app.use('/api/*', (c, next) => (isDocumentUpload(c) ? next() : rejectNul(c, next)))
  if (deps.storage) app.use('/api/*', refuseWritesWhenFull(deps.storage))
  // Every answer sized, large ones gzipped for the clients that accept it (Node; Workers compress by themselves).
  app.use('/api/*', compressAnswers())
  app.use(
    '/api/*',
    publicCache({
      ttlMs: deps.config.publicCacheSeconds * 1000,
      now,
      reads: [calendarCached, availabilityCached, facilitiesCached, ...feedsCached, ...openDataCached],
      changes: deps.changes,
      privateWrites: [
        /^\/api\/auth\//,
        /^\/api\/me(\/|$)/,
        /^\/api\/users(\/|$)/,
        /^\/api\/feeds\/organisation-token$/,
        // A resident's feedback is never public (results are: they go through the whole cache).
        /^\/api\/pilots\/[^/]+\/feedback$/,
      ],
    }),
  )
  app.use('/api/*', async (c, next) => {
    c.set('config', deps.config)
    c.set('now', now)
    c.set('dbKind', deps.database.kind)
    c.set('clientAddress', clientAddress(c, deps))
    const lease = await deps.database.acquire(c.env)
    c.set('db', lease.db)
    try {
      await next()
    } finally {
      const released = lease.release()
      // Workers close the connection after answering; Node's shared pool releases at once.
      // (Hono's executionCtx throws where there is none: asking on Node cost an Error a request.)
      if (lease.releaseAfterResponse) c.executionCtx.waitUntil(released)
      else await released
    }
  })

  app.use('/api/*', authenticate)

  mountRoutes(app)

  app.doc31('/api/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'City Testbed API',
      version: '0.1.0',
      description:
        'Booking, approval and public transparency for urban technology testbeds. ' +
        'Errors are RFC 9457 problem details (application/problem+json) with a stable `code`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }))
  // Swagger UI's files come with the web app (web/vite.config.ts), so the page works offline.
  app.get('/api/docs', (c) =>
    c.html(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>City Testbed API</title>
  <link rel="stylesheet" href="/api-docs/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"><h1>City Testbed API</h1><p>The API is described in <a href="/api/openapi.json">openapi.json</a>.</p></main>
  <script src="/api-docs/swagger-ui-bundle.js"></script>
  <script src="/api-docs/init.js"></script>
</body>
</html>`),
  )

  return app
}

export type App = ReturnType<typeof createApp>
