import pg from 'pg'

/** How many distinct statements get a name; past it, statements go unnamed (parsed each time). */
const maxNamed = 1000
const names = new Map<string, string>()

/** The prepared-statement name of a query text: the same text has the same name on every connection. */
export function statementName(text: string): string | undefined {
  let name = names.get(text)
  if (name === undefined && names.size < maxNamed) {
    name = `ct${names.size + 1}`
    names.set(text, name)
  }
  return name
}

/**
 * A pg `Client` that sends every parameterised query as a named prepared statement, so that
 * PostgreSQL parses it once per connection and, after a few runs, reuses its plan instead of
 * planning it again on every call. Kysely compiles the same text for the same query shape, so the
 * app's statements are a few hundred distinct texts at most; `maxNamed` bounds them anyway.
 *
 * Measured (scripts/bench.ts, booking writes on PostgreSQL): parse and plan ("bind" in the server
 * log) were 40 % of the server's time per booking request before this.
 *
 * The price: a statement stays prepared while its connection lives, and PostgreSQL refuses one
 * whose result columns a migration changed ("cached plan must not change result type") — restart
 * the server after such a migration (README, database commands).
 */
export class PreparingClient extends pg.Client {
  // pg's overloads do not survive a subclass; the arguments are passed through unchanged.
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() overloads
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config)
      if (name !== undefined) return super.query({ text: config, values, name }, callback)
    }
    return super.query(config, values, callback)
  }
}
