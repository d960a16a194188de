import { readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** Who holds a data folder: what `DATA_DIR/server.lock` says. */
export interface LockHolder {
  pid: number
  host: string
  /** The server's port; absent for a command-line tool. */
  port?: number | undefined
  /** What holds it: "server" or a tool such as "cli". */
  role: string
  startedAt: string
}

/** A lock on another host counts as abandoned this long after its holder last touched it. */
export const lockStaleAfterMs = 30_000
const heartbeatMs = 5_000

/** The data folder is held by another live process; the message is one line for people. */
export class DataDirLocked extends Error {
  readonly dataDir: string
  readonly holder: LockHolder

  constructor(dataDir: string, holder: LockHolder) {
    const what = holder.port === undefined ? holder.role : `${holder.role} on port ${holder.port}`
    const where = holder.host === hostname() ? '' : ` on host ${holder.host}`
    super(
      `DATA_DIR ${dataDir} is in use by another ${what} (pid ${holder.pid}${where}); ` +
        'stop it first, or give this one its own DATA_DIR',
    )
    this.dataDir = dataDir
    this.holder = holder
  }
}

export interface DataDirLock {
  /** The stale lock taken over, when the last holder died without releasing it. */
  tookOver: LockHolder | undefined
  /** Records the port actually listened on (PORT=0 picks one). */
  setPort(port: number): void
  release(): void
}

/**
 * Takes the one-writer lock on an embedded database's folder: PGlite is a single process, and
 * two of them on one folder lose each other's writes. The lock file is created with O_EXCL, so
 * of two starts at the same instant one wins. A lock whose process is gone (kill -9) is taken
 * over, under a second O_EXCL file so that two starts cannot both take over the same stale lock.
 *
 * @throws DataDirLocked when a live process holds the folder
 */
export function lockDataDir(dataDir: string, who: { role: string; port?: number }): DataDirLock {
  const file = join(dataDir, 'server.lock')
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    port: who.port,
    role: who.role,
    startedAt: new Date().toISOString(),
  }
  let tookOver: LockHolder | undefined
  for (let attempt = 0; ; attempt++) {
    if (create(file, me)) break
    const holder = readHolder(file)
    if (holder && isAlive(holder, file)) throw new DataDirLocked(dataDir, holder)
    const taken = takeOver(file, me, holder)
    if (taken === 'taken') {
      tookOver = holder
      break
    }
    // Another start is taking it over, or a holder is still writing its file: look again.
    if (attempt >= 50) throw new Error(`could not lock DATA_DIR ${dataDir}: ${file} keeps changing`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
  }
  // The heartbeat tells a process on another host (a shared folder) that this one still lives.
  const heartbeat = setInterval(() => touch(file), heartbeatMs)
  heartbeat.unref()
  let held = true
  return {
    tookOver,
    setPort(port) {
      if (!held) return
      const temporary = `${file}.${process.pid}`
      writeFileSync(temporary, JSON.stringify({ ...me, port }))
      renameSync(temporary, file)
    },
    release() {
      if (!held) return
      held = false
      clearInterval(heartbeat)
      if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true })
    },
  }
}

function create(file: string, me: LockHolder): boolean {
  try {
    writeFileSync(file, JSON.stringify(me), { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** The holder, or undefined when the file is gone, empty or half-written. */
function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder
    return typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined
  } catch {
    return undefined
  }
}

function isAlive(holder: LockHolder, file: string): boolean {
  if (holder.host !== hostname()) return ageMs(file) < lockStaleAfterMs
  // A container restarted on the same folder often gets the same pid: that is not another process.
  if (holder.pid === process.pid) return false
  return processAlive(holder.pid)
}

/**
 * Replaces a stale lock. Only the process that creates `server.lock.takeover` may do it, and it
 * reads the lock again first: a rival that won in between has made it live.
 */
function takeOver(file: string, me: LockHolder, stale: LockHolder | undefined): 'taken' | 'busy' {
  const guard = `${file}.takeover`
  // A file that cannot be read may be a rival's lock being written: give it a moment first.
  if (!stale && ageMs(file) < 1_000) return 'busy'
  clearAbandonedGuard(guard)
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' })
  } catch {
    return 'busy'
  }
  try {
    // Gone: released meanwhile, so creating it again (O_EXCL) decides, not this rename.
    if (ageMs(file) === Number.POSITIVE_INFINITY) return 'busy'
    const now = readHolder(file)
    if (now && (now.pid !== stale?.pid || now.startedAt !== stale.startedAt)) return 'busy'
    const temporary = `${file}.${process.pid}`
    writeFileSync(temporary, JSON.stringify(me))
    renameSync(temporary, file)
    return 'taken'
  } finally {
    rmSync(guard, { force: true })
  }
}

/**
 * Removes a take-over guard whose maker died inside its take-over (or, on a shared folder, one
 * untouched for `lockStaleAfterMs`). Only a guard that exists is judged: taking "no guard" for an
 * old one let two starts after a kill -9 both take over, each removing the guard the other had
 * just made (seen in the one-writer drill under load).
 */
function clearAbandonedGuard(guard: string) {
  const age = ageMs(guard)
  if (age === Number.POSITIVE_INFINITY) return
  let maker = Number.NaN
  try {
    maker = Number(readFileSync(guard, 'utf8'))
  } catch {
    return
  }
  // A guard just made may not hold its pid yet: give it a second before calling its maker dead.
  const makerGone = Number.isInteger(maker) && maker > 0 && maker !== process.pid && !processAlive(maker)
  if ((makerGone && age > 1_000) || age > lockStaleAfterMs) rmSync(guard, { force: true })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * "Now" by the clock that stamps the folder's files: the modification time of a file just
 * written there. Ages are measured against it, not against this process's clock, which may
 * differ from the file server's (a shared folder) or be moved (libfaketime in the date tests).
 */
function folderNow(file: string): number {
  const probe = `${file}.clock.${process.pid}`
  try {
    writeFileSync(probe, '')
    return statSync(probe).mtimeMs
  } catch {
    return Date.now()
  } finally {
    rmSync(probe, { force: true })
  }
}

/** How long ago a file in the lock's folder was last touched; infinite when it is not there. */
function ageMs(file: string): number {
  try {
    const touched = statSync(file).mtimeMs
    return folderNow(file) - touched
  } catch {
    return Number.POSITIVE_INFINITY
  }
}

/** The heartbeat: the lock file's modification time set to the folder's "now". */
function touch(file: string) {
  try {
    const now = new Date(folderNow(file))
    utimesSync(file, now, now)
  } catch {
    // The folder went away or filled up; the next start will judge by the pid.
  }
}
