/**
 * Compliance documents (issue 19): upload, list, download, delete, and the sweep of stored files
 * that no row points at. The file is stored before its row is written and deleted after its row
 * is gone, so that no crash leaves a row without its file; what a crash leaves is an object
 * without a row, which `sweepOrphanDocuments` deletes once it is an hour old.
 */
import type { Kysely } from 'kysely'
import type { Database, Executor } from '../../db/types.ts'
import { maxDocumentBytes, sniffDocumentType } from '../domain/file-types.ts'
import type { Config } from '../lib/config.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import {
  deleteDocumentRow,
  departmentReviewsPilot,
  findDocument,
  insertDocument,
  keysInUse,
  listDocuments,
  pilotOrganisation,
} from '../queries/documents.ts'
import { recordEvent } from '../queries/events.ts'
import type { DocumentFields } from '../schemas/documents.ts'
import { type DocumentStore, documentKey, documentStoreFor, sha256Hex } from '../storage/index.ts'

/** Objects without a row are swept once they are this old: an upload in flight is never swept. */
export const orphanAgeMs = 60 * 60 * 1000

/**
 * Who may read a pilot's documents: its organisation, admins, and officials of a department that
 * signs off on one of its bookings. Nobody else, and never the public.
 */
async function mayRead(db: Executor, user: SessionUser, pilotId: string, organisationId: string) {
  if (user.role === 'admin') return true
  if (user.role === 'company') return user.organisationId === organisationId
  return user.departmentId !== null && (await departmentReviewsPilot(db, pilotId, user.departmentId))
}

/** The pilot's organisation if the caller may read its documents; 404 otherwise. */
async function readablePilot(db: Executor, user: SessionUser, pilotId: string) {
  const organisationId = await pilotOrganisation(db, pilotId)
  if (!organisationId || !(await mayRead(db, user, pilotId, organisationId))) {
    throw new ApiError('not_found', say.noPilot)
  }
  return organisationId
}

/** A pilot's documents, for whoever may read them. */
export async function pilotDocuments(db: Kysely<Database>, user: SessionUser, pilotId: string) {
  await readablePilot(db, user, pilotId)
  return { items: await listDocuments(db, pilotId), nextCursor: null }
}

export interface Upload {
  fields: DocumentFields
  fileName: string
  bytes: Uint8Array
}

/**
 * A member of the pilot's organisation uploads a document (the body read once that is known): its type judged by its bytes (PDF, PNG
 * or JPEG, else 415), at most 10 MiB (else 413). The file is stored first; the row and its audit
 * event are written in one transaction; if that fails, the file is deleted again.
 */
export async function uploadDocument(
  db: Kysely<Database>,
  store: DocumentStore,
  user: SessionUser,
  pilotId: string,
  readUpload: () => Promise<Upload>,
  now: Date,
) {
  const organisationId = await readablePilot(db, user, pilotId)
  if (user.role !== 'company' || user.organisationId !== organisationId) {
    throw new ApiError('forbidden', say.onlyOwnersUploadDocuments)
  }
  // Read only now: a stranger's body is never parsed.
  const upload = await readUpload()
  if (upload.bytes.byteLength > maxDocumentBytes)
    throw new ApiError('payload_too_large', say.documentTooLarge)
  const contentType = await sniffDocumentType(upload.bytes)
  if (!contentType) throw new ApiError('unsupported_media_type', say.documentTypeRefused)
  const id = crypto.randomUUID()
  const storageKey = documentKey(pilotId, id)
  const sha256 = await sha256Hex(upload.bytes)
  await store.put(storageKey, upload.bytes, contentType)
  try {
    return await db.transaction().execute(async (tx) => {
      const created = await insertDocument(
        tx,
        {
          id,
          pilotId,
          kind: upload.fields.kind,
          title: upload.fields.title,
          validUntil: upload.fields.validUntil ?? null,
          fileName: upload.fileName,
          size: upload.bytes.byteLength,
          contentType,
          sha256,
          storageKey,
          uploadedBy: user.id,
        },
        now,
      )
      await recordEvent(
        tx,
        {
          actorId: user.id,
          action: 'document.uploaded',
          subjectType: 'pilot',
          subjectId: pilotId,
          after: created,
        },
        now,
      )
      return created
    })
  } catch (error) {
    await store.delete(storageKey).catch(() => undefined)
    throw error
  }
}

