/**
 * The Node entry's copy of what Workers static assets do: serve the built web app from web/dist,
 * falling back to index.html for the app's own paths, and build it first when it is missing or
 * older than its sources (so that `npm start` just works on a fresh clone). Building needs Vite, a
 * devDependency: a production install (`npm run build`, then `npm prune --omit=dev`) serves what
 * was built and never builds. Node only.
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

/** True when Vite (a devDependency) is installed: not after `npm prune --omit=dev`. */
function viteInstalled(): boolean {
  try {
    import.meta.resolve('vite')
    return true
  } catch {
    return false
  }
}

/**
 * Builds web/dist with Vite when it is missing or stale; returns whether it built. Without Vite it
 * builds nothing and says so when web/dist is missing or older than web/; the API is served anyway.
 */
export async function ensureWebBuilt(): Promise<boolean> {
  const index = join(dist, 'index.html')
  const exists = existsSync(index)
  if (exists && statSync(index).mtimeMs >= newestSource(webRoot)) return false
  if (!viteInstalled()) {
    console.warn(
      exists
        ? 'web/dist is older than web/, and Vite is not installed to rebuild it: serving the old build. Run `npm run build` where devDependencies are installed.'
        : 'web/dist is missing, and Vite is not installed to build it: serving the API only. Run `npm run build` before `npm prune --omit=dev`.',
    )
    return false
  }
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
