import { type RawBuilder, sql } from 'kysely'

/**
 * Overlap tests written the way the GiST indexes are built (db/migrations), so that the planner
 * can use them: comparing `starts_at < end and ends_at > start` instead reads every row that
 * starts before the end of the window (30 ms instead of 0.3 ms at 40,000 bookings).
 */

/** The booking's own times meet [from, to): matches `bookings_period_idx`. */
export function bookingPeriodOverlaps(table: string, from: Date, to: Date): RawBuilder<boolean> {
  return sql<boolean>`tstzrange(${sql.ref(`${table}.starts_at`)}, ${sql.ref(`${table}.ends_at`)}, '[)') && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`
}

/** The booking's own times hold the instant: matches `bookings_period_idx`. */
export function bookingPeriodHolds(table: string, at: Date): RawBuilder<boolean> {
  return sql<boolean>`tstzrange(${sql.ref(`${table}.starts_at`)}, ${sql.ref(`${table}.ends_at`)}, '[)') @> ${at}::timestamptz`
}

/** The span a booking occupies, buffers included, meets [from, to): matches `bookings_facility_occupied_idx`. */
export function occupiedOverlaps(from: Date, to: Date): RawBuilder<boolean> {
  return sql<boolean>`occupied && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`
}

/** A closure meets [from, to): matches `closures_facility_period_idx` and `closures_area_period_idx`. */
export function closureOverlaps(from: Date, to: Date): RawBuilder<boolean> {
  return sql<boolean>`tstzrange(starts_at, ends_at) && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')`
}

/*
 * The booking indexes are partial (`where state in (...)`): the planner uses them only when it can
 * prove the query's state test implies that, which it cannot do with a parameter in a prepared
 * statement's generic plan. So the states are written into the SQL as literals.
 */

/** The booking holds its slot (pending, changes requested or approved). */
export function isHolding(table: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${table}.state`)} in ('pending', 'changes_requested', 'approved')`
}

/** The booking is approved. */
export function isApproved(table: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${table}.state`)} = 'approved'`
}
