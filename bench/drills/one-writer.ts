/**
 * Drill: one writer per data folder (embedded PGlite). A second server on the same DATA_DIR must
 * refuse within 5 s with one line naming the folder and the first process, while the first keeps
 * serving and loses nothing; the command-line tool is refused too. After kill -9, the stale lock
 * does not block: of two servers started at the same instant, exactly one takes it over.
 *
 * `node bench/drills/one-writer.ts [--quick]`
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { postPilot, signInDemoCompany } from './lib/demo-api.ts'
import { root, type ServerProcess, startServer, untilReady } from './lib/server-process.ts'

async function createPilot(base: string, token: string, n: number): Promise<string | undefined> {
  return (
    await postPilot(
      base,
      token,
      `One-writer drill ${n}`,
      'Written while a second server tries the same folder.',
    )
  ).id
}

export async function run(options: { quick: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-one-writer-'))
  const env = { DATA_DIR: dir, SEED_DEMO: '1' }
  const servers: ServerProcess[] = []
  const figures: Record<string, number | string> = {}
  const failures: string[] = []
  const start = () => {
    const server = startServer(env)
    servers.push(server)
    return server
  }
  try {
    const first = start()
    if (!(await untilReady(first))) throw new Error(`the first server did not start:\n${first.output()}`)
    const base = `http://127.0.0.1:${first.port}`
    const token = await signInDemoCompany(base)

    // Writes keep going on the first server while the second tries the folder.
    const pilots: string[] = []
    let writing = true
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const id = await createPilot(base, token, n)
        if (id) pilots.push(id)
      }
    })()
    const began = performance.now()
    const second = start()
    // A second server that starts instead of refusing is stopped after 20 s, and fails the drill.
    const giveUp = setTimeout(() => second.child.kill('SIGKILL'), 20_000)
    const secondExit = await second.exited
    clearTimeout(giveUp)
    const refuseMs = Math.round(performance.now() - began)
    writing = false
    await writer
    const line = second.stderr().trim()
    figures.refuseMs = refuseMs
    figures.refusal = line
    if (secondExit !== 1) failures.push(`the second server exited ${secondExit}, not 1`)
    if (refuseMs > 5_000) failures.push(`the second server took ${refuseMs} ms to refuse`)
    if (line.split('\n').length !== 1 || !line.includes(dir) || !line.includes(`pid ${first.child.pid}`))
      failures.push(`the refusal is not one line naming the folder and pid ${first.child.pid}: ${line}`)

    const cli = spawnSync(join(root, 'node_modules', '.bin', 'node'), ['scripts/cli.ts', 'list-users'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '' },
      encoding: 'utf8',
    })
    figures.cliRefusal = cli.stderr.trim()
    if (cli.status === 0 || !cli.stderr.includes(dir)) failures.push(`the CLI was not refused: ${cli.stderr}`)

    // kill -9: the lock stays behind; two servers started together, one takes it over.
    first.child.kill('SIGKILL')
    await first.exited
    const [a, b] = [start(), start()]
    const outcome = await Promise.all(
      [a, b].map((s) => Promise.race([untilReady(s), s.exited.then(() => false)])),
    )
    const ready = [a, b].filter((_, i) => outcome[i])
    figures.readyAfterKill = ready.length
    const survivor = ready[0]
    if (ready.length !== 1 || !survivor)
      failures.push(`${ready.length} servers started on one folder after kill -9`)
    else {
      if (!survivor.output().includes('took over'))
        failures.push('the stale lock was not reported as taken over')
      let lost = 0
      for (const id of pilots) {
        const res = await fetch(`http://127.0.0.1:${survivor.port}/api/pilots/${id}`, {
          headers: { authorization: `Bearer ${token}` },
        })
        if (res.status !== 200) lost++
      }
      figures.pilotsWritten = pilots.length
      figures.lost = lost
      if (lost > 0) failures.push(`${lost} of ${pilots.length} acknowledged pilots were lost`)
      const exit = await survivor.stop()
      if (exit !== 0) failures.push(`the surviving server exited ${exit} on SIGTERM`)
    }
  } catch (error) {
    failures.push((error as Error).message)
  } finally {
    for (const server of servers) await server.stop('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  void options
  return { name: 'one-writer', ok: failures.length === 0, figures, failures }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ quick: process.argv.includes('--quick') })
  const f = result.figures
  console.log(`second start refused in ${f.refuseMs} ms: ${f.refusal}`)
  console.log(`CLI on the same folder: ${f.cliRefusal}`)
  console.log(
    `after kill -9, two starts at once: ${f.readyAfterKill} ready; pilots written meanwhile ${f.pilotsWritten}, lost ${f.lost}`,
  )
  for (const failure of result.failures) console.log(`FAILED: ${failure}`)
  process.exit(result.ok ? 0 : 1)
}
