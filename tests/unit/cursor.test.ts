import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, paginate } from '../../api/lib/cursor.ts'
import { ApiError } from '../../api/lib/errors.ts'

describe('cursors', () => {
  it('round-trip any name, Cyrillic and punctuation included', () => {
    const position = { key: 'Набережная "Петровская", 1/2 — №5', id: crypto.randomUUID() }
    expect(decodeCursor(encodeCursor(position))).toEqual(position)
    expect(encodeCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/)
  })

  it.each(['', 'abc', '!!!', btoa('[1,2]'), btoa('["a","not-an-id"]'), btoa('{"key":"a"}')])(
    'refuse %s with a 400',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(ApiError)
    },
  )

  it('paginate gives a cursor only when there is a next page', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `00000000-0000-4000-8000-00000000000${n}`, name: `n${n}` }))
    expect(paginate(rows, 3, (r) => r.name).nextCursor).toBeNull()
    const page = paginate(rows, 2, (r) => r.name)
    expect(page.rows).toHaveLength(2)
    expect(decodeCursor(page.nextCursor as string)).toEqual({ key: 'n2', id: rows[1]?.id })
  })
})
