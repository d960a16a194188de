/**
 * Password hashing with PBKDF2-HMAC-SHA-256 through WebCrypto.
 *
 * Why PBKDF2: it is the one slow hash that WebCrypto gives in both Node and workerd with no
 * native add-on or WASM, so the same hashes verify wherever the API runs. Workers cap PBKDF2 at
 * 100,000 iterations, so that is the count (OWASP asks 600,000 for SHA-256; the stored format
 * carries the count so that it can be raised when the platform allows, rehashing on sign-in).
 */
const algorithm = 'pbkdf2-sha256'
export const passwordIterations = 100_000
const saltBytes = 16
const hashBits = 256

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    hashBits,
  )
  return new Uint8Array(bits)
}

/** Compares in time that depends only on the length, not on where the bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/**
 * Hashes a password with a fresh random salt.
 *
 * @example
 * const stored = await hashPassword('correct horse battery')
 */
export async function hashPassword(password: string, iterations = passwordIterations): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(saltBytes))
  const hash = await derive(password, salt, iterations)
  return `${algorithm}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`
}

/** True when the password matches a stored hash; a malformed stored value never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [name, iterationsText, saltText, hashText] = stored.split('$')
  const iterations = Number(iterationsText)
  if (name !== algorithm || !Number.isInteger(iterations) || iterations < 1 || !saltText || !hashText)
    return false
  const expected = fromBase64(hashText)
  const actual = await derive(password, fromBase64(saltText), iterations)
  return constantTimeEqual(actual, expected)
}
