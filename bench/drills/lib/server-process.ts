/**
 * The real server as a child process, for the lifecycle drills (one-writer, shutdown,
 * start-up errors): started with `node api/server.ts`, its output kept, its exit awaited.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const node = join(root, 'node_modules', '.bin', 'node')

export interface ServerProcess {
  child: ChildProcess
  port: number
  output(): string
  stderr(): string
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  stop(signal?: NodeJS.Signals): Promise<number | string>
}

/** A port unlikely to be taken: drills run beside other people's servers. */
export function privatePort(): number {
  // Below Linux's ephemeral range (32768–60999), which every outgoing connection and every
  // server started on port 0 (the tests, PostgreSQL's clients) draws from: a port there may be
  // taken by the time the drill's server binds it (seen in CI: "PORT … already in use").
  return 20_000 + Math.floor(Math.random() * 12_000)
}

export function startServer(env: Record<string, string>, port = privatePort()): ServerProcess {
  const child = spawn(node, ['api/server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk) => {
    out += chunk
  })
  child.stderr?.on('data', (chunk) => {
    err += chunk
  })
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  )
  return {
    child,
    port,
    output: () => out + err,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Waits for the ready banner (or the process's end), polling its output every 50 ms. */
export async function untilReady(server: ServerProcess, timeoutMs = 180_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  let ended = false
  void server.exited.then(() => {
    ended = true
  })
  while (performance.now() < deadline && !ended) {
    if (server.output().includes('City Testbed is running at')) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

/** A fresh PostgreSQL database on 127.0.0.1:5432 (trust auth), and how to drop it. */
export function freshPostgres(name: string): { url: string; drop(): void } {
  const args = ['-h', '127.0.0.1', '-U', 'postgres']
  const made = spawnSync('createdb', [...args, name], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`createdb ${name} failed: ${made.stderr.trim()}`)
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: () => void spawnSync('dropdb', [...args, '--if-exists', '--force', name]),
  }
}

/** Tables in a PostgreSQL database's public schema: none means nothing was migrated. */
export function tableCount(url: string): number {
  const result = spawnSync(
    'psql',
    [url, '-Atc', "select count(*) from pg_tables where schemaname = 'public'"],
    {
      encoding: 'utf8',
    },
  )
  return Number(result.stdout.trim())
}
