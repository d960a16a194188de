import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../api/lib/config.ts'
import { checkDataDir, StartupError, startupErrorLines } from '../../api/process-lifecycle.ts'
import { DataDirLocked, lockDataDir } from '../../db/lock.ts'
import { checkMigrationNames } from '../../db/migrate.ts'
import { migrations } from '../../db/migrations/index.ts'

const folders: string[] = []
function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'testbed-lock-'))
  folders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A pid that was a process and has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  })
  return Number(child.stdout)
}

function writeLock(dir: string, holder: { pid: number; host?: string }) {
  const lock = {
    host: hostname(),
    role: 'server',
    port: 8787,
    startedAt: '2031-03-12T06:30:00.000Z',
    ...holder,
  }
  writeFileSync(join(dir, 'server.lock'), JSON.stringify(lock))
}

describe('the data folder lock', () => {
  it('is taken once, refused to a second taker while held, and gone when released', () => {
    const dir = folder()
    const lock = lockDataDir(dir, { role: 'server', port: 8787 })
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
      port: 8787,
    })
    lock.release()
    expect(existsSync(join(dir, 'server.lock'))).toBe(false)
    lockDataDir(dir, { role: 'server' }).release()
  })

  it('refuses a folder a live process on this host holds, naming the folder, pid and port', () => {
    const dir = folder()
    writeLock(dir, { pid: process.ppid })
    expect(() => lockDataDir(dir, { role: 'server' })).toThrow(DataDirLocked)
    expect(() => lockDataDir(dir, { role: 'server' })).toThrow(
      `DATA_DIR ${dir} is in use by another server on port 8787 (pid ${process.ppid})`,
    )
  })

  it('takes over the lock of a process that died without releasing it', () => {
    const dir = folder()
    const pid = deadPid()
    writeLock(dir, { pid })
    const lock = lockDataDir(dir, { role: 'server' })
    expect(lock.tookOver?.pid).toBe(pid)
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('judges a lock from another host by its last heartbeat', () => {
    const dir = folder()
    writeLock(dir, { pid: 1, host: 'elsewhere.invalid' })
    expect(() => lockDataDir(dir, { role: 'server' })).toThrow('on host elsewhere.invalid')
    const longAgo = new Date('2020-01-01T00:00:00Z')
    utimesSync(join(dir, 'server.lock'), longAgo, longAgo)
    lockDataDir(dir, { role: 'server' }).release()
  })

  it('lets only one of two take-overs of the same stale lock win', () => {
    const dir = folder()
    const pid = deadPid()
    writeLock(dir, { pid })
    // Another start holds the take-over guard: this one must not replace the lock meanwhile.
    writeFileSync(join(dir, 'server.lock.takeover'), String(process.ppid))
    expect(() => lockDataDir(dir, { role: 'server' })).toThrow(/keeps changing/)
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).pid).toBe(pid)
  })

  it('clears a take-over guard whose maker died mid-take-over', () => {
    const dir = folder()
    writeLock(dir, { pid: deadPid() })
    const guard = join(dir, 'server.lock.takeover')
    writeFileSync(guard, String(deadPid()))
    const longAgo = new Date('2020-01-01T00:00:00Z')
    utimesSync(guard, longAgo, longAgo)
    const lock = lockDataDir(dir, { role: 'server' })
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8')).pid).toBe(process.pid)
    expect(existsSync(guard)).toBe(false)
    lock.release()
  })
})

describe('start-up checks', () => {
  it('refuses a DATA_DIR that is not a writable folder, in one line naming it', () => {
    const file = join(folder(), 'not-a-folder')
    writeFileSync(file, '')
    expect(() => checkDataDir(file)).toThrow(StartupError)
    expect(() => checkDataDir(file)).toThrow(`DATA_DIR ${file} is not a folder`)
    checkDataDir(join(folder(), 'new'))
  })

  it('prints bad settings one line each, naming the setting', () => {
    let error: unknown
    try {
      parseConfig({ PORT: 'eighty', CITY_TIMEZONE: 'Mars/Olympus_Mons' })
    } catch (e) {
      error = e
    }
    const lines = startupErrorLines(error)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^invalid setting PORT: /)
    expect(lines[1]).toMatch(/^invalid setting CITY_TIMEZONE: must be an IANA time zone/)
  })
})

describe('migration names', () => {
  it('accepts the project’s migrations', () => {
    expect(() => checkMigrationNames(Object.keys(migrations))).not.toThrow()
  })

  it.each([
    [''],
    ['   '],
    ['initial'],
    ['2026_11_28_initial'],
    ['2026_11_28_0001_'],
    ['2026_11_28_0001_Add Index'],
  ])('refuses %j before migrating anything', (name) => {
    expect(() => checkMigrationNames(['2026_11_28_0000_initial', name])).toThrow(/bad migration name/)
  })
})
