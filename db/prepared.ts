import type {
  QueryArrayConfig,
  QueryArrayResult,
  QueryConfig,
  QueryConfigValues,
  QueryResult,
  QueryResultRow,
  Submittable,
} from 'pg'
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

type Callback<Result> = (err: Error, result: Result) => void

/**
 * A pg `Client` that sends every parameterised query as a named prepared statement, so that
 * PostgreSQL parses it once per connection and, after a few runs, reuses its plan instead of
 * planning it again on every call. Kysely compiles the same text for the same query shape, so the
 * app's statements are a few hundred distinct texts at most; `maxNamed` bounds them anyway.
 * `connect` uses it unless told not to (`preparedStatements: false`, `DATABASE_PREPARED=0`).
 *
 * Measured (scripts/bench.ts, booking writes on PostgreSQL): parse and plan ("bind" in the server
 * log) were 40 % of the server's time per booking request before this.
 *
 * The price: a statement stays prepared while its connection lives, and PostgreSQL refuses one
 * whose result columns a migration changed ("cached plan must not change result type") — restart
 * the server after such a migration (docs/operations.md, Upgrading). And a connection pooler that
 * hands one server connection to many clients (PgBouncer in transaction mode) must not see named
 * statements at all: that is what the switch is for.
 */
export class PreparingClient extends pg.Client {
  // pg's own overloads, restated: an override must offer every one of them.
  override query<T extends Submittable>(queryStream: T): T
  override query<R extends unknown[] = unknown[], I = unknown[]>(
    queryConfig: QueryArrayConfig<I>,
    values?: QueryConfigValues<I>,
  ): Promise<QueryArrayResult<R>>
  override query<R extends QueryResultRow = QueryResultRow, I = unknown>(
    queryConfig: QueryConfig<I>,
  ): Promise<QueryResult<R>>
  override query<R extends QueryResultRow = QueryResultRow, I = unknown[]>(
    queryTextOrConfig: string | QueryConfig<I>,
    values?: QueryConfigValues<I>,
  ): Promise<QueryResult<R>>
  override query<R extends unknown[] = unknown[], I = unknown[]>(
    queryConfig: QueryArrayConfig<I>,
    callback: Callback<QueryArrayResult<R>>,
  ): void
  override query<R extends QueryResultRow = QueryResultRow, I = unknown[]>(
    queryTextOrConfig: string | QueryConfig<I>,
    callback: Callback<QueryResult<R>>,
  ): void
  override query<R extends QueryResultRow = QueryResultRow, I = unknown[]>(
    queryText: string,
    values: QueryConfigValues<I>,
    callback: Callback<QueryResult<R>>,
  ): void
  override query(
    config: string | QueryConfig | Submittable,
    valuesOrCallback?: unknown[] | Callback<QueryResult>,
    callback?: Callback<QueryResult>,
  ): unknown {
    if (typeof config !== 'string' && 'submit' in config) return super.query(config)
    // Normalised to the form pg accepts everywhere: a config object, with a callback or without.
    const values = typeof valuesOrCallback === 'function' ? undefined : valuesOrCallback
    const done = typeof valuesOrCallback === 'function' ? valuesOrCallback : callback
    let query: QueryConfig = typeof config === 'string' ? { text: config } : config
    if (values !== undefined) query = { ...query, values }
    // Only query texts get a name: a config object is the caller's own choice of name or none.
    const name = typeof config === 'string' && values?.length ? statementName(config) : undefined
    if (name !== undefined) query = { ...query, name }
    return done === undefined ? super.query(query) : super.query(query, done)
  }
}
