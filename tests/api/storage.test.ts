import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { storageGuard } from '../../api/lib/storage-guard.ts'
import { json } from '../helpers/app.ts'
import { testNow } from '../helpers/clock.ts'
import { testConnection } from '../helpers/db.ts'
import { unique, uniqueAddress } from '../helpers/fixtures.ts'

const mebibyte = 1024 * 1024

/** A disk whose free space the test sets, read through the guard's own injection point. */
function fakeDisk(freeMb: number) {
  const disk = { freeMb, reads: 0 }
  const freeBytes = async () => {
    disk.reads++
    return disk.freeMb * mebibyte
  }
  return { disk, freeBytes }
}

/** The real app over the test database, with a storage guard (or none). */
async function appWith(storage?: ReturnType<typeof storageGuard>) {
  const connection = await testConnection()
  const address = uniqueAddress()
  const app = createApp({
    config: parseConfig({ DATABASE_URL: process.env.DATABASE_URL, PUBLIC_CACHE_SECONDS: '0' }),
    database: sharedDatabase(connection.db, connection.kind),
    now: () => new Date(testNow),
    peerAddress: () => address,
    storage,
  })
  return { app, db: connection.db }
}

function register(app: Awaited<ReturnType<typeof appWith>>['app'], organisation = unique('Disk Co')) {
  return app.request('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `${unique('disk').replace(' ', '-')}@test.example`,
      password: 'a-long-test-passphrase',
      name: 'Disk Tester',
      organisation: { name: organisation },
    }),
  })
}

async function expectStorageFull(res: Response) {
  expect(res.status).toBe(503)
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  const body = await json(res)
  expect(body).toMatchObject({ status: 503, code: 'storage_full', title: 'Storage full' })
  expect(body.detail).toMatch(/disk is full/)
}

describe('a full disk: writes answer 503 storage_full, reads carry on', () => {
  it('refuses writes below the reserve, serves reads, and takes writes again when there is room', async () => {
    const { disk, freeBytes } = fakeDisk(10)
    const guard = storageGuard({ path: '/data', reserveBytes: 64 * mebibyte, intervalMs: 0, freeBytes })
    const { app } = await appWith(guard)

    await expectStorageFull(await register(app))
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@test.example', password: 'a-long-test-passphrase' }),
    })
    await expectStorageFull(login)
    expect((await app.request('/api/facilities')).status).toBe(200)
    expect((await app.request('/api/categories')).status).toBe(200)

    disk.freeMb = 65
    expect((await register(app)).status).toBe(201)
  })

  it('reads the disk at most once per interval, and again at once after a write failed for space', async () => {
    const { disk, freeBytes } = fakeDisk(100)
    let clockMs = 0
    const guard = storageGuard({
      path: '/data',
      reserveBytes: 64 * mebibyte,
      intervalMs: 250,
      freeBytes,
      monotonicMs: () => clockMs,
    })
    expect((await guard.check()).room).toBe(true)
    disk.freeMb = 1
    expect((await guard.check()).room).toBe(true)
    expect(disk.reads).toBe(1)
    clockMs += 250
    expect(await guard.check()).toEqual({ room: false, freeBytes: mebibyte, reserveBytes: 64 * mebibyte })
    expect(disk.reads).toBe(2)
    disk.freeMb = 100
    guard.recheck()
    expect((await guard.check()).room).toBe(true)
    expect(disk.reads).toBe(3)
  })

  it('counts a disk it cannot read as having room', async () => {
    const guard = storageGuard({
      path: '/no/such/folder',
      intervalMs: 0,
      freeBytes: async () => {
        throw Object.assign(new Error('no such folder'), { code: 'ENOENT' })
      },
    })
    expect((await guard.check()).room).toBe(true)
  })

  it('answers 53100 disk_full from the database itself as 503 storage_full, not 500', async () => {
    // The database raises a real disk_full error for this one organisation name, as PostgreSQL
    // and PGlite do when a table cannot grow; no guard stands in front.
    const { app, db } = await appWith()
    const marker = unique('Disk full Co')
    const fn = `storage_test_${crypto.randomUUID().replaceAll('-', '')}`
    await sql
      .raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin
          if new.name = '${marker}' then
            raise exception 'could not extend file: No space left on device' using errcode = 'disk_full';
          end if;
          return new;
        end $$`)
      .execute(db)
    await sql
      .raw(`create trigger ${fn} before insert on organisations for each row execute function ${fn}()`)
      .execute(db)
    try {
      await expectStorageFull(await register(app, marker))
      expect((await register(app)).status).toBe(201)
    } finally {
      await sql.raw(`drop trigger ${fn} on organisations`).execute(db)
      await sql.raw(`drop function ${fn}()`).execute(db)
    }
  })
})
