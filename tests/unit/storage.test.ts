/**
 * The file store under DATA_DIR/documents (api/storage/file.ts) and the pure rules of what a
 * document may be and how its name travels (api/domain/file-types.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  contentDisposition,
  downloadName,
  sanitiseFileName,
  sniffDocumentType,
} from '../../api/domain/file-types.ts'
import { fileStore } from '../../api/storage/file.ts'
import { documentKey, sha256Hex } from '../../api/storage/store.ts'

const root = mkdtempSync(join(tmpdir(), 'testbed-store-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const pilot = '6f1d7c1e-8a7b-4f1e-9a55-1b2c3d4e5f60'
const id = () => crypto.randomUUID()

describe('file store', () => {
  it('stores whole files under <pilot>/<document>, leaving no temporary file, mode 0600', async () => {
    const store = fileStore(root)
    const key = documentKey(pilot, id())
    const bytes = new TextEncoder().encode('%PDF-1.4 stored')
    await store.put(key, bytes, 'application/pdf')
    expect(new Uint8Array(readFileSync(join(root, key)))).toEqual(bytes)
    expect(readdirSync(join(root, pilot)).filter((n) => n.startsWith('.tmp-'))).toEqual([])
    expect(statSync(join(root, key)).mode & 0o777).toBe(0o600)
    const got = await store.get(key)
    expect(got?.size).toBe(bytes.byteLength)
    expect(new Uint8Array(await new Response(got?.body).arrayBuffer())).toEqual(bytes)
  })

  it('answers undefined for a missing key and deletes idempotently', async () => {
    const store = fileStore(root)
    const key = documentKey(pilot, id())
    expect(await store.get(key)).toBeUndefined()
    await store.put(key, new Uint8Array([1, 2, 3]), 'image/png')
    await store.delete(key)
    await store.delete(key)
    expect(await store.get(key)).toBeUndefined()
  })

  it('refuses keys that are not <uuid>/<uuid>: nothing outside its folder is touched', async () => {
    const store = fileStore(root)
    for (const key of ['../escape', `${pilot}/../../x`, '/etc/passwd', `${pilot}/name.pdf`]) {
      await expect(store.put(key, new Uint8Array(1), 'application/pdf')).rejects.toThrow(/not a document key/)
    }
  })

  it('lists files and temporary leftovers older than a time, nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'testbed-store-list-'))
    try {
      const store = fileStore(dir)
      const old = documentKey(pilot, id())
      const recent = documentKey(pilot, id())
      await store.put(old, new Uint8Array(1), 'application/pdf')
      await store.put(recent, new Uint8Array(1), 'application/pdf')
      const at = Date.parse('2030-01-01T00:00:00Z')
      utimesSync(join(dir, old), at / 1000 - 7200, at / 1000 - 7200)
      utimesSync(join(dir, recent), at / 1000, at / 1000)
      expect(await store.listOlderThan(new Date(at - 3600_000))).toEqual([old])
      expect(await fileStore(join(dir, 'none')).listOlderThan(new Date(at))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('hashes with SHA-256 in hex', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})

describe('document types, by content', () => {
  const cases: [string, number[], string | undefined][] = [
    ['PDF', [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a], 'application/pdf'],
    [
      'PNG',
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
      'image/png',
    ],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0], 'image/jpeg'],
    ['ELF', [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0], undefined],
    ['ZIP', [0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0], undefined],
    ['GIF', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0], undefined],
    ['text', [...new TextEncoder().encode('hello, world')], undefined],
    ['empty', [], undefined],
  ]
  for (const [name, bytes, type] of cases) {
    it(`${name} → ${type ?? 'refused'}`, async () => {
      const padded = new Uint8Array(Math.max(bytes.length, bytes.length ? 64 : 0))
      padded.set(bytes)
      expect(await sniffDocumentType(padded)).toBe(type)
    })
  }
})

describe('file names', () => {
  const names: [string, string][] = [
    ['policy.pdf', 'policy.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\scan.png', 'scan.png'],
    ['a\u0000b\r\n.pdf', 'ab.pdf'],
    ['evil"; filename=x.exe', 'evil filename=x.exe'],
    ['\u202egnp.exe', 'gnp.exe'],
    ['...', 'document'],
    ['', 'document'],
    ['Страховой  полис.pdf', 'Страховой полис.pdf'],
  ]
  for (const [given, kept] of names) {
    it(`${JSON.stringify(given)} → ${JSON.stringify(kept)}`, () => expect(sanitiseFileName(given)).toBe(kept))
  }

  it('keeps the end of a long name, with its extension', () => {
    const kept = sanitiseFileName(`${'x'.repeat(500)}.pdf`)
    expect(Array.from(kept)).toHaveLength(200)
    expect(kept.endsWith('.pdf')).toBe(true)
  })

  it('adds the real type’s extension to a download name that lacks it', () => {
    expect(downloadName('scan', 'image/png')).toBe('scan.png')
    expect(downloadName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG')
    expect(downloadName('report.pdf', 'application/pdf')).toBe('report.pdf')
    expect(downloadName('report.pdf', 'image/png')).toBe('report.pdf.png')
  })

  it('writes Content-Disposition with an ASCII fallback and RFC 5987 UTF-8', () => {
    expect(contentDisposition('plan.pdf')).toBe(`attachment; filename="plan.pdf"; filename*=UTF-8''plan.pdf`)
    const header = contentDisposition("Полис (2027) 'a'.pdf")
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/)
    expect(decodeURIComponent(header.split("UTF-8''")[1] ?? '')).toBe("Полис (2027) 'a'.pdf")
  })
})
