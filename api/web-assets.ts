/**
 * The Node entry's copy of what Workers static assets do: serve the built web app from web/dist,
 * falling back to index.html for the app's own paths, and build it first when it is missing or
 * older than its sources (so that `npm start` just works on a fresh clone). Node only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'
import type { AppEnv } from './lib/context.ts'

const webRoot = fileURLToPath(new URL('../web', import.meta.url))
const dist = join(webRoot, 'dist')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds web/dist with Vite when it is missing or stale; returns whether it built. */
export async function ensureWebBuilt(): Promise<boolean> {
  const index = join(dist, 'index.html')
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(webRoot)) return false
  const { build } = await import('vite')
  await build({ configFile: join(webRoot, 'vite.config.ts'), logLevel: 'warn' })
  return true
}

/** Static files, then the app's index.html for any other GET outside /api. */
export function serveWebApp(app: Hono<AppEnv>) {
  app.get('*', serveStatic({ root: dist }))
  app.get('*', (c, next) => {
    if (c.req.path.startsWith('/api/')) return next()
    const index = join(dist, 'index.html')
    if (!existsSync(index)) return next()
    return c.html(readFileSync(index, 'utf8'))
  })
}
