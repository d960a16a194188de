import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { day, fromNow, hour } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

describe.runIf(haveChromium)('the review queue in Chromium', () => {
  const suite = browserSuite()

  const open = async (options: BrowserContextOptions = {}) => (await suite.context(options)).page

  const { signIn } = suite

  /** A department of the test's own with `count` pending requests; the first half submitted long ago. */
  async function desk(count: number) {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    const facility = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Queue pole') })
    const official = await makeUser(suite.server.db, 'official', { departmentId: department.id })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, {
      title: unique('Adaptive lamps'),
    })
    const ids: string[] = []
    for (let i = 0; i < count; i += 1) {
      const start = fromNow((3 + i) * day)
      ids.push(
        await makeBooking(suite.server.db, {
          pilotId: pilot.id,
          facilityId: facility.id,
          start,
          end: new Date(start.getTime() + hour),
          departmentIds: [department.id],
          createdBy: company.id,
          ...(i < count / 2 ? { at: fromNow(-30 * day) } : {}),
        }),
      )
    }
    return { department, facility, official, pilot, ids }
  }

  /** The API requests a page makes from now on, as paths with their queries. */
  function apiRequests(page: Page) {
    const seen: string[] = []
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.pathname.startsWith('/api/')) seen.push(url.pathname + url.search)
    })
    return seen
  }

  it('approves 20 requests in one bulk action after one request for the whole queue', async () => {
    const d = await desk(20)
    const first = await open()
    await signIn(first, d.official.email)
    await first.getByText('Waiting: 20').waitFor()
    // A fresh page of the signed-in context: every request of one load of the queue, and no other.
    const page = await first.context().newPage()
    const requests = apiRequests(page)
    await page.goto(`${suite.server.url}/review`, { waitUntil: 'networkidle' })
    await page.getByText('Waiting: 20').waitFor()
    const boot = ['/api/settings', '/api/auth/session']
    const queueCalls = requests.filter((r) => !boot.includes(r))
    expect(queueCalls, JSON.stringify(queueCalls)).toHaveLength(1)
    expect(queueCalls[0]).toMatch(/^\/api\/review-queue\?/)
    expect(await page.locator('table.queue tbody tr').count()).toBe(20)
    expect(await page.getByText('Overdue').count()).toBe(10)
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])

    // The keyboard picks rows: space on the first, arrow down, space on the second.
    await page.locator('table.queue input[type="checkbox"]').first().focus()
    await page.keyboard.press('Space')
    await page.getByRole('heading', { name: 'Selected: 1' }).waitFor()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Space')
    await page.getByRole('heading', { name: 'Selected: 2' }).waitFor()

    await page.getByLabel('Select all shown').check()
    await page.getByRole('heading', { name: 'Selected: 20' }).waitFor()
    const sent = requests.length
    await page.getByRole('button', { name: 'Approve selected' }).click()
    await page.locator('.notice').getByText('20 approved').waitFor()
    await page.getByText('Waiting: 0').waitFor()
    await page.getByText('Nothing waiting for your department.').waitFor()
    const bulk = requests.slice(sent).filter((r) => r === '/api/reviews/bulk')
    expect(bulk).toHaveLength(1)
    const states = await suite.server.db
      .selectFrom('bookings')
      .select('state')
      .where('id', 'in', d.ids)
      .execute()
    expect(states.map((s) => s.state)).toEqual(Array(20).fill('approved'))
  }, 60_000)

  it('shows 50 rows, loads the rest on demand, and selects every row shown', async () => {
    const d = await desk(53)
    const page = await open()
    await signIn(page, d.official.email)
    await page.getByText('Waiting: 53').waitFor()
    const rows = page.locator('table.queue tbody tr')
    expect(await rows.count()).toBe(50)
    await page.getByRole('button', { name: 'Load more (shown 50 of 53)' }).click()
    await expect.poll(() => rows.count()).toBe(53)
    expect(await page.getByRole('button', { name: /^Load more/ }).count()).toBe(0)
    await page.getByLabel('Select all shown').check()
    await page.getByRole('heading', { name: 'Selected: 53' }).waitFor()
  }, 60_000)

  it('keeps filters in the address, opens one record on demand, and fits 320 px', async () => {
    const d = await desk(3)
    const page = await open({ viewport: { width: 320, height: 800 } })
    await signIn(page, d.official.email)
    await page.goto(`${suite.server.url}/review?sort=start&q=${encodeURIComponent(d.pilot.title)}`, {
      waitUntil: 'networkidle',
    })
    await page.getByText('Waiting: 3').waitFor()
    expect(await page.getByLabel('Order by').inputValue()).toBe('start')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(320)
    await page.getByLabel('Pilot or company').fill('no such pilot anywhere')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL((url) => url.searchParams.get('q') === 'no such pilot anywhere')
    await page.getByText('Waiting: 0').waitFor()
    await page.goBack()
    await page.getByText('Waiting: 3').waitFor()

    const requests = apiRequests(page)
    await page.getByRole('button', { name: d.pilot.title }).first().click()
    await page.getByRole('heading', { name: 'History' }).waitFor()
    await page.getByText('What is tested and why').waitFor()
    // The booking, its events, the pilot and the pilot's documents (issue 19).
    expect(requests.map((r) => r.split('/').slice(0, 3).join('/')).sort()).toEqual([
      '/api/bookings',
      '/api/bookings',
      '/api/pilots',
      '/api/pilots',
    ])
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    // Escape closes the record and gives focus back to the row's name.
    await page.keyboard.press('Escape')
    await page.locator('.queue-detail').waitFor({ state: 'detached' })
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('row-open')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'History' }).waitFor()
    await page.getByRole('button', { name: 'Reject', exact: true }).click()
    await page.getByText('Write a note for the applicant').waitFor()
    await page.getByLabel('Note').last().fill('The pole is being replaced that week.')
    await page.getByRole('button', { name: 'Reject', exact: true }).click()
    await page.locator('.notice').getByText('1 rejected').waitFor()
    await page.getByText('Waiting: 2').waitFor()

    await page.getByLabel('Language').selectOption('ru')
    await page.getByText('Ожидают решения: 2').waitFor()
    await page.getByRole('heading', { name: 'Выбрано: 0' }).waitFor()
  }, 60_000)
})
