/**
 * The operator CLI: `npm run cli -- <command>`. Works against DATABASE_URL, or the embedded
 * database under DATA_DIR. Passwords are read from a prompt (hidden) or from standard input,
 * never from the command line, where they would end up in shell history and process lists.
 *
 *   npm run cli -- create-admin --email admin@city.example --name "Anna Admin"
 *   echo "$PASSWORD" | npm run cli -- reset-password --email someone@city.example
 *   npm run cli -- list-users [--role admin|official|company]
 *   npm run cli -- outbox [list | send | retry --id ID | retry --failed]
 *
 * Tests run it in process through `runCli`, on their own connection and clock.
 */
import { createInterface } from 'node:readline'
import { Readable, type Writable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import { passwordWeakness } from '../api/domain/password-policy.ts'
import { systemClock } from '../api/lib/clock.ts'
import { parseConfig } from '../api/lib/config.ts'
import { hashPassword } from '../api/lib/password.ts'
import { smtpTransport } from '../api/mail/smtp.ts'
import { recordEvent } from '../api/queries/events.ts'
import { deleteUserSessions } from '../api/queries/sessions.ts'
import { dispatchOutbox, logTransport } from '../api/services/outbox.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { openConfiguredDatabase } from '../db/open.ts'
import type { Database } from '../db/types.ts'

const usage = `usage: npm run cli -- <command> [options]

commands:
  create-admin   --email E --name N   create an admin; the password is asked for (or read from stdin)
  reset-password --email E            set a new password; the user's sessions end
  list-users     [--role R]           list users (R: admin, official, company)
  outbox         [list]               count notifications by status and show those not yet sent
  outbox send                         send what is due now (SMTP_URL, or the log)
  outbox retry   --id ID | --failed   send a failed message (or all failed ones) again
  help                                show this text`

class UsageError extends Error {}

async function readHiddenLine(prompt: string, input: Readable, output: Writable): Promise<string> {
  const rl = createInterface({ input, output, terminal: true })
  const echo = rl as unknown as { _writeToOutput: (s: string) => void }
  let prompted = false
  echo._writeToOutput = (s: string) => {
    // Echo the prompt once, then nothing of what is typed.
    if (!prompted) output.write(s)
    prompted = true
  }
  const line = await new Promise<string>((resolve) => rl.question(prompt, resolve))
  rl.close()
  output.write('\n')
  return line
}

async function readStdinLine(input: Readable): Promise<string> {
  let data = ''
  for await (const chunk of input) data += chunk
  return data.split(/\r?\n/)[0] ?? ''
}

/** A new password from the terminal (asked twice) or the first line of stdin, checked by the policy. */
async function readNewPassword(email: string, io: CliIo): Promise<string> {
  const input = typeof io.stdin === 'string' ? Readable.from([io.stdin]) : io.stdin
  let password: string
  if ((input as { isTTY?: boolean }).isTTY) {
    password = await readHiddenLine('New password: ', input, io.stdout)
    if ((await readHiddenLine('Repeat it: ', input, io.stdout)) !== password) {
      throw new UsageError('the two passwords differ')
    }
  } else {
    password = await readStdinLine(input)
  }
  const weakness = passwordWeakness(password, email)
  if (weakness) throw new UsageError(`the password ${weakness}`)
  return password
}

const Email = z.email().transform((e) => e.trim().toLowerCase())

/** What the CLI reads, writes and works on; the program passes its own process's. */
export interface CliIo {
  /** Where passwords come from: a terminal is prompted (hidden, twice), anything else gives its first line; text stands for piped input. */
  stdin: string | Readable
  stdout: Writable
  stderr: Writable
  /** An open, migrated connection to work on, instead of opening (migrating, closing) the configured database. */
  db?: Kysely<Database>
  /** The clock; the machine's by default. */
  now?: () => Date
  /** The settings (DATABASE_URL, DATA_DIR, SMTP_URL, MAIL_FROM); process.env by default. */
  env?: Record<string, string | undefined>
}

/**
 * Runs one CLI command, as `node scripts/cli.ts …args` would.
 *
 * @returns the exit code: 0 done, 1 failed, 2 bad usage (explained on stderr with the usage text)
 * @example
 * const code = await runCli(['list-users', '--role', 'admin'], { stdin: '', stdout, stderr, db })
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  try {
    await main(args, io)
    return 0
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr.write(`error: ${error.message}\n\n${usage}\n`)
      return 2
    }
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

async function main(args: string[], io: CliIo) {
  const print = (line: string) => io.stdout.write(`${line}\n`)
  const clock = io.now ?? systemClock
  const [command, ...rest] = args
  if (!command || command === 'help' || command === '--help') {
    print(usage)
    return
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      id: { type: 'string' },
      failed: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  })
  const config = parseConfig(io.env ?? process.env)

  const run = async (work: (db: Kysely<Database>) => Promise<void>) => {
    if (io.db) return work(io.db)
    const { connection } = await openConfiguredDatabase(config)
    try {
      await migrateToLatest(connection.db)
      await work(connection.db)
    } finally {
      await connection.close()
    }
  }

  switch (command) {
    case 'create-admin': {
      const email = Email.safeParse(values.email)
      if (!email.success) throw new UsageError('--email must be an e-mail address')
      const name = values.name?.trim()
      if (!name) throw new UsageError('--name is required')
      const password = await readNewPassword(email.data, io)
      const passwordHash = await hashPassword(password)
      await run(async (db) => {
        const taken = await db
          .selectFrom('users')
          .select('id')
          .where(sql<string>`lower(email)`, '=', email.data)
          .executeTakeFirst()
        if (taken) throw new UsageError(`a user with the e-mail ${email.data} exists already`)
        await db.transaction().execute(async (tx) => {
          const now = clock()
          const { id } = await tx
            .insertInto('users')
            .values({
              email: email.data,
              name,
              password_hash: passwordHash,
              role: 'admin',
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          await recordEvent(
            tx,
            {
              actorId: null,
              action: 'user.created',
              subjectType: 'user',
              subjectId: id,
              details: { via: 'cli' },
              after: { email: email.data, role: 'admin' },
            },
            now,
          )
        })
        print(`admin ${email.data} created`)
      })
      return
    }
    case 'reset-password': {
      const email = Email.safeParse(values.email)
      if (!email.success) throw new UsageError('--email must be an e-mail address')
      const password = await readNewPassword(email.data, io)
      const passwordHash = await hashPassword(password)
      await run(async (db) => {
        const user = await db
          .selectFrom('users')
          .select('id')
          .where(sql<string>`lower(email)`, '=', email.data)
          .executeTakeFirst()
        if (!user) throw new UsageError(`no user has the e-mail ${email.data}`)
        await db.transaction().execute(async (tx) => {
          const now = clock()
          await tx
            .updateTable('users')
            .set({ password_hash: passwordHash, updated_at: now })
            .where('id', '=', user.id)
            .execute()
          await deleteUserSessions(tx, user.id)
          await recordEvent(
            tx,
            {
              actorId: null,
              action: 'user.password_reset',
              subjectType: 'user',
              subjectId: user.id,
              details: { via: 'cli' },
            },
            now,
          )
        })
        print(`password of ${email.data} reset; their sessions have ended`)
      })
      return
    }
    case 'list-users': {
      const role = values.role
      if (role !== undefined && !['admin', 'official', 'company'].includes(role)) {
        throw new UsageError('--role must be admin, official or company')
      }
      await run(async (db) => {
        let q = db
          .selectFrom('users')
          .leftJoin('departments', 'departments.id', 'users.department_id')
          .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
          .select([
            'users.email',
            'users.role',
            'users.active',
            'departments.name as department',
            'organisations.name as organisation',
          ])
          .orderBy('users.role')
          .orderBy('users.email')
        if (role) q = q.where('users.role', '=', role as 'admin' | 'official' | 'company')
        const rows = await q.execute()
        for (const r of rows) {
          const membership = r.department ?? r.organisation ?? ''
          print(
            `${r.email.padEnd(32)} ${r.role.padEnd(9)} ${r.active ? 'active  ' : 'inactive'} ${membership}`,
          )
        }
        print(`${rows.length} user${rows.length === 1 ? '' : 's'}`)
      })
      return
    }
    case 'outbox': {
      const action = positionals[0] ?? 'list'
      await run(async (db) => {
        if (action === 'list') {
          const counts = await db
            .selectFrom('outbox')
            .select(['status', sql<number>`count(*)::int`.as('n')])
            .groupBy('status')
            .execute()
          print(counts.map((c) => `${c.status}: ${c.n}`).join(', ') || 'the outbox is empty')
          const waiting = await db
            .selectFrom('outbox')
            .select([
              'id',
              'status',
              'recipient_email',
              'subject',
              'attempts',
              'next_attempt_at',
              'last_error',
            ])
            .where('status', '!=', 'sent')
            .orderBy('created_at')
            .limit(50)
            .execute()
          for (const m of waiting) {
            const error = m.last_error ? `  last error: ${m.last_error}` : ''
            print(
              `${m.id} ${m.status.padEnd(7)} tries ${m.attempts} next ${m.next_attempt_at.toISOString()} ${m.recipient_email}: ${m.subject}${error}`,
            )
          }
        } else if (action === 'send') {
          const transport = config.smtpUrl
            ? smtpTransport(config.smtpUrl, config.mailFrom, { timeoutMs: config.smtpTimeoutSeconds * 1000 })
            : logTransport
          const result = await dispatchOutbox(db, transport, clock(), 500)
          print(
            `sent ${result.sent}, will retry ${result.retrying}, failed ${result.failed} (${transport.name})`,
          )
        } else if (action === 'retry') {
          if (!values.id && !values.failed) throw new UsageError('outbox retry needs --id ID or --failed')
          if (values.id && !/^[0-9a-f-]{36}$/i.test(values.id))
            throw new UsageError('--id must be a message id')
          let q = db
            .updateTable('outbox')
            .set({ status: 'pending', attempts: 0, next_attempt_at: clock() })
            .where('status', '=', 'failed')
          if (values.id) q = q.where('id', '=', values.id)
          const result = await q.executeTakeFirst()
          print(`${result.numUpdatedRows} message(s) queued again; they go out with the next send`)
        } else {
          throw new UsageError(`unknown outbox action "${action}"`)
        }
      })
      return
    }
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

// Run as a program (`node scripts/cli.ts …`), not when a test imports it. (import.meta.main would
// say the same, but only from Node 22.18.)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  })
  // Leave at once on failure, whatever is still open (a half-read stdin, a prompt).
  if (code !== 0) process.exit(code)
}
