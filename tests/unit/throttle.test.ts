import { describe, expect, it } from 'vitest'
import { addressBucket, throttleState } from '../../api/domain/throttle.ts'
import { canonicalAddress, forwardedEntry, trustedHops } from '../../api/lib/client-address.ts'
import { minute, testNow } from '../helpers/clock.ts'

describe('client addresses', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['203.0.113.7:4711', '203.0.113.7'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['::ffff:192.0.2.9', '192.0.2.9'],
    ['::1', '::1'],
  ])('reads %j as %j', (text, address) => {
    expect(canonicalAddress(text)).toBe(address)
  })

  it.each([
    'unknown',
    '',
    '256.1.1.1',
    '1.2.3',
    'example.org',
    '2001:db8::1::2',
    '[::1',
    '1.2.3.4/24',
    'x'.repeat(200),
  ])('refuses %j', (text) => {
    expect(canonicalAddress(text)).toBeUndefined()
  })

  it('takes the entry the outermost trusted proxy wrote, whatever the client put before it', () => {
    const header = '1.1.1.1, 2.2.2.2, 198.51.100.4, 10.0.0.2'
    expect(forwardedEntry(header, 1, canonicalAddress)).toBe('10.0.0.2')
    expect(forwardedEntry(header, 2, canonicalAddress)).toBe('198.51.100.4')
    expect(forwardedEntry('198.51.100.4', 3, canonicalAddress)).toBe('198.51.100.4')
    expect(forwardedEntry(header, 0, canonicalAddress)).toBeUndefined()
    expect(forwardedEntry(undefined, 1, canonicalAddress)).toBeUndefined()
  })

  it('gives nothing when that entry is not an address, rather than a client-written one', () => {
    expect(forwardedEntry('1.1.1.1, unknown', 1, canonicalAddress)).toBeUndefined()
    expect(forwardedEntry('1.1.1.1,', 1, canonicalAddress)).toBeUndefined()
  })

  it('counts TRUST_PROXY as one hop when on, or as many as a number says', () => {
    expect(trustedHops(true)).toBe(1)
    expect(trustedHops(false)).toBe(0)
    expect(trustedHops(2)).toBe(2)
    expect(trustedHops(-1)).toBe(0)
  })
})

describe('throttle buckets', () => {
  it('counts an IPv6 address as its /64 network and an IPv4 address as itself', () => {
    expect(addressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64')
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressBucket('::1')).toBe('0:0:0:0::/64')
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7')
    expect(addressBucket('unknown')).toBe('unknown')
  })

  it('locks at the limit and lifts when the oldest counting event leaves the window', () => {
    const rule = { limit: 3, windowMs: 15 * minute }
    const at = (m: number) => new Date(testNow.getTime() + m * minute)
    expect(throttleState([at(0), at(1)], rule, at(2))).toEqual({ locked: false })
    expect(throttleState([at(0), at(1), at(2)], rule, at(2))).toEqual({
      locked: true,
      retryAfterSeconds: 13 * 60,
    })
    expect(throttleState([at(0), at(1), at(2)], rule, at(15))).toEqual({ locked: false })
  })
})
