/**
 * Refuses writes while the disk under the embedded database is nearly full.
 *
 * Measured on PGlite 0.5 (PostgreSQL 18): when a table cannot grow it answers 53100 and carries
 * on, but when a new WAL segment (16 MiB) cannot be written it answers 53100 once and then spins
 * at 100% CPU inside WebAssembly on the next statement, read or write, and never returns — even
 * after space comes back. It runs on the event loop's thread, so no timeout can answer for it.
 * Hence writes stop before PGlite gets near the edge: below `reserveBytes` free (default 64 MiB,
 * room for a few WAL segments) every unsafe request is a 503 `storage_full`, reads carry on, and
 * writes resume on their own once the disk has room again. As a last resort, should the database
 * still wedge (another program filling the disk between two readings), a watchdog thread ends the
 * process, so that a supervisor restarts it instead of it hanging for ever.
 */
import type { Context, Next } from 'hono'
import type { AppEnv } from './context.ts'
import { isStorageFull } from './database-errors.ts'
import { ApiError } from './errors.ts'
import { say } from './messages.ts'

const mebibyte = 1024 * 1024

/** Free bytes on the disk holding `path`, as `statfs` gives them to an unprivileged writer. */
export async function statfsFreeBytes(path: string): Promise<number> {
  const { statfs } = await import('node:fs/promises')
  const stats = await statfs(path)
  return stats.bavail * stats.bsize
}

export interface StorageGuardOptions {
  /** A folder on the disk that holds the database (DATA_DIR). */
  path: string
  /** Writes stop below this many free bytes; default 64 MiB. */
  reserveBytes?: number
  /** Read the disk at most this often; default 250 ms. */
  intervalMs?: number
  /** How to read free space; `statfsFreeBytes` unless told otherwise. */
  freeBytes?: (path: string) => Promise<number>
  /** A monotonic clock in milliseconds, for the interval; `performance.now` unless told otherwise. */
  monotonicMs?: () => number
  /** Start the watchdog (see `exitWhenStuck`): end the process when the event loop is stuck this long. */
  exitWhenStuckMs?: number
}

export interface StorageState {
  /** False while free space is under the reserve. */
  room: boolean
  /** The last reading; undefined before the first or when the disk could not be read. */
  freeBytes: number | undefined
  reserveBytes: number
}

export interface StorageGuard {
  /** Whether a write may go ahead: true while free space is at least the reserve. */
  check(): Promise<StorageState>
  /** A write just failed for want of space: read the disk again before the next one. */
  recheck(): void
}

/**
 * The guard for a data folder. Readings are cached for `intervalMs` and shared by concurrent
 * requests; a disk that cannot be read counts as having room (the database's own error is the
 * backstop). Logs one line when writes stop and one when they resume.
 *
 * @example
 * const storage = storageGuard({ path: config.dataDir, reserveBytes: 64 * 1024 * 1024 })
 */
export function storageGuard(options: StorageGuardOptions): StorageGuard {
  const reserveBytes = options.reserveBytes ?? 64 * mebibyte
  const intervalMs = options.intervalMs ?? 250
  const freeBytes = options.freeBytes ?? statfsFreeBytes
  const monotonicMs = options.monotonicMs ?? (() => performance.now())
  let state: StorageState = { room: true, freeBytes: undefined, reserveBytes }
  let readAt = Number.NEGATIVE_INFINITY
  let reading: Promise<StorageState> | undefined
  let unreadableReported = false

  async function read(): Promise<StorageState> {
    let free: number | undefined
    try {
      free = await freeBytes(options.path)
    } catch (error) {
      if (!unreadableReported) {
        console.error(`storage: cannot read free space of ${options.path}:`, (error as Error).message)
        unreadableReported = true
      }
    }
    const room = free === undefined || free >= reserveBytes
    if (room !== state.room) console.error(storageLine(options.path, room, free, reserveBytes))
    state = { room, freeBytes: free, reserveBytes }
    readAt = monotonicMs()
    return state
  }

  if (options.exitWhenStuckMs !== undefined) void exitWhenStuck(options.exitWhenStuckMs)
  return {
    check() {
      if (monotonicMs() - readAt < intervalMs) return Promise.resolve(state)
      reading ??= read().finally(() => {
        reading = undefined
      })
      return reading
    },
    recheck() {
      readAt = Number.NEGATIVE_INFINITY
    },
  }
}

function storageLine(path: string, room: boolean, free: number | undefined, reserve: number): string {
  const mb = (bytes: number) => `${Math.floor(bytes / mebibyte)} MB`
  return room
    ? `storage: room again under ${path} (${free === undefined ? 'unknown' : mb(free)} free); accepting writes`
    : `storage: only ${mb(free ?? 0)} free under ${path}, below the reserve of ${mb(reserve)}; refusing writes until there is room`
}

/** The answer to a write that cannot be stored: 503 with a time to come back. */
export function storageFullError(cause?: unknown): ApiError {
  return new ApiError('storage_full', say.storageFull, { headers: { 'retry-after': '30' }, cause })
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Middleware: every request that may write (anything but GET, HEAD and OPTIONS — signing in
 * and out too, as they store sessions) is refused with 503 `storage_full` while the guard
 * reports no room. A write that fails on a full disk anyway makes the guard read again at once.
 */
export function refuseWritesWhenFull(guard: StorageGuard) {
  return async (c: Context<AppEnv>, next: Next) => {
    if (safeMethods.has(c.req.method)) return next()
    const state = await guard.check()
    if (!state.room) throw storageFullError()
    await next()
    if (c.error && isStorageFull(c.error)) guard.recheck()
  }
}

// Runs in a worker thread (CommonJS, evaluated): the main thread bumps a shared counter every
// 250 ms; when it has not moved for `afterMs`, the event loop is stuck and the process is killed
// (SIGKILL: a stuck loop runs no SIGTERM handler). Committed data is already in the files.
const watchdogSource = `
const { workerData } = require('node:worker_threads')
const { writeSync } = require('node:fs')
const { beat, afterMs, message } = workerData
let last = Atomics.load(beat, 0)
let still = 0
setInterval(() => {
  const now = Atomics.load(beat, 0)
  if (now !== last) { last = now; still = 0; return }
  still += 500
  if (still >= afterMs) { writeSync(2, message); process.kill(process.pid, 'SIGKILL') }
}, 500)
`

/**
 * Ends the process when its event loop has not turned for `afterMs` (embedded PGlite wedged on a
 * full disk, see above). Neither the timer nor the thread keeps the process alive.
 */
export async function exitWhenStuck(afterMs: number): Promise<() => Promise<void>> {
  const { Worker } = await import('node:worker_threads')
  const beat = new Int32Array(new SharedArrayBuffer(4))
  const timer = setInterval(() => Atomics.add(beat, 0, 1), 250)
  timer.unref()
  const seconds = Math.round(afterMs / 1000)
  const message = `server stuck for ${seconds} s (the embedded database stops answering when a write fails on a full disk); exiting so that it can be restarted\n`
  const worker = new Worker(watchdogSource, { eval: true, workerData: { beat, afterMs, message } })
  worker.unref()
  return async () => {
    clearInterval(timer)
    await worker.terminate()
  }
}
