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

/** A booking's audit trail, oldest first, with who acted. */
export async function bookingEvents(db: Executor, bookingId: string) {
  const rows = await db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.actor_id')
    .select([
      'events.at',
      'events.action',
      'events.details',
      'users.id as actor_id',
      'users.name as actor_name',
      'users.role as actor_role',
    ])
    .where('events.subject_type', '=', 'booking')
    .where('events.subject_id', '=', bookingId)
    .orderBy('events.id')
    .execute()
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '', role: r.actor_role ?? '' } : null,
    action: r.action,
    details: (r.details ?? {}) as Record<string, unknown>,
  }))
}
