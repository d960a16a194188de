import { fromBase64Url, toBase64Url } from './base64.ts'
import { ApiError } from './errors.ts'

/** Keyset position after the last item of a page: the sort key and the id that breaks ties. */
export interface CursorPosition {
  key: string
  id: string
}

/** An opaque cursor for `nextCursor`. */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([position.key, position.id])))
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
  throw new ApiError(
    'validation_failed',
    'The cursor is not one this API gave out; start from the first page.',
    {
      errors: [{ path: 'cursor', message: 'is not a valid cursor' }],
    },
  )
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
