/**
 * Documents in an S3-compatible bucket (STORAGE_URL=s3://bucket/prefix), signed with AWS
 * Signature V4 by aws4fetch, which runs on Node and on Workers alike. Path-style addresses
 * (`<endpoint>/<bucket>/<key>`), so MinIO, Ceph and other stand-ins work as AWS does.
 */
import { AwsClient } from 'aws4fetch'
import type { S3Storage } from '../lib/config.ts'
import { type DocumentStore, type StoredFile, sha256Hex } from './store.ts'

function xmlValues(xml: string, tag: string): string[] {
  const values: string[] = []
  for (const match of xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))) {
    values.push(
      (match[1] ?? '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    )
  }
  return values
}

async function failure(what: string, res: Response): Promise<Error> {
  const text = await res.text().catch(() => '')
  return new Error(`S3 ${what}: ${res.status} ${text.slice(0, 200)}`)
}

/**
 * A store in an S3-compatible bucket.
 *
 * @example
 * const store = s3Store({ bucket: 'docs', prefix: 'testbed', endpoint: 'http://127.0.0.1:9000', … })
 */
export function s3Store(settings: S3Storage): DocumentStore {
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    region: settings.region,
    service: 's3',
  })
  const base = `${settings.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(settings.bucket)}`
  const prefix = settings.prefix === '' ? '' : `${settings.prefix}/`
  const objectUrl = (key: string) => `${base}/${(prefix + key).split('/').map(encodeURIComponent).join('/')}`

  return {
    kind: 's3',
    async put(key, bytes, contentType) {
      const res = await client.fetch(objectUrl(key), {
        method: 'PUT',
        body: bytes as Uint8Array<ArrayBuffer>,
        // The payload's hash is signed too: S3 refuses a body that arrives other than it was sent.
        headers: { 'content-type': contentType, 'x-amz-content-sha256': await sha256Hex(bytes) },
      })
      if (!res.ok) throw await failure('put', res)
      await res.body?.cancel()
    },
    async get(key): Promise<StoredFile | undefined> {
      const res = await client.fetch(objectUrl(key))
      if (res.status === 404) {
        await res.body?.cancel()
        return undefined
      }
      if (!res.ok || !res.body) throw await failure('get', res)
      return { body: res.body, size: Number(res.headers.get('content-length') ?? 0) }
    },
    async delete(key) {
      const res = await client.fetch(objectUrl(key), { method: 'DELETE' })
      if (!res.ok && res.status !== 404) throw await failure('delete', res)
      await res.body?.cancel()
    },
    async listOlderThan(before) {
      const keys: string[] = []
      let token: string | undefined
      do {
        const query = new URLSearchParams({ 'list-type': '2', prefix })
        if (token) query.set('continuation-token', token)
        const res = await client.fetch(`${base}?${query}`)
        if (!res.ok) throw await failure('list', res)
        const xml = await res.text()
        for (const item of xmlValues(xml, 'Contents')) {
          const key = xmlValues(item, 'Key')[0]
          const modified = Date.parse(xmlValues(item, 'LastModified')[0] ?? '')
          if (key?.startsWith(prefix) && modified < before.getTime()) keys.push(key.slice(prefix.length))
        }
        token =
          xmlValues(xml, 'IsTruncated')[0] === 'true' ? xmlValues(xml, 'NextContinuationToken')[0] : undefined
      } while (token)
      return keys
    },
  }
}
