import { ApiError } from '../lib/errors.ts'
import { field, type Localized, say } from '../lib/messages.ts'
import { commonPasswords } from './common-passwords.ts'

export const minPasswordLength = 10
export const maxPasswordLength = 200

/**
 * Why a new password is refused, in every language, or undefined when it is acceptable: at least
 * 10 characters, not among the commonest passwords, not the e-mail address, not one repeated character.
 */
export function passwordProblem(password: string, email?: string): Localized | undefined {
  if (password.length < minPasswordLength) return field.passwordTooShort(minPasswordLength)
  if (password.length > maxPasswordLength) return field.passwordTooLong(maxPasswordLength)
  const lower = password.toLowerCase()
  if (commonPasswords.has(lower)) return field.passwordCommon
  if (new Set(lower).size <= 2) return field.passwordRepetitive
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return field.passwordIsEmail
  }
  return undefined
}

/** {@link passwordProblem} in English, as the operator CLI says it. */
export function passwordWeakness(password: string, email?: string): string | undefined {
  return passwordProblem(password, email)?.en
}

/** A 400 naming the field when a new password is refused. */
export function assertStrongPassword(password: string, email: string, path = 'password') {
  const weakness = passwordProblem(password, email)
  if (weakness) {
    throw new ApiError('validation_failed', say.weakPassword(weakness), {
      errors: [{ path, message: weakness }],
    })
  }
}
