import { createRoute, z } from '@hono/zod-openapi'
import type { Executor } from '../../db/types.ts'
import { managesDepartment, seesFacility, unpublishedScope } from '../domain/permissions.ts'
import { requireRole, roles } from '../lib/auth.ts'
import type { SessionUser } from '../lib/context.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { ApiError } from '../lib/errors.ts'
import { createRouter } from '../lib/validation.ts'
import { facilityForBooking } from '../queries/bookings.ts'
import { findArea, findFacility, listFacilities } from '../queries/catalogue.ts'
import {
  insertFacility,
  lockFacility,
  missingDepartments,
  updateFacility,
} from '../queries/catalogue-writes.ts'
import { createClosure, listClosures } from '../queries/closures.ts'
import { recordEvent } from '../queries/events.ts'
import {
  Availability,
  AvailabilityQuery,
  Closure,
  ClosureBody,
  ClosureListQuery,
  CreateFacilityBody,
  Facility,
  FacilityListQuery,
  rangeOf,
  UpdateFacilityBody,
} from '../schemas/catalogue.ts'
import { IdParam, jsonBody, page, problemResponses } from '../schemas/common.ts'
import { facilityAvailability, withRoomFor } from '../services/availability.ts'

const staff = roles('official', 'admin')

const listFacilitiesRoute = createRoute({
  method: 'get',
  path: '/facilities',
  tags: ['Catalogue'],
  summary: 'Test sites, searchable by their technical specs',
  description:
    'Published facilities in published areas, by name (officials also see their department’s drafts, admins every ' +
    'draft). Every filter given must hold: area, accepted category, kind, words in name or description, minimum ' +
    'power, load and height, indoor or outdoor, and connectivity.',
  request: { query: FacilityListQuery },
  responses: {
    200: { description: 'A page of facilities', content: { 'application/json': { schema: page(Facility) } } },
    ...problemResponses(400),
  },
})

const getFacilityRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}',
  tags: ['Catalogue'],
  summary: 'One facility with its specs and booking rules',
  request: { params: IdParam },
  responses: {
    200: { description: 'The facility', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 404),
  },
})

const availabilityRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}/availability',
  tags: ['Catalogue'],
  summary: 'Free and busy time of a facility (at most a year at once)',
  description:
    'Free spans are where a booking may start and end, with capacity, setup and teardown, opening hours, closures, ' +
    'lead time and horizon allowed for. Busy spans say why the rest is not free; visitors see no pilot details.',
  request: { params: IdParam, query: AvailabilityQuery },
  responses: {
    200: { description: 'Free and busy spans', content: { 'application/json': { schema: Availability } } },
    ...problemResponses(400, 404),
  },
})

const createFacilityRoute = createRoute({
  method: 'post',
  path: '/facilities',
  tags: ['Catalogue'],
  summary: 'Create a facility (admin, or an official of the area’s department)',
  middleware: staff,
  request: { body: jsonBody(CreateFacilityBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 401, 403),
  },
})

