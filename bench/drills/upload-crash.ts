/**
 * Drill: document uploads (issue 19) against the real server (`node api/server.ts`, embedded PGlite
 * in a temporary DATA_DIR, or a fresh PostgreSQL database with --postgres):
 *  1. memory: a 256 MiB body streamed without Content-Length, and one declared at 2 GiB, must each
 *     answer 413 while the server's RSS stays flat (the body is never held);
 *  2. throughput: 10 MiB PDFs uploaded one after another (MiB/s, the median of the runs);
 *  3. crash: slow and fast uploads in flight, the server killed with SIGKILL; after a restart every
 *     document row must have its file, whole (its SHA-256 matches), and files without a row (the
 *     uploads cut between storing and committing) are counted: the maintenance run sweeps them.
 *
 * `node bench/drills/upload-crash.ts [--quick] [--postgres]`
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { newPilot, signInDemoCompany } from './lib/demo-api.ts'
import { freshPostgres, type ServerProcess, startServer, untilReady } from './lib/server-process.ts'

const mebibyte = 1024 * 1024
const boundary = 'drill-boundary-7d1f'

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/** A PDF of `size` bytes: a real header, then filler. */
function pdfOf(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set(new TextEncoder().encode('%PDF-1.4\n'))
  for (let i = 9; i < size; i += 4096) bytes[i] = (seed + i) & 0xff
  return bytes
}

function formHead(name: string) {
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nDrill ${name}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  )
}
const formTail = Buffer.from(`\r\n--${boundary}--\r\n`)

type Sent = { status: number; body: string } | { error: string }

/**
 * POSTs a multipart upload, its file given as chunks written `delayMs` apart; without
 * `contentLength` the body goes chunked. Stops writing once the server has answered.
 */
function upload(
  base: string,
  path: string,
  token: string,
  parts: {
    head: Buffer
    chunks: () => Iterator<Uint8Array>
    tail: Buffer
    contentLength?: number
    delayMs?: number
  },
): Promise<Sent> {
  return new Promise((resolve) => {
    const url = new URL(path, base)
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    }
    if (parts.contentLength !== undefined) headers['content-length'] = parts.contentLength
    let answered = false
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true
      let body = ''
      res.on('data', (c) => {
        body += c
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', (e) => resolve({ error: e.message }))
    })
    req.on('error', (e) => {
      if (!answered) resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message })
    })
    const chunks = parts.chunks()
    req.write(parts.head)
    const next = () => {
      if (answered || req.destroyed) return
      const item = chunks.next()
      if (item.done) {
        req.end(parts.tail)
        return
      }
      const flushed = req.write(item.value)
      const go = () => (parts.delayMs ? setTimeout(next, parts.delayMs) : setImmediate(next))
      if (flushed) go()
      else req.once('drain', go)
    }
    next()
  })
}

function* slices(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size)
}

function* zeros(total: number, size = mebibyte) {
  const chunk = new Uint8Array(size)
  for (let sent = 0; sent < total; sent += size) yield chunk
}

async function memoryStep(server: ServerProcess, base: string, path: string, token: string, quick: boolean) {
  const pid = server.child.pid as number
  const before = rssMb(pid)
  let peak = before
  const poll = setInterval(() => {
    peak = Math.max(peak, rssMb(pid))
  }, 20)
  const total = (quick ? 256 : 1024) * mebibyte
  const started = performance.now()
  const streamed = await upload(base, path, token, {
    head: formHead('huge'),
    chunks: () => zeros(total),
    tail: formTail,
  })
  const streamedMs = Math.round(performance.now() - started)
  const declared = await upload(base, path, token, {
    head: formHead('declared'),
    chunks: () => zeros(total),
    tail: formTail,
    contentLength: 2 * 1024 * mebibyte,
  })
  clearInterval(poll)
  const after = rssMb(pid)
  return { before, peak, after, total, streamed, streamedMs, declared }
}

async function throughputStep(base: string, path: string, token: string, runs: number) {
  const file = pdfOf(10 * mebibyte, 1)
  const body = Buffer.concat([formHead('ten'), file, formTail])
  const rates: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      body,
    })
    await res.text()
    if (res.status !== 201) throw new Error(`a 10 MiB upload answered ${res.status}`)
    rates.push(10 / ((performance.now() - started) / 1000))
  }
  rates.sort((a, b) => a - b)
  return Math.round((rates[Math.floor(rates.length / 2)] ?? 0) * 10) / 10
}

/** Uploads in flight (slow ones trickling, fast ones back to back) when the server is killed. */
async function crashStep(server: ServerProcess, base: string, path: string, token: string) {
  const answers: Promise<Sent>[] = []
  let stop = false
  const file = pdfOf(4 * mebibyte, 2)
  for (let i = 0; i < 4; i++) {
    answers.push(
      upload(base, path, token, {
        head: formHead(`slow-${i}`),
        chunks: () => slices(pdfOf(2 * mebibyte, 10 + i), 64 * 1024),
        tail: formTail,
        delayMs: 30,
      }),
    )
  }
  const fast = (async () => {
    let n = 0
    while (!stop) {
      const sent = await upload(base, path, token, {
        head: formHead(`fast-${n++}`),
        chunks: () => slices(file, mebibyte),
        tail: formTail,
      })
      if ('error' in sent) return n
    }
    return n
  })()
  await new Promise((resolve) => setTimeout(resolve, 700 + Math.random() * 600))
  server.child.kill('SIGKILL')
  await server.exited
  stop = true
  const settled = await Promise.all(answers)
  const fastCount = await fast
  const acknowledged = settled.filter((s) => 'status' in s && s.status === 201).length
  return { acknowledgedSlow: acknowledged, fastStarted: fastCount }
}

