import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sweepOrphanDocuments } from '../../api/services/documents.ts'
import { documentStoreFor } from '../../api/storage/index.ts'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, fromNow, testNow } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'testbed-documents-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

/** Small but real files of each accepted type, and an executable. */
const pdf = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
)
const png = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
)
const jpeg = Uint8Array.from([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  0x4a,
  0x46,
  0x49,
  0x46,
  0x00,
  0x01,
  0x01,
  0x00,
  0x00,
  0x01,
  0x00,
  0x01,
  0x00,
  0x00,
  0xff,
  0xdb,
  0x00,
  0x43,
  0x00,
  ...new Array(64).fill(1),
  0xff,
  0xd9,
])
const elf = Uint8Array.from([
  0x7f,
  0x45,
  0x4c,
  0x46,
  0x02,
  0x01,
  0x01,
  0x00,
  ...new Array(8).fill(0),
  0x02,
  0x00,
  0x3e,
  0x00,
  0x01,
  0x00,
  0x00,
  0x00,
  ...new Array(200).fill(0),
])

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function world() {
  const t = await testApp({ env: { DATA_DIR: dataDir } })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id })
  const facility = await makeFacility(t.db, { areaId: area.id })
  const owner = await makeUser(t.db, 'company')
  const colleague = await makeUser(t.db, 'company', { organisationId: owner.organisationId as string })
  const rival = await makeUser(t.db, 'company')
  const official = await makeUser(t.db, 'official', { departmentId: department.id })
  const otherOfficial = await makeUser(t.db, 'official')
  const admin = await makeUser(t.db, 'admin')
  const pilot = await makePilot(t.db, owner.organisationId as string)
  const start = fromNow(20 * day)
  await makeBooking(t.db, {
    pilotId: pilot.id,
    facilityId: facility.id,
    start,
    end: new Date(start.getTime() + 3600_000),
    departmentIds: [department.id],
  })
  const upload = async (
    user: TestUser | null,
    file: { bytes: Uint8Array; name: string; type?: string },
    fields: Record<string, string> = {
      kind: 'insurance',
      title: 'Liability insurance',
      validUntil: '2099-12-31',
    },
    pilotId = pilot.id,
  ) => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) form.set(name, value)
    form.set(
      'file',
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? 'application/pdf' }),
    )
    return t.app.request(`/api/pilots/${pilotId}/documents`, {
      method: 'POST',
      headers: user?.headers ?? {},
      body: form,
    })
  }
  const get = (user: TestUser | null, path: string, headers: Record<string, string> = {}) =>
    t.app.request(`/api${path}`, { headers: { ...user?.headers, ...headers } })
  const remove = (user: TestUser | null, id: string) =>
    t.app.request(`/api/documents/${id}`, { method: 'DELETE', headers: user?.headers ?? {} })
  return { ...t, owner, colleague, rival, official, otherOfficial, admin, pilot, upload, get, remove }
}

