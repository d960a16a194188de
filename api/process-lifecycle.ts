/**
 * The Node server's life around the app: start-up checks that fail with one line before anything
 * is migrated, the gate that answers 503 while starting or draining, and the drain on shutdown.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import { resolve as absolute, dirname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../db/types.ts'
import { ConfigError } from './lib/config.ts'
import { problem } from './lib/errors.ts'
import { requestLanguageOf } from './lib/language.ts'
import { say } from './lib/messages.ts'

/** A start-up failure people can act on: its message is the whole story, one line. */
export class StartupError extends Error {}

/** The lines to print for a failed start: no stack trace, one line per problem. */
export function startupErrorLines(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems.map((p) => `invalid setting ${p}`)
  if (error instanceof Error) return [error.message.split('\n')[0] ?? error.name]
  return [String(error)]
}

const folderProblem: Record<string, string> = {
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  EROFS: 'is on a read-only file system',
  ENOTDIR: 'is not a folder',
  EEXIST: 'is not a folder',
  ENOSPC: 'is on a full disk',
  ENOENT: 'cannot be created there',
}

/** The embedded database's folder must exist (or be creatable), be readable and take a write. */
export function checkDataDir(dataDir: string) {
  try {
    makeFolders(absolute(dataDir))
    if (!statSync(dataDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK)
    const probe = join(dataDir, `.write-test-${process.pid}`)
    writeFileSync(probe, 'ok')
    rmSync(probe)
    const pglite = join(dataDir, 'pglite')
    if (existsSync(pglite)) accessSync(pglite, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    const what = folderProblem[code] ?? `cannot be used (${code || (error as Error).message})`
    throw new StartupError(
      `DATA_DIR ${dataDir} ${what}; fix its permissions or set DATA_DIR to a writable folder`,
    )
  }
}

/** mkdir -p one level at a time: Node's recursive mkdir loops for ever under /proc. */
function makeFolders(path: string) {
  if (existsSync(path)) return
  makeFolders(dirname(path))
  mkdirSync(path)
}

/** Waits for the server to listen, turning a busy port or a foreign address into one line. */
export function listening(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const messages: Record<string, string> = {
        EADDRINUSE: `PORT ${port} on ${host} is already in use by another program; stop it or set PORT to a free port`,
        EACCES: `PORT ${port} on ${host} needs privileges this user lacks; set PORT above 1023`,
        EADDRNOTAVAIL: `HOST ${host} is not an address of this machine; set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`,
        ENOTFOUND: `HOST ${host} is not a known host name; set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`,
      }
      reject(
        new StartupError(messages[error.code ?? ''] ?? `cannot listen on ${host}:${port}: ${error.message}`),
      )
    }
    server.once('error', fail)
    server.once('listening', () => {
      server.off('error', fail)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/**
 * Connects to DATABASE_URL once, before anything else touches it, so that a wrong URL is one line
 * saying what to do. The password never appears in the message.
 */
export async function checkDatabaseUrl(databaseUrl: string) {
  const { Client } = await import('pg')
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 4_000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
  } catch (error) {
    throw new StartupError(databaseProblem(error as NodeJS.ErrnoException, new URL(databaseUrl)))
  } finally {
    await client.end().catch(() => {})
  }
}

function databaseProblem(error: NodeJS.ErrnoException, url: URL): string {
  const where = `${url.hostname || 'localhost'}:${url.port || 5432}`
  const user = decodeURIComponent(url.username) || 'the default user'
  const database = decodeURIComponent(url.pathname.slice(1)) || user
  const byCode: Record<string, string> = {
    ECONNREFUSED: `nothing answers at ${where}; start PostgreSQL there or correct the host and port`,
    ENOTFOUND: `host ${url.hostname} is not known; correct the host`,
    EAI_AGAIN: `host ${url.hostname} cannot be looked up now; correct the host or check DNS`,
    '28P01': `PostgreSQL at ${where} refused the password of user ${user}; correct the user or password`,
    '28000': `PostgreSQL at ${where} does not let user ${user} in; correct the user or its pg_hba.conf entry`,
    '3D000': `database ${database} does not exist at ${where}; create it (createdb ${database}) or correct the name`,
  }
  const timedOut = /timeout/i.test(error.message)
  const detail =
    byCode[error.code ?? ''] ??
    (timedOut
      ? `no answer from ${where} within 4 s; check the host, the port and any firewall`
      : `cannot connect to ${where} (${error.message}); correct the URL or start PostgreSQL`)
  return `DATABASE_URL: ${detail}`
}

/** What the server does with a request: pass it to the app, or turn it away while not serving. */
export type Phase = 'starting' | 'serving' | 'draining'

/**
 * The server's fetch: the app's while serving; a 503 problem while starting, and while draining
 * for requests that still arrive on kept-alive connections (Connection: close sends the client
 * elsewhere). Requests in flight when the drain begins finish, and close their connection.
 */
export function gatedFetch(
  phase: () => Phase,
  app: () => { fetch(request: Request, env?: unknown): Response | Promise<Response> } | undefined,
) {
  return async (request: Request, env?: unknown): Promise<Response> => {
    const handler = app()
    if (phase() !== 'serving' || !handler) return unavailable(phase(), request)
    const response = await handler.fetch(request, env)
    return phase() === 'serving' ? response : closing(response)
  }
}

function unavailable(phase: Phase, request: Request): Response {
  const detail = phase === 'starting' ? say.serverStarting : say.serverRestarting
  const language = requestLanguageOf(request)
  return new Response(JSON.stringify(problem('service_unavailable', detail, language)), {
    status: 503,
    headers: {
      'content-type': 'application/problem+json',
      'content-language': language,
      'retry-after': phase === 'starting' ? '1' : '2',
      connection: 'close',
    },
  })
}

function closing(response: Response): Response {
  const headers = new Headers(response.headers)
  headers.set('connection', 'close')
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

interface Tracked {
  /** A request on it is being answered. */
  busy: boolean
  /** Requests it has carried; none yet means its first may still be on the way. */
  served: number
}

const tracked = new WeakMap<Server, Map<Socket, Tracked>>()
const lastConnection = new WeakMap<Server, number>()

/** Follows the server's connections from now on, for `drain`: which are busy, which idle. */
export function trackConnections(server: Server) {
  const sockets = new Map<Socket, Tracked>()
  tracked.set(server, sockets)
  server.on('connection', (socket: Socket) => {
    lastConnection.set(server, performance.now())
    sockets.set(socket, { busy: false, served: 0 })
    socket.once('close', () => sockets.delete(socket))
  })
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const state = sockets.get(request.socket)
    if (!state) return
    state.busy = true
    response.once('close', () => {
      state.busy = false
      state.served++
    })
  })
}

/**
 * The listener stays open until no connection has come for this long: connections the kernel
 * accepted while the event loop was busy (PGlite runs in it) wait in its backlog, and closing the
 * listener would reset them; accepted, they are answered 503.
 */
const quietBeforeCloseMs = 250

/** A new connection gets this long into the drain to send its request (answered 503) before it is cut. */
const firstRequestAllowanceMs = 5_000

/**
 * Stops accepting connections once no request is in flight and none has come for a moment, and waits until every open one has
 * ended, for at most `graceMs`: kept-alive connections are closed as soon as they are idle, a new
 * one once its first request is answered (or after a short allowance); then whatever is left is
 * cut. Node's own `server.close()` would also reset connections whose request is not read yet.
 *
 * @returns whether every connection ended by itself within the grace period
 */
export async function drain(server: Server, graceMs: number): Promise<boolean> {
  const sockets = tracked.get(server) ?? new Map<Socket, Tracked>()
  const began = performance.now()
  let closed: Promise<void> | undefined
  const sweep = () => {
    const states = [...sockets.values()]
    // While requests are in flight, connections still arriving are answered 503 rather than reset.
    const quiet = performance.now() - (lastConnection.get(server) ?? 0) >= quietBeforeCloseMs
    if (!closed && quiet && !states.some((s) => s.busy))
      closed = new Promise<void>((resolve) => netClose.call(server, () => resolve()))
    const fresh = performance.now() - began < Math.min(graceMs, firstRequestAllowanceMs)
    for (const [socket, state] of sockets)
      if (!state.busy && (state.served > 0 || !fresh)) socket.destroySoon()
  }
  sweep()
  const timer = setInterval(sweep, 25)
  const deadline = began + graceMs
  let finished = false
  while (performance.now() < deadline) {
    if (closed && sockets.size === 0) {
      await closed
      finished = true
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  clearInterval(timer)
  if (!finished) {
    if (!closed) netClose.call(server)
    for (const socket of sockets.keys()) socket.destroy()
  }
  return finished
}

// The listening socket's own close: stops accepting and waits for the open connections to end.
const netClose = NetServer.prototype.close

/** Active admins: none means nobody can sign in to run the city yet (outside demo mode). */
export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .executeTakeFirstOrThrow()
  return row.n
}
