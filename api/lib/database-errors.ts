import { ApiError, type ErrorCode, type FieldError } from './errors.ts'

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

/** PostgreSQL's SQLSTATE of an error, when it has one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** A broken constraint as a client should hear of it: a code, a sentence, and the field if known. */
interface ConflictAnswer {
  code: ErrorCode
  detail: string
  errors?: FieldError[]
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
      detail: 'An account with this e-mail address exists already.',
      errors: [{ path: 'email', message: 'is taken by another account' }],
    },
  ],
  [
    'departments_name_key',
    {
      code: 'conflict',
      detail: 'A department with this name exists already.',
      errors: [{ path: 'name', message: 'is taken by another department' }],
    },
  ],
  [
    // `idempotent` replays the first answer on this; only a key deleted meanwhile gets here.
    'idempotency_keys_pk',
    {
      code: 'conflict',
      detail:
        'Another request with this Idempotency-Key was handled at the same time; send this one again to get its answer.',
    },
  ],
])

const unknownDuplicate: ConflictAnswer = {
  code: 'conflict',
  detail: 'This would duplicate something that exists already; nothing was changed.',
}

// No table has an exclusion constraint today (capacity is kept by locking, see docs/design.md);
// should one be added, overlapping bookings are what it would refuse.
const exclusionAnswer: ConflictAnswer = {
  code: 'capacity_exceeded',
  detail: 'The site is already booked for part of this time; choose another time.',
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