describe('documents: happy paths', () => {
  it('accepts a real PDF, PNG and JPEG, judged by content, with size and SHA-256', async () => {
    const w = await world()
    const cases = [
      { bytes: pdf, name: 'policy.pdf', type: 'application/pdf' },
      // Named and labelled wrongly: the content decides.
      { bytes: png, name: 'scan.pdf', type: 'application/pdf' },
      { bytes: jpeg, name: 'photo', type: 'application/octet-stream' },
    ]
    const expected = ['application/pdf', 'image/png', 'image/jpeg']
    for (const [i, file] of cases.entries()) {
      const res = await w.upload(w.owner, file)
      expect(res.status).toBe(201)
      const body = await json(res)
      expect(body).toMatchObject({
        pilotId: w.pilot.id,
        kind: 'insurance',
        title: 'Liability insurance',
        validUntil: '2099-12-31',
        fileName: file.name,
        size: file.bytes.byteLength,
        contentType: expected[i],
        sha256: sha256(file.bytes),
      })
      expect(body.uploadedAt).toBe(testNow.toISOString())
    }
    const list = await json(await w.get(w.colleague, `/pilots/${w.pilot.id}/documents`))
    expect(list.items).toHaveLength(3)
    expect(list.nextCursor).toBeNull()
  })

  it('downloads the exact bytes with nosniff and an RFC 5987 file name', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: 'Страховой полис "2027".pdf' }))
    expect(created.fileName).toBe('Страховой полис 2027.pdf')
    const res = await w.get(w.owner, `/documents/${created.id}/file`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const disposition = res.headers.get('content-disposition') ?? ''
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/)
    const encoded = disposition.split("filename*=UTF-8''")[1] ?? ''
    expect(decodeURIComponent(encoded)).toBe('Страховой полис 2027.pdf')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(sha256(bytes)).toBe(created.sha256)
  })

  it('lets an admin and an official of a department on its bookings read, and records the upload', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: png, name: 'plan.png' }))
    for (const reader of [w.admin, w.official]) {
      expect((await w.get(reader, `/pilots/${w.pilot.id}/documents`)).status).toBe(200)
      expect((await w.get(reader, `/documents/${created.id}/file`)).status).toBe(200)
    }
    const event = await w.db
      .selectFrom('events')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', w.pilot.id)
      .where('action', '=', 'document.uploaded')
      .executeTakeFirstOrThrow()
    expect(event.actor_id).toBe(w.owner.id)
  })

  it('deletes the row and the file', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }))
    const row = await w.db
      .selectFrom('documents')
      .select('storage_key')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    const path = join(dataDir, 'documents', row.storage_key)
    expect(existsSync(path)).toBe(true)
    expect((await w.remove(w.owner, created.id)).status).toBe(204)
    expect(existsSync(path)).toBe(false)
    expect((await w.get(w.owner, `/documents/${created.id}/file`)).status).toBe(404)
  })

  it("answers 410 file_missing, in the reader's language, when the stored file is gone", async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: 'lost.pdf' }))
    const row = await w.db
      .selectFrom('documents')
      .select('storage_key')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    rmSync(join(dataDir, 'documents', row.storage_key))
    const res = await w.get(w.owner, `/documents/${created.id}/file`, { 'accept-language': 'ru' })
    expect(res.status).toBe(410)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await res.json()).toMatchObject({
      code: 'file_missing',
      detail: expect.stringMatching(/загрузить снова/),
    })
    // The document stays listed: its owner sees what to upload again.
    const list = await json(await w.get(w.owner, `/pilots/${w.pilot.id}/documents`))
    expect(list.items.map((d: { id: string }) => d.id)).toContain(created.id)
  })

  it("keeps 'other' without a date", async () => {
    const w = await world()
    const res = await w.upload(w.owner, { bytes: pdf, name: 'x.pdf' }, { kind: 'other', title: 'Letter' })
    expect(res.status).toBe(201)
    expect((await json(res)).validUntil).toBeNull()
  })
})

