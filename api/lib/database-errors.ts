import { ApiError, type ErrorCode, type FieldIssue } from './errors.ts'
import { field, type Localized, say } from './messages.ts'

/** SQLSTATE classes and socket errors that mean "the database is away", not "the query is wrong". */
const unavailableSqlStates = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
])
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
])
const unavailableMessages = [
  /Connection terminated/i,
  /connection .*closed/i,
  /Client has encountered a connection error/i,
]

/** True when an error says the database cannot be reached (answered as 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (unavailableSqlStates.has(code) || unavailableSocketCodes.has(code)))
    return true
  if (unavailableMessages.some((pattern) => pattern.test(error.message))) return true
  return error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause)
}

/**
 * True when an error says the database's disk is full: PostgreSQL's (and PGlite's) 53100
 * disk_full, which it gives for ENOSPC, or a file system's ENOSPC or EDQUOT itself. The rest of
 * class 53 is not about space (53000 is out of file handles, 53200 out of memory, 53300 too many
 * connections).
 */
export function isStorageFull(error: unknown): boolean {
  let current = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return true
    current = current.cause
  }
  return false
}

/** PostgreSQL's SQLSTATE of an error, when it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** A broken constraint as a client should hear of it: a code, a sentence, and the field if known. */
interface ConflictAnswer {
  code: ErrorCode
  detail: Localized
  errors?: FieldIssue[]
}

/**
 * The unique constraints a client's request can run into (names as in
 * db/migrations/2026_11_28_0000_initial.ts). Routes check for duplicates first, but two
 * simultaneous requests can both pass that check; the database then refuses the second, and this
 * says what to answer. The rest (session and feed token hashes, generated ids, rows the routes
 * deduplicate) fall back to `conflict`.
 */
const uniqueConstraintAnswers = new Map<string, ConflictAnswer>([
  [
    'users_email_key',
    {
      code: 'email_taken',
      detail: say.emailTaken,
      errors: [{ path: 'email', message: field.emailTaken }],
    },
  ],
  [
    'departments_name_key',
    {
      code: 'conflict',
      detail: say.departmentNameTaken,
      errors: [{ path: 'name', message: field.departmentNameTaken }],
    },
  ],
  [
    // `idempotent` replays the first answer on this; only a key deleted meanwhile gets here.
    'idempotency_keys_pk',
    {
      code: 'conflict',
      detail: say.idempotencyRace,
    },
  ],
])

const unknownDuplicate: ConflictAnswer = {
  code: 'conflict',
  detail: say.duplicate,
}

// No table has an exclusion constraint today (capacity is kept by locking, see docs/design.md);
// should one be added, overlapping bookings are what it would refuse.
const exclusionAnswer: ConflictAnswer = {
  code: 'capacity_exceeded',
  detail: say.bookedMeanwhile,
}

function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint
  return typeof constraint === 'string' ? constraint : undefined
}

/**
 * The 409 a unique (23505) or exclusion (23P01) violation stands for, or undefined for any other
 * error. The renderer calls it for errors no route turned into an `ApiError`, so a race that
 * slips past a route's own duplicate check is a 409, never a 500. Nothing of PostgreSQL's
 * message (which quotes the duplicate value) reaches the client.
 *
 * @example
 * const conflict = constraintConflict(error)
 * if (conflict) return renderError(conflict, c)
 */
export function constraintConflict(error: unknown): ApiError | undefined {
  // Drivers and Kysely may wrap the database's error; look a few causes deep.
  let current = error
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const state = sqlState(current)
    const answer =
      state === '23505'
        ? (uniqueConstraintAnswers.get(constraintOf(current) ?? '') ?? unknownDuplicate)
        : state === '23P01'
          ? exclusionAnswer
          : undefined
    if (answer) {
      return new ApiError(answer.code, answer.detail, {
        ...(answer.errors ? { errors: answer.errors } : {}),
        cause: current,
      })
    }
    current = current.cause
  }
  return undefined
}
