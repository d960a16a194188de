import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { json, testApp } from '../helpers/app.ts'
import { unique } from '../helpers/fixtures.ts'

// Against the PostgreSQL of the test run, or a fresh embedded database of its own.
const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'testbed-cli-'))
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

function cli(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, ['scripts/cli.ts', ...args], {
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) },
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

describe('operator CLI', () => {
  const email = `${unique('chief').replace(' ', '-')}@city.example`

  it('creates an admin with the password from stdin, never from argv', async () => {
    const created = cli(
      ['create-admin', '--email', email.toUpperCase(), '--name', 'Chief Admin'],
      'a-strong-admin-passphrase\n',
    )
    expect(created.err).toBe('')
    expect(created.code).toBe(0)
    expect(created.out).toContain(`admin ${email} created`)
    const listed = cli(['list-users', '--role', 'admin'])
    expect(listed.code).toBe(0)
    expect(listed.out).toMatch(new RegExp(`${email}\\s+admin\\s+active`))
    if (process.env.DATABASE_URL) {
      const { app } = await testApp()
      const res = await app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'a-strong-admin-passphrase' }),
      })
      expect((await json(res)).user.role).toBe('admin')
    }
  }, 60_000)

  it('resets a password, and refuses weak passwords, duplicates and unknown users', () => {
    expect(cli(['reset-password', '--email', email], 'another-strong-passphrase\n').code).toBe(0)
    const weak = cli(['reset-password', '--email', email], 'short\n')
    expect(weak.code).toBe(2)
    expect(weak.err).toContain('at least 10 characters')
    const duplicate = cli(
      ['create-admin', '--email', email, '--name', 'Again'],
      'a-strong-admin-passphrase\n',
    )
    expect(duplicate.code).toBe(2)
    expect(duplicate.err).toContain('exists already')
    expect(
      cli(['reset-password', '--email', 'nobody@nowhere.example'], 'another-strong-passphrase\n').err,
    ).toContain('no user')
  }, 60_000)

  it('lists, sends and retries the outbox', async () => {
    if (process.env.DATABASE_URL) {
      // A message that failed for good, to be revived.
      const { db } = await testApp()
      await db
        .insertInto('outbox')
        .values({
          recipient_email: 'ops@city.example',
          template: 'booking.approved',
          subject: 'Stuck',
          body: 'x',
          status: 'failed',
          attempts: 8,
        })
        .execute()
    }
    const listed = cli(['outbox'])
    expect(listed.code).toBe(0)
    expect(listed.out).toMatch(/the outbox is empty|pending: \d+|sent: \d+|failed: \d+/)
    const retried = cli(['outbox', 'retry', '--failed'])
    expect(retried.code).toBe(0)
    expect(retried.out).toMatch(/^\d+ message\(s\) queued again/)
    if (process.env.DATABASE_URL) expect(Number(retried.out.split(' ')[0])).toBeGreaterThanOrEqual(1)
    const sent = cli(['outbox', 'send'])
    expect(sent.code).toBe(0)
    expect(sent.out).toMatch(/sent \d+, will retry \d+, failed \d+ \(log\)/)
    expect(cli(['outbox', 'retry']).code).toBe(2)
    expect(cli(['outbox', 'shred']).code).toBe(2)
  }, 60_000)

  it('explains bad usage with exit code 2', () => {
    for (const args of [
      ['frobnicate'],
      ['create-admin', '--name', 'X'],
      ['list-users', '--role', 'king'],
      ['list-users', '--bogus'],
    ]) {
      const result = cli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.err).toContain('usage: npm run cli')
    }
  }, 60_000)
})
