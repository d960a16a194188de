import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { roles } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { toCsv } from '../lib/csv.ts'
import { ApiError } from '../lib/errors.ts'
import { requestLanguage } from '../lib/language.ts'
import { field, say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { Instant, problemResponses } from '../schemas/common.ts'
import {
  decisionTimes,
  pilotCounts,
  rejections,
  utilisation,
  utilisationByArea,
} from '../services/reports.ts'

const day = 24 * 3_600_000

const ReportQuery = z.object({
  from: Instant.optional().openapi({
    param: { name: 'from', in: 'query' },
    description: 'Default: 30 days before `to`',
  }),
  to: Instant.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Default: now' }),
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .openapi({
      param: { name: 'format', in: 'query' },
      description:
        "`csv` downloads RFC 4180 CSV; a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (CSV injection)",
    }),
})

function periodOf(c: Context<AppEnv>, query: { from?: string | undefined; to?: string | undefined }) {
  const end = query.to ? Date.parse(query.to) : c.get('now')().getTime()
  const start = query.from ? Date.parse(query.from) : end - 30 * day
  if (start >= end || end - start > 3 * 366 * day) {
    throw new ApiError('validation_failed', say.fieldProblem('to', field.withinThreeYears), {
      errors: [{ path: 'to', message: field.withinThreeYears }],
    })
  }
  return { start, end }
}

/** The request's language, which the answer names things in and says it does. */
function language(c: Context<AppEnv>) {
  const lang = requestLanguage(c)
  c.header('content-language', lang)
  return lang
}

/** The rows as JSON, or as a CSV download with a header row. */
function respond<T extends object>(
  c: Context<AppEnv>,
  name: string,
  period: { start: number; end: number },
  rows: T[],
  format: 'json' | 'csv',
) {
  const from = new Date(period.start).toISOString()
  const to = new Date(period.end).toISOString()
  if (format === 'csv') {
    return c.body(toCsv(rows), 200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${name}-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`,
    })
  }
  return c.json({ from, to, items: rows }, 200)
}

/** A report's answer: the period the query asks for, the rows `rowsOf` gives for it, as JSON or CSV. */
async function report<T extends object>(
  c: Context<AppEnv>,
  query: z.infer<typeof ReportQuery>,
  name: string,
  rowsOf: (period: { start: number; end: number }) => Promise<T[]>,
) {
  const period = periodOf(c, query)
  return respond(c, name, period, await rowsOf(period), query.format)
}

// Generic in the path and the row, so that each report's URL and rows reach the typed web client.
function reportRoute<const P extends string, Row extends z.ZodType>(
  path: P,
  summary: string,
  description: string,
  item: Row,
) {
  return createRoute({
    method: 'get',
    path,
    tags: ['Reports'],
    summary,
    description: `${description} Officials and admins. \`format=csv\` gives the same rows as CSV.`,
    middleware: roles('official', 'admin'),
    request: { query: ReportQuery },
    responses: {
      200: {
        description: 'The report',
        content: {
          'application/json': {
            schema: z.object({ from: z.string(), to: z.string(), items: z.array(item) }),
          },
          'text/csv': { schema: z.string() },
        },
      },
      ...problemResponses(400, 401, 403),
    },
  })
}

const facilityUtilisation = reportRoute(
  '/reports/utilisation/facilities',
  'Utilisation per facility',
  'Booked share of open hours per facility: approved pilot-hours inside the opening windows over open hours × capacity.',
  z.object({
    facilityId: z.string(),
    facilityName: z.string(),
    areaId: z.string(),
    areaName: z.string(),
    capacity: z.number(),
    openHours: z.number(),
    bookedHours: z.number(),
    share: z.number(),
  }),
)
const areaUtilisation = reportRoute(
  '/reports/utilisation/areas',
  'Utilisation per area',
  'The facilities’ utilisation summed per area.',
  z.object({
    areaId: z.string(),
    areaName: z.string(),
    openCapacityHours: z.number(),
    bookedHours: z.number(),
    share: z.number(),
  }),
)
const decisions = reportRoute(
  '/reports/decision-times',
  'Time to decision per department',
  'Median time from a request to each department’s decision, for decisions made in the period: in hours, and in working days (Monday to Friday in the city, public holidays left out, counted after the day of the request).',
  z.object({
    departmentId: z.string(),
    departmentName: z.string(),
    decisions: z.number(),
    medianHours: z.number(),
    medianWorkingDays: z.number(),
  }),
)
const categories = reportRoute(
  '/reports/pilots-by-category',
  'Pilots per technology category',
  'Pilots with an approved booking in the period, per category, with the category’s name in the request’s language.',
  z.object({ id: z.string(), name: z.string().nullable(), pilots: z.number() }),
)
const clusters = reportRoute(
  '/reports/pilots-by-cluster',
  'Pilots per industry cluster',
  'Pilots with an approved booking in the period, per industry cluster of their organisation, with the cluster’s name in the request’s language (`none`, without a cluster, has name null).',
  z.object({ id: z.string(), name: z.string().nullable(), pilots: z.number() }),
)
const rejectionReasons = reportRoute(
  '/reports/rejections',
  'Rejections and their reasons',
  'Every rejection decided in the period, newest first.',
  z.object({
    bookingId: z.string(),
    decidedAt: z.string(),
    department: z.string(),
    pilot: z.string(),
    facility: z.string(),
    reason: z.string(),
  }),
)

export const reports = createRouter()
  .openapi(facilityUtilisation, (c) =>
    report(c, c.req.valid('query'), 'utilisation-facilities', (period) =>
      utilisation(c.get('db'), period, c.get('config').cityTimeZone),
    ),
  )
  .openapi(areaUtilisation, (c) =>
    report(c, c.req.valid('query'), 'utilisation-areas', async (period) =>
      utilisationByArea(await utilisation(c.get('db'), period, c.get('config').cityTimeZone)),
    ),
  )
  .openapi(decisions, (c) =>
    report(c, c.req.valid('query'), 'decision-times', (period) =>
      decisionTimes(c.get('db'), period, c.get('config').cityTimeZone),
    ),
  )
  .openapi(categories, (c) =>
    report(
      c,
      c.req.valid('query'),
      'pilots-by-category',
      async (period) => (await pilotCounts(c.get('db'), period, language(c))).byCategory,
    ),
  )
  .openapi(clusters, (c) =>
    report(
      c,
      c.req.valid('query'),
      'pilots-by-cluster',
      async (period) => (await pilotCounts(c.get('db'), period, language(c))).byCluster,
    ),
  )
  .openapi(rejectionReasons, (c) =>
    report(c, c.req.valid('query'), 'rejections', (period) => rejections(c.get('db'), period)),
  )
