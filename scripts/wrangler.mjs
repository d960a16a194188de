#!/usr/bin/env node
// Runs wrangler offline: no metrics, no login, settings kept inside the project.
//   node scripts/wrangler.mjs dev            → `npm run dev:worker`: the API in workerd on PORT,
//                                             against the PostgreSQL at DATABASE_URL
//   node scripts/wrangler.mjs deploy --dry-run [--outdir dist] → `npm run build:worker`
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? `${root}.config`,
}

if (args[0] === 'dev') {
  if (!process.env.DATABASE_URL) {
    console.error(
      'npm run dev:worker needs DATABASE_URL, the PostgreSQL that the Hyperdrive binding stands for locally, e.g.\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/testbed npm run dev:worker\n' +
        '(run `npm run db:migrate` against it first)',
    )
    process.exit(2)
  }
  // Hyperdrive's local mode refuses a URL without a password. A server with trust auth (as on
  // development machines) ignores the password, so a placeholder stands in for a missing one.
  const url = new URL(process.env.DATABASE_URL)
  if (!url.password) url.password = 'local-dev'
  env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = url.toString()
  args.push('--local', '--ip', process.env.HOST ?? '127.0.0.1', '--port', process.env.PORT ?? '8787')
}

const wrangler = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))
const child = spawn(process.execPath, [wrangler, ...args], { stdio: 'inherit', env, cwd: root })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
