import type { Executor } from '../../db/types.ts'

export interface AuditEvent {
  actorId: string | null
  action: string
  subjectType: string
  subjectId: string
  before?: unknown
  after?: unknown
  details?: Record<string, unknown>
}

/** Appends an audit event; call it inside the transaction that makes the change. */
export async function recordEvent(db: Executor, event: AuditEvent, at: Date) {
  const details = {
    ...(event.details ?? {}),
    ...(event.before === undefined ? {} : { before: event.before }),
    ...(event.after === undefined ? {} : { after: event.after }),
  }
  await db
    .insertInto('events')
    .values({
      at,
      actor_id: event.actorId,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      details: JSON.stringify(details),
    })
    .execute()
}
