import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { connect } from '../../db/connect.ts'
import { json, testApp } from '../helpers/app.ts'

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  const body = await json(res)
  expect(body).toMatchObject({ status, code, type: `urn:city-testbed:problem:${code}` })
  expect(typeof body.title).toBe('string')
  expect(typeof body.detail).toBe('string')
  return body
}

describe('the error model: problem+json everywhere', () => {
  it('answers unknown API routes with 404 not_found', async () => {
    const { app } = await testApp()
    await expectProblem(await app.request('/api/no-such-thing'), 404, 'not_found')
    await expectProblem(await app.request('/api/areas/x/y/z'), 404, 'not_found')
  })

  it('answers a malformed id with 400 and the field that is wrong', async () => {
    const { app } = await testApp()
    const body = await expectProblem(
      await app.request('/api/facilities/not-a-uuid'),
      400,
      'validation_failed',
    )
    expect(body.errors).toEqual([{ path: 'id', message: expect.stringContaining('UUID') }])
  })

  it('answers malformed JSON with 400', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/areas', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Embankment",',
    })
    await expectProblem(res, 400, 'validation_failed')
  })

  it('answers a body that is not JSON with 415', async () => {
    const { app } = await testApp()
    const res = await app.request('/api/areas', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'name=Embankment',
    })
    await expectProblem(res, 415, 'unsupported_media_type')
  })

  it('answers a body over 1 MiB with 413', async () => {
    const { app } = await testApp()
    const big = JSON.stringify({ description: 'x'.repeat(1024 * 1024 + 10) })
    const res = await app.request('/api/areas', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    })
    await expectProblem(res, 413, 'payload_too_large')
  })

  it('answers a body over 1 MiB with 413 even when it does not declare its length', async () => {
    const { app } = await testApp()
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20) return controller.close()
        sent++
        controller.enqueue(chunk)
      },
    })
    const res = await app.request('/api/areas', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit)
    await expectProblem(res, 413, 'payload_too_large')
  })

  it('answers a database that cannot be reached with 503 and Retry-After, not 500', async () => {
    // A real pg pool pointed at a port where nothing listens.
    const unreachable = await connect({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' })
    try {
      const app = createApp({
        config: parseConfig({}),
        database: sharedDatabase(unreachable.db, 'postgres'),
      })
      const res = await app.request('/api/areas')
      await expectProblem(res, 503, 'service_unavailable')
      expect(res.headers.get('retry-after')).toBe('5')
    } finally {
      await unreachable.close()
    }
  })

  it('masks an unexpected fault as a 500 problem with no internals', async () => {
    const { db, kind } = await testApp()
    // Fault injection: every query fails as a programming error would, with internals in its message.
    const faulty = db.withPlugin({
      transformQuery: () => {
        throw new TypeError('secret internals at /srv/api/queries/catalogue.ts:42')
      },
      transformResult: async (args) => args.result,
    })
    const app = createApp({ config: parseConfig({}), database: sharedDatabase(faulty, kind) })
    const res = await app.request('/api/facilities')
    const body = await expectProblem(res, 500, 'internal_error')
    expect(JSON.stringify(body)).not.toMatch(/secret|catalogue\.ts|stack/)
    expect(body.requestId).toEqual(res.headers.get('x-request-id'))
  })
})
