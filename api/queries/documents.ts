import { sql } from 'kysely'
import type { DocumentKind, Executor } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import type { DocumentInfo } from '../schemas/documents.ts'

const columns = [
  'documents.id',
  'documents.pilot_id',
  'documents.kind',
  'documents.title',
  'documents.file_name',
  'documents.size',
  'documents.content_type',
  'documents.sha256',
  'documents.storage_key',
  'documents.uploaded_at',
] as const

type DocumentRow = {
  id: string
  pilot_id: string
  kind: DocumentKind
  title: string
  valid_until: string | null
  file_name: string
  size: number
  content_type: string
  sha256: string
  uploaded_at: Date
}

/** A document row as the API shows it. */
export function toDocument(row: DocumentRow): DocumentInfo {
  return {
    id: row.id,
    pilotId: row.pilot_id,
    kind: row.kind,
    title: row.title,
    validUntil: row.valid_until,
    fileName: row.file_name,
    size: row.size,
    contentType: row.content_type as DocumentInfo['contentType'],
    sha256: row.sha256,
    uploadedAt: row.uploaded_at.toISOString(),
  }
}

function selectDocuments(db: Executor) {
  return db
    .selectFrom('documents')
    .select(columns)
    .select(sql<string | null>`documents.valid_until::text`.as('valid_until'))
}

/** A pilot's organisation, or undefined when there is no such pilot. */
export async function pilotOrganisation(db: Executor, pilotId: string) {
  const row = await db
    .selectFrom('pilots')
    .select('organisation_id')
    .where('id', '=', pilotId)
    .executeTakeFirst()
  return row?.organisation_id
}

/** Whether an official's department signs off (or signed off) on one of the pilot's bookings. */
export async function departmentReviewsPilot(db: Executor, pilotId: string, departmentId: string) {
  const row = await db
    .selectFrom('reviews')
    .innerJoin('bookings', 'bookings.id', 'reviews.booking_id')
    .where('bookings.pilot_id', '=', pilotId)
    .where('reviews.department_id', '=', departmentId)
    .select(sql`1`.as('one'))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** A pilot's documents, by kind, then newest first. */
export async function listDocuments(db: Executor, pilotId: string) {
  const rows = await selectDocuments(db)
    .where('documents.pilot_id', '=', pilotId)
    .orderBy('documents.kind')
    .orderBy('documents.uploaded_at', 'desc')
    .orderBy('documents.id')
    .execute()
  return rows.map(toDocument)
}

/** One document with where its file is stored, or undefined. */
export async function findDocument(db: Executor, id: string) {
  const row = await selectDocuments(db).where('documents.id', '=', id).executeTakeFirst()
  return row ? { document: toDocument(row), storageKey: row.storage_key } : undefined
}

export interface NewDocument {
  id: string
  pilotId: string
  kind: DocumentKind
  title: string
  validUntil: string | null
  fileName: string
  size: number
  contentType: string
  sha256: string
  storageKey: string
  uploadedBy: SessionUser['id']
}

export async function insertDocument(db: Executor, d: NewDocument, now: Date) {
  const row = await db
    .insertInto('documents')
    .values({
      id: d.id,
      pilot_id: d.pilotId,
      kind: d.kind,
      title: d.title,
      valid_until: d.validUntil,
      file_name: d.fileName,
      size: d.size,
      content_type: d.contentType,
      sha256: d.sha256,
      storage_key: d.storageKey,
      uploaded_by: d.uploadedBy,
      uploaded_at: now,
    })
    .returning(columns)
    .returning(sql<string | null>`valid_until::text`.as('valid_until'))
    .executeTakeFirstOrThrow()
  return toDocument(row)
}

export async function deleteDocumentRow(db: Executor, id: string) {
  await db.deleteFrom('documents').where('id', '=', id).execute()
}

/** Of the given storage keys, those a document row points at. */
export async function keysInUse(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set()
  const rows = await db
    .selectFrom('documents')
    .select('storage_key')
    .where('storage_key', 'in', [...keys])
    .execute()
  return new Set(rows.map((r) => r.storage_key))
}

/** Every storage key of a pilot's documents (before the pilot is deleted, which cascades). */
export async function pilotDocumentKeys(db: Executor, pilotId: string) {
  const rows = await db
    .selectFrom('documents')
    .select('storage_key')
    .where('pilot_id', '=', pilotId)
    .execute()
  return rows.map((r) => r.storage_key)
}
