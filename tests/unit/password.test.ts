import { describe, expect, it } from 'vitest'
import {
  constantTimeEqual,
  hashPassword,
  passwordIterations,
  verifyPassword,
} from '../../api/lib/password.ts'

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(stored.startsWith(`pbkdf2-sha256$${passwordIterations}$`)).toBe(true)
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toEqual(await hashPassword('same password'))
  })

  it('never matches a malformed stored value', async () => {
    for (const stored of ['', 'plain', 'pbkdf2-sha256$0$AA==$AA==', 'md5$1$AA==$AA==', 'pbkdf2-sha256$x$$']) {
      expect(await verifyPassword('anything', stored)).toBe(false)
    }
  })

  it('compares bytes fully', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false)
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false)
  })
})
