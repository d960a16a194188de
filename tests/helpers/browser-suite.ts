import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { testPassword } from './accounts.ts'
import { axeViolations, launch, startServer, type WatchedContext, watchedContext } from './browser.ts'
import { testNow } from './clock.ts'

type TestServer = Awaited<ReturnType<typeof startServer>>

export interface BrowserSuiteOptions {
  /** The server's and the pages' clock (default: the suite's now). */
  now?: Date
  /** Settings for the server beyond the test defaults. */
  env?: Record<string, string>
  /** Console errors a file expects and forgives (say, a 404 a page asks for on purpose). */
  forgive?: (error: string) => boolean
}

/**
 * One server and one Chromium for a browser test file: started before its tests, closed after
 * them; every context a test opens is closed after it, and the test fails on any console error
 * or uncaught exception of its pages. Call it inside the file's `describe`.
 *
 * @example
 * const suite = browserSuite()
 * it('…', async () => {
 *   const page = await suite.open(official.email, '/review')
 *   await suite.expectAxeClean(page)
 * })
 */
export function browserSuite(options: BrowserSuiteOptions = {}) {
  const now = options.now ?? testNow
  let server: TestServer | undefined
  let browser: Browser | undefined
  let opened: WatchedContext[] = []
  beforeAll(async () => {
    server = await startServer(now, options.env)
    browser = await launch()
  }, 60_000)
  afterEach(async () => {
    const errors = opened.flatMap((o) => o.errors).filter((e) => !options.forgive?.(e))
    await Promise.all(opened.map((o) => o.context.close()))
    opened = []
    expect(errors, 'console errors and uncaught exceptions on the pages this test visited').toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  const suite = {
    get server(): TestServer {
      if (!server) throw new Error('the browser suite has not started')
      return server
    },
    get browser(): Browser {
      if (!browser) throw new Error('the browser suite has not started')
      return browser
    },
    /** A new context of its own, watched, closed after the test. */
    async context(contextOptions: BrowserContextOptions = {}) {
      const watched = await watchedContext(suite.browser, contextOptions, now)
      opened.push(watched)
      return watched
    },
    /** Signs in on the sign-in page (English labels) and waits to leave it. */
    async signIn(page: Page, email: string, password = testPassword) {
      await page.goto(`${suite.server.url}/signin`, { waitUntil: 'networkidle' })
      await page.getByLabel('Email').fill(email)
      await page.getByLabel('Password').fill(password)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { waitUntil: 'commit' })
    },
    /** A new context signed in as `email` (null: a visitor) at `path`. */
    async open(email: string | null, path: string, contextOptions: BrowserContextOptions = {}) {
      const { page } = await suite.context(contextOptions)
      if (email) await suite.signIn(page, email)
      await page.goto(`${suite.server.url}${path}`, { waitUntil: 'networkidle' })
      return page
    },
    /** The errors logged so far by the context of `page` (a test may take out one it expected). */
    errorsOf(page: Page): string[] {
      return opened.find((o) => o.page === page)?.errors ?? []
    },
    /**
     * Chromium logs every 4xx answer as an error: the one a test asked for must come (it may
     * come a moment after the answer), once, and is then taken out of the errors.
     */
    async expectRefusalLogged(page: Page, status: number) {
      const index = () => suite.errorsOf(page).findIndex((e) => e.includes(`status of ${status}`))
      await expect.poll(index, { message: `the browser logged the ${status}` }).toBeGreaterThanOrEqual(0)
      suite.errorsOf(page).splice(index(), 1)
    },
    /** No serious or critical WCAG 2.1 AA violation on the page as it is now. */
    async expectAxeClean(page: Page) {
      const violations = await axeViolations(page)
      expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    },
  }
  return suite
}