describe('documents: errors', () => {
  it('refuses a renamed executable with 415, in the caller’s language, and stores nothing', async () => {
    const w = await world()
    const before = await w.db
      .selectFrom('documents')
      .select(w.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const res = await w.upload(
      { ...w.owner, headers: { ...w.owner.headers, 'accept-language': 'ru' } },
      {
        bytes: elf,
        name: 'insurance.pdf',
        type: 'application/pdf',
      },
    )
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
    const problem = await json(res)
    expect(problem.code).toBe('unsupported_media_type')
    expect(problem.detail).toMatch(/PDF/)
    expect(res.headers.get('content-language')).toBe('ru')
    const after = await w.db
      .selectFrom('documents')
      .select(w.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('refuses text and an empty file with 415', async () => {
    const w = await world()
    const text = new TextEncoder().encode('just some words, not a PDF at all')
    expect((await w.upload(w.owner, { bytes: text, name: 'a.pdf' })).status).toBe(415)
    expect((await w.upload(w.owner, { bytes: new Uint8Array(0), name: 'a.pdf' })).status).toBe(415)
  })

  it('refuses a file of 10 MiB + 1 byte with 413, and accepts exactly 10 MiB', async () => {
    const w = await world()
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(pdf)
    const over = await w.upload(w.owner, { bytes: big, name: 'big.pdf' })
    expect(over.status).toBe(413)
    expect((await json(over)).code).toBe('payload_too_large')
    const exact = await w.upload(w.owner, { bytes: big.subarray(0, 10 * 1024 * 1024), name: 'exact.pdf' })
    expect(exact.status).toBe(201)
  })

  it('refuses a body declared over the limit before reading it, and one that streams past it', async () => {
    const w = await world()
    const boundary = 'x-boundary'
    const headers = { ...w.owner.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }
    const declared = await w.app.request(`/api/pilots/${w.pilot.id}/documents`, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(2 * 1024 ** 3) },
      body: 'never read',
    })
    expect(declared.status).toBe(413)
    // No Content-Length: a stream that would go on for 2 GB is cut off at the limit.
    let sent = 0
    const chunk = new Uint8Array(64 * 1024)
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-`,
          ),
        )
      },
      pull(controller) {
        if (sent > 2 * 1024 ** 3) controller.close()
        else {
          sent += chunk.byteLength
          controller.enqueue(chunk)
        }
      },
    })
    const streamed = await w.app.request(`/api/pilots/${w.pilot.id}/documents`, {
      method: 'POST',
      headers,
      body: endless,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(sent).toBeLessThan(12 * 1024 * 1024)
  })

  it('answers 400 for missing or wrong fields and 415 for a body that is not multipart', async () => {
    const w = await world()
    const noDate = await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }, { kind: 'permit', title: 'Permit' })
    expect(noDate.status).toBe(400)
    expect((await json(noDate)).errors[0].path).toBe('validUntil')
    const badKind = await w.upload(
      w.owner,
      { bytes: pdf, name: 'a.pdf' },
      { kind: 'poem', title: 'x', validUntil: '2099-01-01' },
    )
    expect(badKind.status).toBe(400)
    const badDate = await w.upload(
      w.owner,
      { bytes: pdf, name: 'a.pdf' },
      { kind: 'permit', title: 'x', validUntil: '2099-02-30' },
    )
    expect(badDate.status).toBe(400)
    const nul = await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }, { kind: 'other', title: 'a\u0000b' })
    expect(nul.status).toBe(400)
    const form = new FormData()
    form.set('kind', 'other')
    form.set('title', 'No file')
    const noFile = await w.app.request(`/api/pilots/${w.pilot.id}/documents`, {
      method: 'POST',
      headers: w.owner.headers,
      body: form,
    })
    expect(noFile.status).toBe(400)
    const asJson = await w.app.request(`/api/pilots/${w.pilot.id}/documents`, {
      method: 'POST',
      headers: { ...w.owner.headers, 'content-type': 'application/json' },
      body: '{"kind":"other"}',
    })
    expect(asJson.status).toBe(415)
    const badId = await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }, undefined, 'not-a-uuid')
    expect(badId.status).toBe(400)
  })
})

describe('documents: security', () => {
  it('hides another company’s documents (404) and never shows them to the public (401)', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }))
    for (const stranger of [w.rival, w.otherOfficial]) {
      expect((await w.get(stranger, `/pilots/${w.pilot.id}/documents`)).status).toBe(404)
      expect((await w.get(stranger, `/documents/${created.id}/file`)).status).toBe(404)
      expect((await w.remove(stranger, created.id)).status).toBe(404)
      expect((await w.upload(stranger, { bytes: pdf, name: 'b.pdf' })).status).toBe(404)
    }
    expect((await w.get(null, `/pilots/${w.pilot.id}/documents`)).status).toBe(401)
    expect((await w.get(null, `/documents/${created.id}/file`)).status).toBe(401)
    expect((await w.upload(null, { bytes: pdf, name: 'b.pdf' })).status).toBe(401)
  })

  it('lets officials read but not upload or delete; admins delete but do not upload', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: 'a.pdf' }))
    expect((await w.upload(w.official, { bytes: pdf, name: 'b.pdf' })).status).toBe(403)
    expect((await w.remove(w.official, created.id)).status).toBe(403)
    expect((await w.upload(w.admin, { bytes: pdf, name: 'b.pdf' })).status).toBe(403)
    expect((await w.remove(w.admin, created.id)).status).toBe(204)
  })

  it('sanitises path tricks out of file names', async () => {
    const w = await world()
    const created = await json(await w.upload(w.owner, { bytes: pdf, name: '../../etc/passwd\r\n.pdf' }))
    expect(created.fileName).toBe('passwd.pdf')
  })
})

describe('documents: orphan sweep', () => {
  it('deletes stored files older than an hour that no row points at, keeps the rest', async () => {
    const w = await world()
    const kept = await json(await w.upload(w.owner, { bytes: pdf, name: 'kept.pdf' }))
    const keptKey = `${w.pilot.id}/${kept.id}`
    const folder = join(dataDir, 'documents', w.pilot.id)
    const orphan = join(folder, crypto.randomUUID())
    const fresh = join(folder, crypto.randomUUID())
    const half = join(folder, `.tmp-${crypto.randomUUID()}.0badf00d`)
    for (const path of [orphan, fresh, half]) writeFileSync(path, pdf)
    // File times set from the suite's clock, not today's: the sweep compares them with its `now`.
    const old = (testNow.getTime() - 2 * 3600_000) / 1000
    const recent = (testNow.getTime() - 10 * 60_000) / 1000
    for (const path of [orphan, half, join(dataDir, 'documents', keptKey)]) utimesSync(path, old, old)
    utimesSync(fresh, recent, recent)
    const store = documentStoreFor({ dataDir, documentStorage: undefined })
    const swept = await sweepOrphanDocuments(w.db, store, testNow)
    expect(swept).toBeGreaterThanOrEqual(2)
    const left = readdirSync(folder)
    expect(left).toContain(kept.id)
    expect(left).toContain(fresh.split('/').pop())
    expect(left).not.toContain(orphan.split('/').pop())
    expect(left).not.toContain(half.split('/').pop())
  })
})
