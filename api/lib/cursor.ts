import { fromBase64Url, toBase64Url } from './base64.ts'
import { ApiError } from './errors.ts'
import { field, say } from './messages.ts'

/** Keyset position after the last item of a page: the sort key and the id that breaks ties. */
export interface CursorPosition {
  key: string
  id: string
}

/** An opaque cursor for `nextCursor`. */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([position.key, position.id])))
}

function notOurCursor(): ApiError {
  return new ApiError('validation_failed', say.badCursor, {
    errors: [{ path: 'cursor', message: field.badCursor }],
  })
}

// As `toISOString` writes them, years 1000-9999 only: PostgreSQL refuses year 0, and no date the
// API keys a list by (a booking's start, a request's creation) lies before 1000.
const instantKey = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * Reads a cursor whose key is an instant (lists ordered by a date): the key must be one
 * `toISOString` wrote, else a 400 — never a string for the database to make sense of.
 */
export function decodeInstantCursor(cursor: string): CursorPosition & { at: Date } {
  const after = decodeCursor(cursor)
  const at = new Date(after.key)
  if (instantKey.test(after.key) && !Number.isNaN(at.getTime()) && at.toISOString() === after.key) {
    return { ...after, at }
  }
  throw notOurCursor()
}

/** Reads a cursor a client sent back; anything that is not one of ours is a 400. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor)))
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return { key: value[0], id: value[1] }
    }
  } catch {
    // fall through to the one error below
  }
  throw notOurCursor()
}

/** Splits a fetched `limit + 1` rows into a page and the cursor to the next one. */
export function paginate<T extends { id: string }>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string,
): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null }
  const pageRows = rows.slice(0, limit)
  const last = pageRows[pageRows.length - 1] as T
  return { rows: pageRows, nextCursor: encodeCursor({ key: keyOf(last), id: last.id }) }
}
