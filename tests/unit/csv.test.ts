import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { neutralise, toCsv } from '../../api/lib/csv.ts'

/** The cells a spreadsheet would read from a CSV text, header row first. */
const cells = (text: string) => parse(text, { relax_column_count: true }) as string[][]

describe('CSV cells that would run as formulas (OWASP CSV injection)', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://evil.example","Click")'])(
    'prefixes %j with a single quote and quotes the cell',
    (text) => {
      const csv = toCsv([{ reason: text }])
      expect(cells(csv)[1]).toEqual([`'${text}`])
      expect(csv.split('\r\n')[1]?.startsWith(`"'`)).toBe(true)
    },
  )

  it('leaves ordinary texts and numbers as they are', () => {
    const csv = toCsv([{ reason: 'Too loud, at night', pilots: 3, note: 'a = b' }])
    expect(csv).toBe('reason,pilots,note\r\n"Too loud, at night",3,a = b\r\n')
  })

  it('neutralises only the first character', () => {
    expect(neutralise('a-b')).toBe('a-b')
    expect(neutralise('-b')).toBe("'-b")
    expect(neutralise('')).toBe('')
  })
})
