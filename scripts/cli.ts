/**
 * The operator CLI: `npm run cli -- <command>`. Works against DATABASE_URL, or the embedded
 * database under DATA_DIR. Passwords are read from a prompt (hidden) or from standard input,
 * never from the command line, where they would end up in shell history and process lists.
 *
 *   npm run cli -- create-admin --email admin@city.example --name "Anna Admin"
 *   echo "$PASSWORD" | npm run cli -- reset-password --email someone@city.example
 *   npm run cli -- list-users [--role admin|official|company]
 *   npm run cli -- outbox [list | send | retry --id ID | retry --failed]
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { z } from 'zod'
import { passwordWeakness } from '../api/domain/password-policy.ts'
import { parseConfig } from '../api/lib/config.ts'
import { hashPassword } from '../api/lib/password.ts'
import { smtpTransport } from '../api/mail/smtp.ts'
import { recordEvent } from '../api/queries/events.ts'
import { deleteUserSessions } from '../api/queries/sessions.ts'
import { dispatchOutbox, logTransport } from '../api/services/outbox.ts'
import type { Connection } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { openConfiguredDatabase } from '../db/open.ts'

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

async function readHiddenLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  const output = rl as unknown as { _writeToOutput: (s: string) => void }
  let prompted = false
  output._writeToOutput = (s: string) => {
    // Echo the prompt once, then nothing of what is typed.
    if (!prompted) process.stdout.write(s)
    prompted = true
  }
  const line = await new Promise<string>((resolve) => rl.question(prompt, resolve))
  rl.close()
  process.stdout.write('\n')
  return line
}

async function readStdinLine(): Promise<string> {
  let data = ''
  for await (const chunk of process.stdin) data += chunk
  return data.split(/\r?\n/)[0] ?? ''
}

/** A new password from the terminal (asked twice) or the first line of stdin, checked by the policy. */
async function readNewPassword(email: string): Promise<string> {
  let password: string
  if (process.stdin.isTTY) {
    password = await readHiddenLine('New password: ')
    if ((await readHiddenLine('Repeat it: ')) !== password) throw new UsageError('the two passwords differ')
  } else {
    password = await readStdinLine()
  }
  const weakness = passwordWeakness(password, email)
  if (weakness) throw new UsageError(`the password ${weakness}`)
  return password
}

const Email = z.email().transform((e) => e.trim().toLowerCase())

async function main() {
  const [command, ...rest] = process.argv.slice(2)
  if (!command || command === 'help' || command === '--help') {
    console.log(usage)
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
  const config = parseConfig(process.env)

  const run = async (work: (db: Connection['db']) => Promise<void>) => {
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
      const password = await readNewPassword(email.data)
      const passwordHash = await hashPassword(password)
      await run(async (db) => {
        const taken = await db
          .selectFrom('users')
          .select('id')
          .where(sql<string>`lower(email)`, '=', email.data)
          .executeTakeFirst()
        if (taken) throw new UsageError(`a user with the e-mail ${email.data} exists already`)
        await db.transaction().execute(async (tx) => {
          const now = new Date()
          const { id } = await tx
            .insertInto('users')
            .values({ email: email.data, name, password_hash: passwordHash, role: 'admin' })
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
        console.log(`admin ${email.data} created`)
      })
      return
    }
    case 'reset-password': {
      const email = Email.safeParse(values.email)
      if (!email.success) throw new UsageError('--email must be an e-mail address')
      const password = await readNewPassword(email.data)
      const passwordHash = await hashPassword(password)
      await run(async (db) => {
        const user = await db
          .selectFrom('users')
          .select('id')
          .where(sql<string>`lower(email)`, '=', email.data)
          .executeTakeFirst()
        if (!user) throw new UsageError(`no user has the e-mail ${email.data}`)
        await db.transaction().execute(async (tx) => {
          const now = new Date()
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
        console.log(`password of ${email.data} reset; their sessions have ended`)
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
          console.log(
            `${r.email.padEnd(32)} ${r.role.padEnd(9)} ${r.active ? 'active  ' : 'inactive'} ${membership}`,
          )
        }
        console.log(`${rows.length} user${rows.length === 1 ? '' : 's'}`)
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
          console.log(counts.map((c) => `${c.status}: ${c.n}`).join(', ') || 'the outbox is empty')
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
            console.log(
              `${m.id} ${m.status.padEnd(7)} tries ${m.attempts} next ${m.next_attempt_at.toISOString()} ${m.recipient_email}: ${m.subject}${error}`,
            )
          }
        } else if (action === 'send') {
          const transport = config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : logTransport
          const result = await dispatchOutbox(db, transport, new Date(), 500)
          console.log(
            `sent ${result.sent}, will retry ${result.retrying}, failed ${result.failed} (${transport.name})`,
          )
        } else if (action === 'retry') {
          if (!values.id && !values.failed) throw new UsageError('outbox retry needs --id ID or --failed')
          if (values.id && !/^[0-9a-f-]{36}$/i.test(values.id))
            throw new UsageError('--id must be a message id')
          let q = db
            .updateTable('outbox')
            .set({ status: 'pending', attempts: 0, next_attempt_at: new Date() })
            .where('status', '=', 'failed')
          if (values.id) q = q.where('id', '=', values.id)
          const result = await q.executeTakeFirst()
          console.log(`${result.numUpdatedRows} message(s) queued again; they go out with the next send`)
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

try {
  await main()
} catch (error) {
  if (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    console.error(`error: ${error.message}\n\n${usage}`)
    process.exit(2)
  }
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