const updateFacilityRoute = createRoute({
  method: 'patch',
  path: '/facilities/{id}',
  tags: ['Catalogue'],
  summary:
    'Change a facility: specs, rules, opening hours, sign-offs (admin, or an official of its department)',
  middleware: staff,
  request: { params: IdParam, body: jsonBody(UpdateFacilityBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: Facility } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

const listClosuresRoute = createRoute({
  method: 'get',
  path: '/facilities/{id}/closures',
  tags: ['Catalogue'],
  summary: 'Closures of a facility, its own and its area’s, with their public reasons',
  request: { params: IdParam, query: ClosureListQuery },
  responses: {
    200: {
      description: 'Closures, by start',
      content: {
        'application/json': { schema: z.object({ items: z.array(Closure), nextCursor: z.null() }) },
      },
    },
    ...problemResponses(400, 404),
  },
})

const createClosureRoute = createRoute({
  method: 'post',
  path: '/facilities/{id}/closures',
  tags: ['Catalogue'],
  summary: 'Close a facility for a period (admin, or an official of its department)',
  middleware: staff,
  request: { params: IdParam, body: jsonBody(ClosureBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Closure } } },
    ...problemResponses(400, 401, 403, 404),
  },
})

function invalid(path: string, message: string): ApiError {
  return new ApiError('validation_failed', `${path} ${message}.`, { errors: [{ path, message }] })
}

async function assertDepartments(db: Executor, departmentId: string, signoffIds: readonly string[]) {
  if ((await missingDepartments(db, [departmentId])).length > 0)
    throw invalid('departmentId', 'names no department')
  const missing = await missingDepartments(db, signoffIds)
  if (missing.length > 0) throw invalid('signoffDepartmentIds', `name no department: ${missing.join(', ')}`)
}

function assertDurations(min: number, max: number) {
  if (max < min) throw invalid('rules.maxDurationMinutes', 'must not be less than minDurationMinutes')
}

/** An official may manage a facility of their department placed in an area of their department. */
function assertManages(user: SessionUser, facilityDepartmentId: string, areaDepartmentId: string) {
  if (!managesDepartment(user, facilityDepartmentId)) {
    throw new ApiError('forbidden', 'Only officials of the managing department may do this.')
  }
  if (
    facilityDepartmentId !== areaDepartmentId &&
    !managesDepartment(user, areaDepartmentId) &&
    user.role !== 'admin'
  ) {
    throw new ApiError('forbidden', 'Only officials of the area’s department may place facilities in it.')
  }
}

function invalidRange(from: string, to: string): ApiError {
  return new ApiError('validation_failed', `${to} must be after ${from} and at most a year later.`, {
    errors: [{ path: to, message: `must be after ${from} and at most a year later` }],
  })
}

export const facilities = createRouter()
  .openapi(listFacilitiesRoute, async (c) => {
    const query = c.req.valid('query')
    const scope = unpublishedScope(c.get('user'))
    if (query.availableFrom === undefined && query.availableTo === undefined) {
      return c.json(await listFacilities(c.get('db'), query, scope), 200)
    }
    if (!query.availableFrom || !query.availableTo) {
      throw new ApiError('validation_failed', 'Give availableFrom and availableTo together.', {
        errors: [
          {
            path: query.availableFrom ? 'availableTo' : 'availableFrom',
            message: 'is required with the other',
          },
        ],
      })
    }
    const span = rangeOf(query.availableFrom, query.availableTo, c.get('now')())
    if (!span.valid) throw invalidRange('availableFrom', 'availableTo')
    // Room is computed per facility, so the matching catalogue is filtered first and paged after.
    const { items: candidates } = await listFacilities(
      c.get('db'),
      { ...query, cursor: undefined, limit: 2000 },
      scope,
    )
    const available = await withRoomFor(c.get('db'), candidates, span, {
      now: c.get('now')().getTime(),
      timeZone: c.get('config').cityTimeZone,
    })
    const after = query.cursor ? decodeCursor(query.cursor) : undefined
    const from = after ? available.findIndex((f) => f.id === after.id) + 1 : 0
    const { rows, nextCursor } = paginate(available.slice(from), query.limit, (f) => f.name)
    return c.json({ items: rows, nextCursor }, 200)
  })
  .openapi(availabilityRoute, async (c) => {
    const { id } = c.req.valid('param')
    const query = c.req.valid('query')
    // One read of the facility serves both the visibility check and the rules.
    const facility = await facilityForBooking(c.get('db'), id, { lock: false })
    if (!facility || !seesFacility(unpublishedScope(c.get('user')), facility)) {
      throw new ApiError('not_found', 'No facility with this id.')
    }
    const range = rangeOf(query.from, query.to, c.get('now')())
    if (!range.valid) throw invalidRange('from', 'to')
    const { free, busy } = await facilityAvailability(c.get('db'), facility, range, {
      now: c.get('now')().getTime(),
      timeZone: c.get('config').cityTimeZone,
    })
    const iso = (t: number) => new Date(t).toISOString()
    return c.json(
      {
        free: free.map((f) => ({ start: iso(f.start), end: iso(f.end) })),
        busy: busy.map((b) => ({
          start: iso(b.start),
          end: iso(b.end),
          kind: b.kind,
          ...(b.reason ? { reason: b.reason } : {}),
        })),
      },
      200,
    )
  })
  .openapi(getFacilityRoute, async (c) => {
    const facility = await findFacility(c.get('db'), c.req.valid('param').id, unpublishedScope(c.get('user')))
    if (!facility) throw new ApiError('not_found', 'No facility with this id.')
    return c.json(facility, 200)
  })
  .openapi(createFacilityRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const body = c.req.valid('json')
    const db = c.get('db')
    const area = await findArea(db, body.areaId, unpublishedScope(user))
    if (!area) throw invalid('areaId', 'names no area you can see')
    const departmentId = body.departmentId ?? area.departmentId
    assertManages(user, departmentId, area.departmentId)
    const signoffDepartmentIds = [...new Set(body.signoffDepartmentIds ?? [])].filter(
      (d) => d !== departmentId,
    )
    await assertDepartments(db, departmentId, signoffDepartmentIds)
    assertDurations(body.rules?.minDurationMinutes ?? 60, body.rules?.maxDurationMinutes ?? 525_600)
    const now = c.get('now')()
    const facility = await db.transaction().execute(async (tx) => {
      const id = await insertFacility(tx, { ...body, departmentId, signoffDepartmentIds }, now)
      const created = await findFacility(tx, id, { kind: 'all' })
      await recordEvent(
        tx,
        {
          actorId: user.id,
          action: 'facility.created',
          subjectType: 'facility',
          subjectId: id,
          after: created,
        },
        now,
      )
      return created
    })
    return c.json(facility as Facility, 201)
  })
  .openapi(updateFacilityRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const now = c.get('now')()
    const facility = await c
      .get('db')
      .transaction()
      .execute(async (tx) => {
        const row = await lockFacility(tx, id)
        const visible = row && (row.published || managesDepartment(user, row.department_id))
        if (!row || !visible) throw new ApiError('not_found', 'No facility with this id.')
        assertManages(user, row.department_id, row.area_department_id)
        const departmentId = body.departmentId ?? row.department_id
        if (departmentId !== row.department_id && user.role !== 'admin') {
          throw new ApiError('forbidden', 'Only an admin may hand a facility to another department.')
        }
        if (body.version !== undefined && body.version !== row.version) {
          throw new ApiError(
            'version_conflict',
            `The facility was changed since you read it (version ${row.version}, yours ${body.version}); reload and try again.`,
          )
        }
        const signoffDepartmentIds = body.signoffDepartmentIds
          ? [...new Set(body.signoffDepartmentIds)].filter((d) => d !== departmentId)
          : undefined
        await assertDepartments(tx, departmentId, signoffDepartmentIds ?? [])
        assertDurations(
          body.rules?.minDurationMinutes ?? row.min_duration_minutes,
          body.rules?.maxDurationMinutes ?? row.max_duration_minutes,
        )
        const before = await findFacility(tx, id, { kind: 'all' })
        await updateFacility(tx, id, { ...body, signoffDepartmentIds }, now)
        const after = await findFacility(tx, id, { kind: 'all' })
        await recordEvent(
          tx,
          {
            actorId: user.id,
            action: 'facility.updated',
            subjectType: 'facility',
            subjectId: id,
            before,
            after,
          },
          now,
        )
        return after
      })
    return c.json(facility as Facility, 200)
  })
  .openapi(listClosuresRoute, async (c) => {
    const { id } = c.req.valid('param')
    const facility = await findFacility(c.get('db'), id, unpublishedScope(c.get('user')))
    if (!facility) throw new ApiError('not_found', 'No facility with this id.')
    const items = await listClosures(
      c.get('db'),
      { facilityId: id, areaId: facility.areaId },
      c.req.valid('query'),
    )
    return c.json({ items, nextCursor: null }, 200)
  })
  .openapi(createClosureRoute, async (c) => {
    const user = requireRole(c, 'official', 'admin')
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const facility = await findFacility(c.get('db'), id, unpublishedScope(user))
    if (!facility) throw new ApiError('not_found', 'No facility with this id.')
    if (!managesDepartment(user, facility.departmentId)) {
      throw new ApiError('forbidden', 'Only officials of the managing department may close this facility.')
    }
    const now = c.get('now')()
    const closure = await createClosure(c.get('db'), { ...body, facilityId: id, createdBy: user.id }, now)
    return c.json(closure, 201)
  })
