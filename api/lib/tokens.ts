import { toBase64Url } from './base64.ts'

/** Opaque random tokens, and their SHA-256 for storage: a leaked table gives no usable token. */

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
}

/** The hex SHA-256 of a token, as stored. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
