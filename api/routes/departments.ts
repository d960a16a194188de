import { createRoute, z } from '@hono/zod-openapi'
import { roles } from '../lib/auth.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { createRouter } from '../lib/validation.ts'
import { DepartmentDetail as Department, DepartmentBody, UpdateDepartmentBody } from '../schemas/accounts.ts'
import { IdParam, jsonBody, problemResponses } from '../schemas/common.ts'
import {
  changeDepartment,
  createDepartment,
  findDepartmentDetail,
  listDepartments,
} from '../services/departments.ts'

const listRoute = createRoute({
  method: 'get',
  path: '/departments',
  tags: ['Departments'],
  summary: 'City departments',
  responses: {
    200: {
      description: 'Every department, by name',
      content: {
        'application/json': { schema: z.object({ items: z.array(Department), nextCursor: z.null() }) },
      },
    },
  },
})

const getRoute = createRoute({
  method: 'get',
  path: '/departments/{id}',
  tags: ['Departments'],
  summary: 'One department',
  request: { params: IdParam },
  responses: {
    200: { description: 'The department', content: { 'application/json': { schema: Department } } },
    ...problemResponses(400, 404),
  },
})

const createDepartmentRoute = createRoute({
  method: 'post',
  path: '/departments',
  tags: ['Departments'],
  summary: 'Create a department (admin)',
  middleware: roles('admin'),
  request: { body: jsonBody(DepartmentBody) },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: Department } } },
    ...problemResponses(400, 401, 403, 409),
  },
})

const renameRoute = createRoute({
  method: 'patch',
  path: '/departments/{id}',
  tags: ['Departments'],
  summary: 'Rename a department or change its review period (admin)',
  description:
    'reviewPeriodDays: the working days (1–60) its officials have to decide a request; ' +
    'the deadlines of requests waiting (GET /api/review-queue, decideBy) follow at once.',
  middleware: roles('admin'),
  request: { params: IdParam, body: jsonBody(UpdateDepartmentBody) },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: Department } } },
    ...problemResponses(400, 401, 403, 404, 409),
  },
})

export const departments = createRouter()
  .openapi(listRoute, async (c) =>
    c.json({ items: await listDepartments(c.get('db')), nextCursor: null }, 200),
  )
  .openapi(getRoute, async (c) => {
    const department = await findDepartmentDetail(c.get('db'), c.req.valid('param').id)
    if (!department) throw new ApiError('not_found', say.noDepartment)
    return c.json(department, 200)
  })
  .openapi(createDepartmentRoute, async (c) => {
    const department = await createDepartment(
      c.get('db'),
      c.get('user')?.id ?? null,
      c.req.valid('json'),
      c.get('now')(),
    )
    return c.json(department, 201)
  })
  .openapi(renameRoute, async (c) => {
    const { id } = c.req.valid('param')
    const department = await changeDepartment(
      c.get('db'),
      c.get('user')?.id ?? null,
      id,
      c.req.valid('json'),
      c.get('now')(),
    )
    return c.json(department, 200)
  })
