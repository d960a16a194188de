import { ApiError } from '../lib/errors.ts'
import { commonPasswords } from './common-passwords.ts'

export const minPasswordLength = 10
export const maxPasswordLength = 200

/**
 * Why a new password is refused, or undefined when it is acceptable: at least 10 characters,
 * not among the commonest passwords, not the e-mail address, not one repeated character.
 */
export function passwordWeakness(password: string, email?: string): string | undefined {
  if (password.length < minPasswordLength) return `must be at least ${minPasswordLength} characters`
  if (password.length > maxPasswordLength) return `must be at most ${maxPasswordLength} characters`
  const lower = password.toLowerCase()
  if (commonPasswords.has(lower)) return 'is one of the most common passwords; choose another'
  if (new Set(lower).size <= 2) return 'repeats too few characters; choose another'
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return 'must not be your e-mail address'
  }
  return undefined
}

/** A 400 naming the field when a new password is refused. */
export function assertStrongPassword(password: string, email: string, path = 'password') {
  const weakness = passwordWeakness(password, email)
  if (weakness) {
    throw new ApiError('validation_failed', `The password ${weakness}.`, {
      errors: [{ path, message: weakness }],
    })
  }
}
