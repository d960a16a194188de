/**
 * The review queue page in a real browser (issue 17): Chromium, signed in as the bench's official
 * by its session cookie, loads /review (and other views of it) `runs` times after one warm-up. Each load is timed from
 * navigation to the first row's first control being in the page and taking focus ("interactive"), in the
 * page's own clock, and counts the requests it made (API and in all) and the bytes it received.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'

export const chromiumPath = '/usr/bin/chromium'

export interface PageLoad {
  interactiveMs: number
  apiRequests: number
  requests: number
  bytes: number
}

/** Marks, in the page's clock, when the queue's first row can be picked from the keyboard. */
function watchFirstRow() {
  const mark = () => {
    // The row's checkbox, or its name's button where the row cannot be decided (another state).
    const box = document.querySelector<HTMLElement>(
      'table.queue tbody tr:first-child [data-nav]:not([disabled])',
    )
    if (!box) return false
    box.focus()
    if (document.activeElement !== box) return false
    ;(window as unknown as { firstRowAt: number }).firstRowAt = performance.now()
    return true
  }
  new MutationObserver((_, observer) => {
    if (mark()) observer.disconnect()
  }).observe(document, { childList: true, subtree: true, attributes: true })
}

/** One load of the page: its time to interactive, its requests and the bytes they brought. */
async function load(page: Page, url: string): Promise<PageLoad> {
  const finished: Promise<{ api: boolean; bytes: number }>[] = []
  page.on('requestfinished', (request) => {
    const api = new URL(request.url()).pathname.startsWith('/api/')
    finished.push(request.sizes().then((s) => ({ api, bytes: s.responseBodySize + s.responseHeadersSize })))
  })
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForFunction(
    () => (window as unknown as { firstRowAt?: number }).firstRowAt !== undefined,
    null,
    {
      timeout: 60_000,
    },
  )
  const interactiveMs = await page.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt)
  await page.waitForLoadState('networkidle')
  const done = await Promise.all(finished)
  return {
    interactiveMs,
    apiRequests: done.filter((d) => d.api).length,
    requests: done.length,
    bytes: done.reduce((sum, d) => sum + d.bytes, 0),
  }
}

/**
 * `runs` loads of each page (a path of the site, such as `/review`) after one warm-up; undefined
 * when Chromium is not installed.
 */
export async function reviewQueuePageLoads(
  base: string,
  sessionToken: string,
  runs: number,
  paths: string[],
) {
  if (!existsSync(chromiumPath)) return undefined
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' })
    await context.addCookies([{ name: 'testbed_session', value: sessionToken, url: base }])
    await context.addInitScript(watchFirstRow)
    const loads: PageLoad[][] = []
    for (const path of paths) {
      const these: PageLoad[] = []
      for (let i = 0; i <= runs; i += 1) {
        const page = await context.newPage()
        const measured = await load(page, `${base}${path}`)
        if (i > 0) these.push(measured)
        await page.close()
      }
      loads.push(these)
    }
    return loads
  } finally {
    await browser.close()
  }
}
