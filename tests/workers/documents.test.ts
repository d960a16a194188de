import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestHarness, type TestHarness } from 'wrangler'

const databaseUrl = process.env.DATABASE_URL

/** A small real PDF, and an executable named like one. */
const pdf = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
)
const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, ...new Array(120).fill(0)])

describe.runIf(databaseUrl)('documents inside workerd, in the R2 binding DOCUMENTS', () => {
  let server: TestHarness
  let headers: Record<string, string>
  let pilotId: string

  beforeAll(async () => {
    const url = new URL(databaseUrl as string)
    if (!url.password) url.password = 'local-dev'
    process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = url.toString()
    process.env.WRANGLER_SEND_METRICS = 'false'
    server = createTestHarness({ workers: [{ configPath: './wrangler.toml' }] })
    await server.listen()
    const login = await server.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'company@example.org', password: 'testbed-demo' }),
    })
    expect(login.status).toBe(200)
    headers = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` }
    const pilot = await server.fetch('/api/pilots', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Documents in R2',
        summary: 'A pilot whose documents live in R2.',
        category: 'lighting',
        publicDescription: 'Testing documents on Workers.',
        dataCollected: 'None.',
        contactEmail: 'r2@example.org',
      }),
    })
    expect(pilot.status).toBe(201)
    pilotId = ((await pilot.json()) as { id: string }).id
  })

  afterAll(async () => {
    await server?.close()
  })

  const upload = async (bytes: Uint8Array, name: string) => {
    const form = new FormData()
    form.set('kind', 'insurance')
    form.set('title', 'Liability insurance')
    form.set('validUntil', '2099-12-31')
    form.set('file', new File([bytes as Uint8Array<ArrayBuffer>], name))
    // Encoded here: the harness's fetch would send a FormData as text.
    const encoded = new Request('http://localhost/', { method: 'POST', body: form })
    const type = encoded.headers.get('content-type') as string
    const body = new Uint8Array(await encoded.arrayBuffer())
    return server.fetch(`/api/pilots/${pilotId}/documents`, {
      method: 'POST',
      headers: { ...headers, 'content-type': type },
      body,
    })
  }

  it('uploads a PDF, downloads the same bytes, deletes it', async () => {
    const res = await upload(pdf, 'Полис.pdf')
    expect(res.status, await res.clone().text()).toBe(201)
    const created = (await res.json()) as { id: string; sha256: string; contentType: string; size: number }
    expect(created.contentType).toBe('application/pdf')
    expect(created.size).toBe(pdf.byteLength)
    expect(created.sha256).toBe(createHash('sha256').update(pdf).digest('hex'))

    const file = await server.fetch(`/api/documents/${created.id}/file`, { headers })
    expect(file.status).toBe(200)
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    expect(file.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''%D0%9F%D0%BE%D0%BB%D0%B8%D1%81.pdf",
    )
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf)

    const gone = await server.fetch(`/api/documents/${created.id}`, { method: 'DELETE', headers })
    expect(gone.status).toBe(204)
    expect((await server.fetch(`/api/documents/${created.id}/file`, { headers })).status).toBe(404)
  })

  it('refuses an executable named .pdf (415) and a body over 10 MiB (413)', async () => {
    expect((await upload(elf, 'policy.pdf')).status).toBe(415)
    const big = new Uint8Array(10 * 1024 * 1024 + 1)
    big.set(pdf)
    expect((await upload(big, 'big.pdf')).status).toBe(413)
  })
})
