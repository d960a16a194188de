import { z } from '@hono/zod-openapi'
import { documentKinds } from '../domain/vocabulary.ts'
import { field, schemaText } from '../lib/messages.ts'
import { Id, Problem } from './common.ts'

export const DocumentKind = z.enum(documentKinds).openapi({ example: 'insurance' })

const calendarDate = /^\d{4}-\d{2}-\d{2}$/

/** A real calendar date (not 2027-02-30). */
function isRealDate(value: string): boolean {
  const at = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value
}

/** The text fields of an upload; the file itself is checked by its bytes (api/domain/file-types.ts). */
export const DocumentFields = z
  .object({
    kind: DocumentKind,
    title: z
      .string()
      .trim()
      .min(1, schemaText(field.notEmpty))
      .max(200, schemaText(field.atMostCharacters(200)))
      .refine((v) => !v.includes('\0'), schemaText(field.nul)),
    validUntil: z
      .string()
      .regex(calendarDate, schemaText(field.isoDate))
      .refine(isRealDate, schemaText(field.realDate))
      .optional(),
  })
  .refine((f) => f.validUntil !== undefined || f.kind === 'other', {
    message: schemaText(field.requiredUnlessOther),
    path: ['validUntil'],
  })

export type DocumentFields = z.infer<typeof DocumentFields>

export const DocumentInfo = z
  .object({
    id: Id,
    pilotId: Id,
    kind: DocumentKind,
    title: z.string(),
    validUntil: z
      .string()
      .nullable()
      .openapi({ example: '2027-12-31', description: 'Null only for `other`' }),
    fileName: z.string().openapi({ example: 'insurance-2027.pdf' }),
    size: z.number().int().openapi({ description: 'Bytes' }),
    contentType: z.enum(['application/pdf', 'image/png', 'image/jpeg']),
    sha256: z.string().openapi({ description: 'Lower-case hex SHA-256 of the stored file' }),
    uploadedAt: z.string().openapi({ example: '2027-03-01T09:00:00.000Z' }),
  })
  .openapi('Document')

export type DocumentInfo = z.infer<typeof DocumentInfo>

/** The multipart form of `POST /pilots/{id}/documents`, for the OpenAPI document. */
export const DocumentUploadForm = z.object({
  kind: DocumentKind,
  title: z.string().max(200),
  validUntil: z
    .string()
    .optional()
    .openapi({ example: '2027-12-31', description: 'Required unless kind is other' }),
  file: z
    .string()
    .openapi({ type: 'string', format: 'binary', description: 'PDF, PNG or JPEG, at most 10 MiB' }),
})

/** 413 and 415 answers of an upload, for the OpenAPI document. */
export const uploadProblems = {
  413: {
    description: 'The file is over 10 MiB (`payload_too_large`)',
    content: { 'application/problem+json': { schema: Problem } },
  },
  415: {
    description: 'Not multipart/form-data, or the file is not a PDF, PNG or JPEG by its content',
    content: { 'application/problem+json': { schema: Problem } },
  },
}
