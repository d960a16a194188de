import { createRoute, z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import {
  contentDisposition,
  downloadName,
  maxDocumentBytes,
  multipartOverheadBytes,
  sanitiseFileName,
} from '../domain/file-types.ts'
import { requireUser } from '../lib/auth.ts'
import type { AppEnv } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { field, requestPart, say } from '../lib/messages.ts'
import { createRouter, fieldErrors } from '../lib/validation.ts'
import { IdParam, page, problemResponses } from '../schemas/common.ts'
import { DocumentFields, DocumentInfo, DocumentUploadForm, uploadProblems } from '../schemas/documents.ts'
import {
  deleteDocument,
  documentFile,
  pilotDocuments,
  type Upload,
  uploadDocument,
} from '../services/documents.ts'
import { documentStoreFor } from '../storage/index.ts'

/** Largest upload body read: the file's 10 MiB and room for the form around it. */
export const maxUploadBodyBytes = maxDocumentBytes + multipartOverheadBytes

const uploadPath = /^\/api\/pilots\/[^/]+\/documents\/?$/

/** True for a document upload, which the app's 1 MiB JSON-only body rules leave to {@link limitDocumentUpload}. */
export function isDocumentUpload(c: Context): boolean {
  return c.req.method === 'POST' && uploadPath.test(c.req.path)
}

/** Requests whose body went over the limit while it was read. */
const overLimit = new WeakSet<Request>()

/**
 * The body rules of an upload, in place of the app's: multipart/form-data (else 415), a declared
 * Content-Length over the limit refused before anything is read (413), and a body without one
 * counted as it streams, so that reading stops at the limit: a 2 GB body is never held.
 */
export const limitDocumentUpload: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError('unsupported_media_type', say.documentNotMultipart)
  }
  const declared = Number(c.req.header('content-length') ?? 0)
  if (declared > maxUploadBodyBytes) throw new ApiError('payload_too_large', say.documentTooLarge)
  const body = c.req.raw.body
  if (body) {
    // Pulled chunk by chunk (not piped), so that reading stops where the limit is passed.
    const reader = body.getReader()
    let seen = 0
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) return controller.close()
        seen += value.byteLength
        if (seen <= maxUploadBodyBytes) return controller.enqueue(value)
        overLimit.add(request)
        controller.error(new Error('upload over the limit'))
        await reader.cancel()
      },
      cancel: (reason) => reader.cancel(reason),
    })
    const request: Request = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit)
    c.req.raw = request
  }
  await next()
}

/** The multipart form of an upload: its text fields checked, its file's bytes and sanitised name. */
async function readUpload(c: Context<AppEnv>): Promise<Upload> {
  const form = await c.req.raw.formData().catch(() => {
    if (overLimit.has(c.req.raw)) throw new ApiError('payload_too_large', say.documentTooLarge)
    throw new ApiError('unsupported_media_type', say.documentNotMultipart)
  })
  const file = form.get('file')
  if (!(file instanceof File)) {
    throw new ApiError('validation_failed', say.documentFileMissing, {
      errors: [{ path: 'file', message: field.isRequired }],
    })
  }
  if (file.size > maxDocumentBytes) throw new ApiError('payload_too_large', say.documentTooLarge)
  const text = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const input = { kind: text('kind'), title: text('title') ?? '', validUntil: text('validUntil') }
  const fields = DocumentFields.safeParse(input)
  if (!fields.success) {
    const errors = fieldErrors(fields.error, input)
    const first = errors[0]
    const detail = first
      ? say.invalidField(requestPart('form'), first.path, first.message)
      : say.invalidPart(requestPart('form'))
    throw new ApiError('validation_failed', detail, { errors })
  }
  return {
    fields: fields.data,
    fileName: sanitiseFileName(file.name),
    bytes: new Uint8Array(await file.arrayBuffer()),
  }
}

const uploadRoute = createRoute({
  method: 'post',
  path: '/pilots/{id}/documents',
  tags: ['Documents'],
  summary: "Upload a compliance document (the pilot's organisation)",
  description:
    'multipart/form-data. The type is judged by the file’s content: PDF, PNG or JPEG, else 415; ' +
    'at most 10 MiB, else 413 (a larger body is refused as it streams, never read whole).',
  request: {
    params: IdParam,
    body: { content: { 'multipart/form-data': { schema: DocumentUploadForm } }, required: true },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: DocumentInfo } } },
    ...problemResponses(400, 401, 403, 404),
    ...uploadProblems,
  },
})

const listRoute = createRoute({
  method: 'get',
  path: '/pilots/{id}/documents',
  tags: ['Documents'],
  summary: "A pilot's documents (its organisation, officials of a department on its bookings, admins)",
  request: { params: IdParam },
  responses: {
    200: {
      description: 'Documents, by kind, newest first',
      content: { 'application/json': { schema: page(DocumentInfo) } },
    },
    ...problemResponses(400, 401, 404),
  },
})

const fileRoute = createRoute({
  method: 'get',
  path: '/documents/{id}/file',
  tags: ['Documents'],
  summary: 'Download a document’s file (whoever may read the pilot’s documents)',
  description:
    'The stored bytes with the type found at upload, `X-Content-Type-Options: nosniff` and a ' +
    "`Content-Disposition: attachment` naming the file (RFC 5987 `filename*=UTF-8''…`).",
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The file',
      content: {
        'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...problemResponses(400, 401, 404, 410),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/documents/{id}',
  tags: ['Documents'],
  summary: "Delete a document (the pilot's organisation, or an admin)",
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404) },
})

const router = createRouter()
// The upload's form is read by the handler, within the limit, not by a validator that would buffer it.
router.openAPIRegistry.registerPath(uploadRoute)

export const documents = router
  .openapi(listRoute, async (c) => {
    const user = requireUser(c)
    return c.json(await pilotDocuments(c.get('db'), user, c.req.valid('param').id), 200)
  })
  .openapi(fileRoute, async (c) => {
    const user = requireUser(c)
    const store = documentStoreFor(c.get('config'), c.env)
    const { document, file } = await documentFile(c.get('db'), store, user, c.req.valid('param').id)
    return c.body(file.body, 200, {
      'content-type': document.contentType,
      'content-length': String(file.size),
      'content-disposition': contentDisposition(downloadName(document.fileName, document.contentType)),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    })
  })
  .openapi(deleteRoute, async (c) => {
    const user = requireUser(c)
    const store = documentStoreFor(c.get('config'), c.env)
    await deleteDocument(c.get('db'), store, user, c.req.valid('param').id, c.get('now')())
    return c.body(null, 204)
  })
  .post('/pilots/:id/documents', async (c) => {
    const user = requireUser(c)
    const params = IdParam.safeParse({ id: c.req.param('id') })
    if (!params.success) {
      const errors = fieldErrors(params.error, { id: c.req.param('id') })
      throw new ApiError('validation_failed', say.invalidPart(requestPart('param')), { errors })
    }
    const store = documentStoreFor(c.get('config'), c.env)
    const read = () => readUpload(c)
    const created = await uploadDocument(c.get('db'), store, user, params.data.id, read, c.get('now')())
    return c.json(created, 201)
  })
