import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { testApp } from '../helpers/app.ts'

describe('answers on the wire', () => {
  it('sends small answers as they are, with their length', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/health', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    const body = await res.arrayBuffer()
    expect(res.headers.get('content-length')).toBe(String(body.byteLength))
    expect(JSON.parse(new TextDecoder().decode(body))).toMatchObject({ status: 'ok' })
  })

  it('gzips large answers for clients that accept it, signed-in ones too, and not for others', async () => {
    const { app, db } = await testApp()
    const admin = await makeUser(db, 'admin')
    const zipped = await app.request('/api/facilities?limit=500', {
      headers: { ...admin.headers, 'accept-encoding': 'gzip, deflate, br' },
    })
    expect(zipped.status).toBe(200)
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i)
    const wire = Buffer.from(await zipped.arrayBuffer())
    expect(zipped.headers.get('content-length')).toBe(String(wire.byteLength))
    const plain = await app.request('/api/facilities?limit=500', { headers: admin.headers })
    expect(plain.headers.get('content-encoding')).toBeNull()
    const text = await plain.text()
    expect(text.length).toBeGreaterThan(2048)
    expect(gunzipSync(wire).toString()).toBe(text)
  })
})
