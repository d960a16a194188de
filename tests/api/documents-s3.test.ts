/**
 * Documents in an S3-compatible bucket (STORAGE_URL=s3://bucket/prefix): the app against a small
 * local stand-in for S3 (an outside service), which checks that every request is signed with
 * AWS Signature V4 by the configured key and that a PUT's declared SHA-256 is its body's.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../api/lib/config.ts'
import { s3Store } from '../../api/storage/s3.ts'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makePilot } from '../helpers/fixtures.ts'

const accessKeyId = 'TESTBEDKEY'
const objects = new Map<string, { body: Buffer; type: string; modified: Date }>()
const refused: string[] = []
let server: Server
let endpoint = ''

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => parts.push(c))
    req.on('end', () => resolve(Buffer.concat(parts)))
  })
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local')
    const auth = req.headers.authorization ?? ''
    if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${accessKeyId}/`) || !req.headers['x-amz-date']) {
      refused.push(`${req.method} ${url.pathname}`)
      res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>')
      return
    }
    const [, bucket = '', ...rest] = url.pathname.split('/')
    const key = rest.map(decodeURIComponent).join('/')
    if (req.method === 'GET' && key === '') {
      const prefix = url.searchParams.get('prefix') ?? ''
      const items = [...objects].filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
      const xml = items
        .map(
          ([k, o]) =>
            `<Contents><Key>${k.slice(bucket.length + 1)}</Key><LastModified>${o.modified.toISOString()}</LastModified></Contents>`,
        )
        .join('')
      res.writeHead(200, { 'content-type': 'application/xml' })
      res.end(`<ListBucketResult><IsTruncated>false</IsTruncated>${xml}</ListBucketResult>`)
      return
    }
    const id = `${bucket}/${key}`
    if (req.method === 'PUT') {
      const bytes = await body(req)
      if (req.headers['x-amz-content-sha256'] !== createHash('sha256').update(bytes).digest('hex')) {
        res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>')
        return
      }
      objects.set(id, { body: bytes, type: String(req.headers['content-type']), modified: new Date(0) })
      res.writeHead(200).end()
    } else if (req.method === 'GET') {
      const found = objects.get(id)
      if (!found) res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>')
      else
        res
          .writeHead(200, { 'content-type': found.type, 'content-length': found.body.length })
          .end(found.body)
    } else if (req.method === 'DELETE') {
      objects.delete(id)
      res.writeHead(204).end()
    } else res.writeHead(405).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const pdf = new TextEncoder().encode('%PDF-1.7\n%%EOF\n')

describe('documents in S3', () => {
  it('uploads to the bucket under the prefix, downloads and deletes through the API', async () => {
    const env = {
      STORAGE_URL: 's3://city-docs/testbed/documents',
      S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-central-1',
    }
    const t = await testApp({ env })
    const owner = await makeUser(t.db, 'company')
    const pilot = await makePilot(t.db, owner.organisationId as string)
    const form = new FormData()
    form.set('kind', 'permit')
    form.set('title', 'Street works permit')
    form.set('validUntil', '2099-06-30')
    form.set('file', new File([pdf], 'permit.pdf'))
    const res = await t.app.request(`/api/pilots/${pilot.id}/documents`, {
      method: 'POST',
      headers: owner.headers,
      body: form,
    })
    expect(res.status).toBe(201)
    const created = await json(res)
    const stored = objects.get(`city-docs/testbed/documents/${pilot.id}/${created.id}`)
    expect(stored?.body.equals(Buffer.from(pdf))).toBe(true)
    expect(stored?.type).toBe('application/pdf')

    const file = await t.app.request(`/api/documents/${created.id}/file`, { headers: owner.headers })
    expect(file.status).toBe(200)
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf)

    const gone = await t.app.request(`/api/documents/${created.id}`, {
      method: 'DELETE',
      headers: owner.headers,
    })
    expect(gone.status).toBe(204)
    expect(objects.has(`city-docs/testbed/documents/${pilot.id}/${created.id}`)).toBe(false)
    expect(refused).toEqual([])
  })

  it('lists objects older than a time, under its prefix only', async () => {
    const store = s3Store({
      bucket: 'list-docs',
      prefix: 'p',
      endpoint,
      region: 'us-east-1',
      accessKeyId,
      secretAccessKey: 'secret',
    })
    await store.put('a/1', pdf, 'application/pdf')
    await store.put('a/2', pdf, 'application/pdf')
    objects.set('list-docs/other/3', {
      body: Buffer.from(pdf),
      type: 'application/pdf',
      modified: new Date(0),
    })
    const old = objects.get('list-docs/p/a/2')
    if (old) old.modified = new Date('2100-01-01T00:00:00Z')
    expect((await store.listOlderThan(new Date('2050-01-01T00:00:00Z'))).sort()).toEqual(['a/1'])
    expect(await store.get('a/404')).toBeUndefined()
  })

  it('refuses a STORAGE_URL without credentials, or not s3://, in one line naming it', () => {
    expect(() => parseConfig({ STORAGE_URL: 's3://docs' })).toThrow(/STORAGE_URL: .*AWS_ACCESS_KEY_ID/)
    expect(() => parseConfig({ STORAGE_URL: 'ftp://docs' })).toThrow(/STORAGE_URL: must be s3:\/\/bucket/)
    const config = parseConfig({
      STORAGE_URL: 's3://docs/a/b',
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
    })
    expect(config.documentStorage).toMatchObject({
      bucket: 'docs',
      prefix: 'a/b',
      endpoint: 'https://s3.us-east-1.amazonaws.com',
    })
  })
})