async function drill(database: 'pglite' | 'postgres', quick: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-upload-'))
  const pg = database === 'postgres' ? freshPostgres(`drill_upload_${process.pid}`) : undefined
  const env = { DATA_DIR: dir, SEED_DEMO: '1', DATABASE_URL: pg?.url ?? '' }
  const servers: ServerProcess[] = []
  const failures: string[] = []
  const figures: Record<string, number | string> = {}
  const f = (name: string, value: number | string) => {
    figures[`${database}.${name}`] = value
  }
  try {
    const first = startServer(env)
    servers.push(first)
    if (!(await untilReady(first))) throw new Error(`the server did not start:\n${first.output()}`)
    const base = `http://127.0.0.1:${first.port}`
    const token = await signInDemoCompany(base)
    const pilotId = await newPilot(
      base,
      token,
      'Upload drill',
      'Documents uploaded while the server is killed.',
    )
    const path = `/api/pilots/${pilotId}/documents`

    const memory = await memoryStep(first, base, path, token, quick)
    f('streamedBodyMiB', memory.total / mebibyte)
    f('streamedAnswer', 'status' in memory.streamed ? memory.streamed.status : memory.streamed.error)
    f('streamedAnswerMs', memory.streamedMs)
    f('declared2GiBAnswer', 'status' in memory.declared ? memory.declared.status : memory.declared.error)
    f('rssBeforeMiB', memory.before)
    f('rssPeakMiB', memory.peak)
    f('rssAfterMiB', memory.after)
    if (!('status' in memory.streamed) || memory.streamed.status !== 413)
      failures.push(
        `${database}: a streamed oversized body answered ${JSON.stringify(memory.streamed)}, not 413`,
      )
    if (!('status' in memory.declared) || memory.declared.status !== 413)
      failures.push(
        `${database}: a body declared at 2 GiB answered ${JSON.stringify(memory.declared)}, not 413`,
      )
    if (memory.peak - memory.before > 100)
      failures.push(`${database}: RSS grew by ${memory.peak - memory.before} MiB during an oversized upload`)

    f('uploadMiBps10MiB', await throughputStep(base, path, token, quick ? 5 : 10))

    const crash = await crashStep(first, base, path, token)
    f('crashAcknowledgedSlow', crash.acknowledgedSlow)
    f('crashFastUploadsStarted', crash.fastStarted)

    const second = startServer(env)
    servers.push(second)
    if (!(await untilReady(second))) throw new Error(`the server did not start again:\n${second.output()}`)
    const base2 = `http://127.0.0.1:${second.port}`
    const list = (await (
      await fetch(`${base2}${path}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as {
      items: { id: string; sha256: string }[]
    }
    let missing = 0
    for (const doc of list.items) {
      const res = await fetch(`${base2}/api/documents/${doc.id}/file`, {
        headers: { authorization: `Bearer ${token}` },
      })
      const bytes = new Uint8Array(await res.arrayBuffer())
      if (res.status !== 200 || createHash('sha256').update(bytes).digest('hex') !== doc.sha256) missing++
    }
    f('rowsAfterRestart', list.items.length)
    f('rowsWithoutWholeFile', missing)
    if (missing > 0)
      failures.push(`${database}: ${missing} document rows lack their whole file after SIGKILL`)
    {
      const folder = join(dir, 'documents', pilotId)
      const names = readdirSync(folder)
      const ids = new Set(list.items.map((d) => d.id))
      f('orphanFilesLeft', names.filter((n) => !n.startsWith('.tmp-') && !ids.has(n)).length)
      f('tempFilesLeft', names.filter((n) => n.startsWith('.tmp-')).length)
    }
    await second.stop()
  } finally {
    for (const server of servers) await server.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    pg?.drop()
  }
  return { figures, failures }
}

export async function run(options: { quick: boolean; postgres?: boolean }) {
  const databases: ('pglite' | 'postgres')[] =
    options.quick && !options.postgres ? ['pglite'] : options.postgres ? ['postgres'] : ['pglite', 'postgres']
  const figures: Record<string, number | string> = {}
  const failures: string[] = []
  for (const database of databases) {
    try {
      const result = await drill(database, options.quick)
      Object.assign(figures, result.figures)
      failures.push(...result.failures)
    } catch (error) {
      failures.push(`${database}: ${(error as Error).message}`)
    }
  }
  return { name: 'upload-crash', ok: failures.length === 0, figures, failures }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({
    quick: process.argv.includes('--quick'),
    postgres: process.argv.includes('--postgres'),
  })
  console.log(JSON.stringify(result.figures, null, 2))
  for (const failure of result.failures) console.log(`FAILED: ${failure}`)
  process.exit(result.ok ? 0 : 1)
}
