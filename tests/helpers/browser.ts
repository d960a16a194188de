import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { createApp } from '../../api/app.ts'
import { parseConfig } from '../../api/lib/config.ts'
import { sharedDatabase } from '../../api/lib/providers.ts'
import { serveWebApp } from '../../api/web-assets.ts'
import { testNow } from './clock.ts'
import { testConnection } from './db.ts'
import { uniqueAddress } from './fixtures.ts'

export const chromiumPath = '/usr/bin/chromium'
/** Browser tests run where Debian's Chromium is installed; CI installs it, so there they always run. */
export const haveChromium = existsSync(chromiumPath)

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * The real app, with the built web app, on a free port of this machine, over the test database,
 * its clock standing at the suite's now (pages opened with `watchedContext` share it).
 */
export async function startServer(now: Date = testNow, env: Record<string, string> = {}) {
  const connection = await testConnection()
  // Each server is a client of its own address, as testApp's apps are: the registration and
  // sign-in throttles count per address, and every test happens at the same instant.
  const address = uniqueAddress()
  const app = createApp({
    // No map tiles unless a test asks for them: browser tests never reach the internet.
    config: parseConfig({ MAP_TILES_URL: 'none', ...env }),
    database: sharedDatabase(connection.db, connection.kind),
    now: () => new Date(now),
    peerAddress: () => address,
  })
  serveWebApp(app)
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    db: connection.db,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * Runs in the page before its own scripts: `Date` starts at `startMs` and runs on from there.
 * A proxy of the real `Date`, so that `Date.prototype` and subclasses such as `TZDate` (which the
 * web app uses for city time) stay whole; Playwright's `clock.install` returns plain dates from
 * `new`, and `TZDate` then loses its time zone.
 */
function startPageClockAt(startMs: number) {
  const NativeDate = Date
  const began = performance.now()
  const now = () => startMs + Math.floor(performance.now() - began)
  const PageDate = new Proxy(NativeDate, {
    construct: (target, args, newTarget) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new NativeDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  })
  Object.defineProperty(globalThis, 'Date', { value: PageDate, writable: true, configurable: true })
}

/**
 * A browser context whose pages live at the suite's now (time flows on from it, as it does for a
 * person) and which remembers every console error and uncaught exception of every page it opens.
 */
export async function watchedContext(
  browser: Browser,
  options: BrowserContextOptions = {},
  now: Date = testNow,
) {
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 1280, height: 900 },
    ...options,
  })
  await context.addInitScript(startPageClockAt, now.getTime())
  const errors: string[] = []
  context.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.page()?.url() ?? ''}: ${m.text()}`)
  })
  context.on('weberror', (e) => errors.push(`${e.page()?.url() ?? ''}: ${String(e.error())}`))
  const page = await context.newPage()
  return { context, page, errors }
}

export type WatchedContext = Awaited<ReturnType<typeof watchedContext>>

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> }
      }
    ).axe
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
  })
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }))
}
