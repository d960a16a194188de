import { createHash } from 'node:crypto'
import { toBase64Url } from './base64.ts'

/** Opaque random tokens, and their SHA-256 for storage: a leaked table gives no usable token. */

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
}

/**
 * The hex SHA-256 of a token, as stored. node:crypto (Node, and Workers with nodejs_compat):
 * WebCrypto's digest spent longer checking its arguments than hashing, on every signed-in request.
 */
export async function hashToken(token: string): Promise<string> {
  return createHash('sha256').update(token).digest('hex')
}
