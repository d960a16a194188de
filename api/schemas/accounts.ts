import { z } from '@hono/zod-openapi'
import { maxPasswordLength } from '../domain/password-policy.ts'
import { field, schemaText } from '../lib/messages.ts'
import { Id } from './common.ts'

export const roleValues = ['company', 'official', 'admin'] as const
export const Role = z.enum(roleValues)
export const Language = z.enum(['en', 'ru'])

const Email = z
  .email({ error: schemaText(field.email) })
  .max(254)
  .transform((e) => e.trim().toLowerCase())
  .openapi({ example: 'someone@company.example' })
const Name = z
  .string()
  .trim()
  .min(1, schemaText(field.notEmpty))
  .max(200, schemaText(field.atMostCharacters(200)))
const Website = z.url({ protocol: /^https?$/, error: schemaText(field.httpUrl) }).max(500)
/** Checked for strength by the password policy, after validation. */
const NewPassword = z.string().max(maxPasswordLength).openapi({ minLength: 10, example: 'a long passphrase' })

export const Department = z.object({ id: Id, name: z.string() }).openapi('Department')

/** The longest review period an admin may give a department, in working days. */
export const maxReviewPeriodDays = 60
const ReviewPeriodDays = z
  .number({ error: schemaText(field.number) })
  .int(schemaText(field.wholeNumber(1, maxReviewPeriodDays)))
  .min(1, schemaText(field.wholeNumber(1, maxReviewPeriodDays)))
  .max(maxReviewPeriodDays, schemaText(field.wholeNumber(1, maxReviewPeriodDays)))
  .openapi({
    description: 'Working days a department has to decide a request (1–60, default 10)',
    example: 10,
  })

/** A department as its own list and detail show it: with its review period. */
export const DepartmentDetail = Department.extend({ reviewPeriodDays: z.number().int() }).openapi(
  'DepartmentDetail',
)

export const OrganisationSummary = z
  .object({ id: Id, name: z.string(), clusterId: z.string().nullable() })
  .openapi('OrganisationSummary')

export const Organisation = z
  .object({
    id: Id,
    name: z.string(),
    legalId: z.string().nullable(),
    website: z.string().nullable(),
    clusterId: z.string().nullable(),
    memberCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Organisation')

export const User = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Role,
    language: Language,
    active: z.boolean(),
    organisation: OrganisationSummary.optional(),
    department: Department.optional(),
  })
  .openapi('User')

export const RegisterBody = z
  .object({
    email: Email,
    password: NewPassword,
    name: Name,
    language: Language.optional(),
    organisation: z.object({
      name: Name,
      legalId: z.string().trim().min(1).max(50).optional(),
      website: Website.optional(),
      cluster: z.string().max(50).optional().openapi({ description: 'An id from GET /api/clusters' }),
    }),
  })
  .openapi('RegisterRequest')

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1, schemaText(field.notEmpty)).max(maxPasswordLength) })
  .openapi('LoginRequest')

export const SessionResponse = z.object({ user: User, token: z.string() }).openapi('Session')

export const UpdateMeBody = z
  .object({ name: Name.optional(), language: Language.optional() })
  .openapi('UpdateMeRequest')

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(maxPasswordLength), newPassword: NewPassword })
  .openapi('ChangePasswordRequest')

export const CreateUserBody = z
  .object({
    email: Email,
    password: NewPassword,
    name: Name,
    role: Role,
    language: Language.optional(),
    departmentId: Id.optional().openapi({ description: 'Required for officials' }),
    organisationId: Id.optional().openapi({ description: 'Required for company members' }),
  })
  .openapi('CreateUserRequest')

export const UpdateUserBody = z
  .object({
    name: Name.optional(),
    role: Role.optional(),
    departmentId: Id.nullable().optional(),
    organisationId: Id.nullable().optional(),
    active: z
      .boolean()
      .optional()
      .openapi({ description: 'false deactivates the user and ends their sessions' }),
  })
  .openapi('UpdateUserRequest')

export const UserListQuery = z.object({
  role: Role.optional().openapi({ param: { name: 'role', in: 'query' } }),
  departmentId: Id.optional().openapi({ param: { name: 'departmentId', in: 'query' } }),
  organisationId: Id.optional().openapi({ param: { name: 'organisationId', in: 'query' } }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'q', in: 'query' } }),
})

export const DepartmentBody = z
  .object({ name: Name, reviewPeriodDays: ReviewPeriodDays.optional() })
  .openapi('DepartmentRequest')

export const UpdateDepartmentBody = z
  .object({ name: Name.optional(), reviewPeriodDays: ReviewPeriodDays.optional() })
  .openapi('UpdateDepartmentRequest')

export const ResetPasswordBody = z
  .object({ password: NewPassword })
  .openapi('ResetPasswordRequest', { description: 'The account’s new password, which the admin hands over' })

export const Holiday = z
  .object({
    day: z.string().openapi({ example: '2027-01-07', description: 'A date in the city’s calendar' }),
    name: z.string(),
  })
  .openapi('Holiday')

const HolidayDay = z.iso
  .date({ error: schemaText(field.isoDate) })
  // PostgreSQL has no year 0, and no one plans holidays for antiquity.
  .refine((d) => d >= '1900' && d < '3000', schemaText(field.realDate))
  .openapi({ example: '2027-01-07' })

export const HolidayBody = z.object({ day: HolidayDay, name: Name }).openapi('HolidayRequest')

export const HolidayDayParam = z.object({
  day: HolidayDay.openapi({ param: { name: 'day', in: 'path' } }),
})

export const HolidayListQuery = z.object({
  year: z.coerce
    .number({ error: schemaText(field.number) })
    .int(schemaText(field.wholeNumber(1900, 2999)))
    .min(1900, schemaText(field.wholeNumber(1900, 2999)))
    .max(2999, schemaText(field.wholeNumber(1900, 2999)))
    .optional()
    .openapi({
      param: { name: 'year', in: 'query' },
      description: 'Only that year’s holidays; all when absent',
    }),
})

export type RegisterBody = z.infer<typeof RegisterBody>
export type CreateUserBody = z.infer<typeof CreateUserBody>
export type UpdateUserBody = z.infer<typeof UpdateUserBody>
export type User = z.infer<typeof User>
export type UpdateDepartmentBody = z.infer<typeof UpdateDepartmentBody>
export type DepartmentDetail = z.infer<typeof DepartmentDetail>
export type Holiday = z.infer<typeof Holiday>
export type UpdateMeBody = z.infer<typeof UpdateMeBody>
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>
