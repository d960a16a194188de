import { stringify } from 'csv-stringify/sync'

/** A cell a spreadsheet would read as a formula starts with one of these (OWASP, "CSV Injection"). */
const formulaStart = /^[=+\-@\t\r]/

/**
 * A text cell made safe for a spreadsheet: one that starts like a formula gets a leading single
 * quote, so it is shown as text and never run. Other values are left as they are.
 */
export function neutralise(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value
}

/**
 * Rows as RFC 4180 CSV with a header row and CRLF line ends. Every text cell that starts like a
 * formula is neutralised and quoted (OWASP); numbers and booleans are written as they are.
 */
export function toCsv(rows: readonly object[]): string {
  const columns = rows[0] ? Object.keys(rows[0]) : []
  return stringify(rows as object[], {
    header: true,
    columns,
    record_delimiter: '\r\n',
    cast: {
      string: (value) => (formulaStart.test(value) ? { value: neutralise(value), quoted: true } : value),
    },
  })
}