/** A document and its stored file, for whoever may read the pilot's documents; 404 otherwise. */
export async function documentFile(
  db: Kysely<Database>,
  store: DocumentStore,
  user: SessionUser,
  id: string,
) {
  const found = await findDocument(db, id)
  if (!found) throw new ApiError('not_found', say.noDocument)
  const organisationId = await pilotOrganisation(db, found.document.pilotId)
  if (!organisationId || !(await mayRead(db, user, found.document.pilotId, organisationId))) {
    throw new ApiError('not_found', say.noDocument)
  }
  const file = await store.get(found.storageKey)
  if (!file) {
    // The row outlived its file (a restored backup, a hand-deleted folder): say so, and tell the operator.
    console.error(`documents: document ${id} has no stored file at ${found.storageKey}`)
    throw new ApiError('file_missing', say.documentFileLost)
  }
  return { document: found.document, file }
}

/**
 * The pilot's organisation (or an admin) deletes a document: the row and its audit event in one
 * transaction, then the file (a file left by a crash here is swept as an orphan).
 */
export async function deleteDocument(
  db: Kysely<Database>,
  store: DocumentStore,
  user: SessionUser,
  id: string,
  now: Date,
) {
  const found = await findDocument(db, id)
  if (!found) throw new ApiError('not_found', say.noDocument)
  const pilotId = found.document.pilotId
  const organisationId = await pilotOrganisation(db, pilotId)
  if (!organisationId || !(await mayRead(db, user, pilotId, organisationId))) {
    throw new ApiError('not_found', say.noDocument)
  }
  const owner = user.role === 'admin' || (user.role === 'company' && user.organisationId === organisationId)
  if (!owner) throw new ApiError('forbidden', say.onlyOwnersDeleteDocuments)
  await db.transaction().execute(async (tx) => {
    await deleteDocumentRow(tx, id)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'document.deleted',
        subjectType: 'pilot',
        subjectId: pilotId,
        before: found.document,
      },
      now,
    )
  })
  await store.delete(found.storageKey).catch((error) => {
    console.error(
      `document ${id}: file left for the orphan sweep:`,
      error instanceof Error ? error.message : error,
    )
  })
}

/**
 * Deletes stored objects (and half-written temporary files) older than an hour that no document
 * row points at: what a crash between storing a file and writing its row, or between deleting a
 * row and its file, leaves behind. Returns how many were deleted.
 */
export async function sweepOrphanDocuments(db: Executor, store: DocumentStore, now: Date): Promise<number> {
  const old = await store.listOlderThan(new Date(now.getTime() - orphanAgeMs))
  let swept = 0
  for (let i = 0; i < old.length; i += 500) {
    const chunk = old.slice(i, i + 500)
    const used = await keysInUse(db, chunk)
    for (const key of chunk) {
      if (used.has(key)) continue
      await store.delete(key)
      swept++
    }
  }
  return swept
}

const sweepIntervalMs = 10 * 60 * 1000
const lastSweep = new Map<string, number>()

/** Where the maintenance run finds the document store: the config's, or a Worker's R2 binding. */
export interface DocumentStoreSettings {
  dataDir?: string | undefined
  documentStorage?: Config['documentStorage']
  bindings?: Record<string, unknown> | undefined
}

/**
 * The maintenance run's sweep of orphaned document files; 0 without a configured store (a run
 * given no `dataDir`). A store that cannot be reached is logged, not thrown: the rest of the run
 * goes on, and the next run sweeps.
 */
export async function sweepConfiguredDocuments(db: Executor, settings: DocumentStoreSettings, now: Date) {
  if (settings.dataDir === undefined && !settings.bindings?.DOCUMENTS) return 0
  // Listing a large store costs a request (or a stat) per object: at most one sweep per 10 minutes.
  const place = settings.documentStorage?.bucket ?? settings.dataDir ?? 'r2'
  const last = lastSweep.get(place)
  if (last !== undefined && now.getTime() - last < sweepIntervalMs && now.getTime() >= last) return 0
  lastSweep.set(place, now.getTime())
  const config = { dataDir: settings.dataDir ?? './.data', documentStorage: settings.documentStorage }
  try {
    return await sweepOrphanDocuments(db, documentStoreFor(config, settings.bindings), now)
  } catch (error) {
    console.error('document sweep failed:', error instanceof Error ? error.message : error)
    return 0
  }
}
