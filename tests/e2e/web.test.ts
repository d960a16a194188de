import { gzipSync } from 'node:zlib'
import { TZDate } from '@date-fns/tz'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { axeViolations, haveChromium, launch, startServer, watchedPage } from '../helpers/browser.ts'
import { makeArea, makeDepartment, makeFacility, unique } from '../helpers/fixtures.ts'

if (!haveChromium) {
  if (process.env.CI) throw new Error('CI runs the browser tests: install Debian’s chromium (.ci/run does)')
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)')
}

const zone = 'Europe/Moscow'
const pad = (n: number) => String(n).padStart(2, '0')
/** A local date `days` from today in the city, as the parts the UI shows and takes. */
function cityDay(days: number) {
  const now = new TZDate(Date.now(), zone)
  const d = new TZDate(now.getFullYear(), now.getMonth(), now.getDate() + days, zone)
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  return { date, weekday: d.getDay() === 0 ? 7 : d.getDay() }
}

describe.runIf(haveChromium)('the web app in Chromium', () => {
  let browser: Browser
  let server: Awaited<ReturnType<typeof startServer>>
  const axeReport: Record<string, number> = {}
  const consoleErrors: string[] = []
  const world = {
    pilotTitle: unique('Radar people counting'),
    siteName: unique('Test mast'),
    email: '',
    pilotUrl: '',
  }
  let official: { email: string }

  beforeAll(async () => {
    server = await startServer()
    browser = await launch()
    // A site of its own, open at once, managed by a department whose official the test signs in as.
    const department = await makeDepartment(server.db)
    const area = await makeArea(server.db, {
      departmentId: department.id,
      categories: ['digital', 'lighting'],
    })
    await makeFacility(server.db, {
      areaId: area.id,
      name: world.siteName,
      kind: 'network_point',
      connectivity: ['5g'],
    })
    official = await makeUser(server.db, 'official', { departmentId: department.id })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    console.log('axe serious/critical violations per page:', JSON.stringify(axeReport))
  })

  async function open(path: string, locale = 'en-GB', viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ locale, viewport })
    const { page, errors } = await watchedPage(context)
    await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' })
    return { page, errors, context }
  }

  async function checkAccessible(page: Page, name: string) {
    await page.waitForLoadState('networkidle')
    const violations = await axeViolations(page)
    axeReport[name] = violations.length
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([])
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${server.url}/signin`, { waitUntil: 'networkidle' })
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { waitUntil: 'commit' })
  }

  it('shows visitors the demo pilots on the calendar, with small initial JavaScript', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const { page, errors } = await watchedPage(context)
    const scripts: Buffer[] = []
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script') scripts.push(await res.body())
    })
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle' })
    await page.locator('.fc-event').first().waitFor()
    await expect(page.locator('.fc').textContent()).resolves.toContain(
      'Adaptive LED lighting on the embankment',
    )
    await page.getByText('Times are shown in Europe/Moscow.').waitFor()
    const gzipped = scripts.reduce((sum, body) => sum + gzipSync(body).length, 0)
    console.log(`calendar page: ${scripts.length} scripts, ${(gzipped / 1024).toFixed(1)} KiB gzipped`)
    expect(gzipped).toBeLessThan(200 * 1024)
    await checkAccessible(page, 'calendar')
    // The list view is the calendar's keyboard- and screen-reader-friendly form.
    await page.getByRole('button', { name: 'List' }).click()
    await page.locator('.fc-list-event').first().waitFor()
    await checkAccessible(page, 'calendar (list)')
    consoleErrors.push(...errors)
    await context.close()
  })

  it('lets a company register, create a pilot and request two slots, typed and dragged', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } })
    const { page, errors } = await watchedPage(context)
    world.email = `${unique('founder').replace(' ', '-')}@startup.example`

    await page.goto(`${server.url}/register`, { waitUntil: 'networkidle' })
    await checkAccessible(page, 'register')
    await page.getByLabel('Your name').fill('Founder Person')
    await page.getByLabel('Email').fill(world.email)
    await page.getByLabel('Password').fill(testPassword)
    await page.getByLabel('Organisation', { exact: true }).fill(unique('Startup'))
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/my', { waitUntil: 'commit' })
    await page.getByRole('link', { name: 'My pilots' }).waitFor()
    await checkAccessible(page, 'my pilots')

    await page.getByRole('button', { name: 'New pilot' }).click()
    await page.waitForURL('**/my/pilots/new', { waitUntil: 'commit' })
    await checkAccessible(page, 'new pilot')
    await page.getByLabel('Title').fill(world.pilotTitle)
    await page.getByLabel('Summary').fill('Counting people with radar, no cameras')
    await page.getByLabel('Category').selectOption('digital')
    await page
      .getByLabel('Public description')
      .fill('A radar counts passers-by to plan lighting and cleaning.')
    await page.getByLabel('Data collected').fill('Counts per minute; no images, no personal data.')
    await page.getByLabel('Contact email').fill('pilot@startup.example')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/my\/pilots\/[0-9a-f-]{36}$/, { waitUntil: 'commit' })
    world.pilotUrl = new URL(page.url()).pathname.replace('/my', '')

    // First slot: typed into Start and End, the keyboard path.
    await page.getByRole('button', { name: 'Request a slot' }).click()
    await page.waitForURL('**/request', { waitUntil: 'commit' })
    await page.getByLabel('Site').selectOption({ label: world.siteName })
    const typed = cityDay(3)
    await page.getByLabel('Start').fill(`${typed.date}T10:00`)
    await page.getByLabel('End').fill(`${typed.date}T12:00`)
    await page.getByLabel('Note').fill('typed request')
    await page.getByText('This time meets the site’s rules.').waitFor()
    await checkAccessible(page, 'request a slot')
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL(/\/my\/pilots\/[0-9a-f-]{36}$/, { waitUntil: 'commit' })
    await page.getByText('Pending').first().waitFor()

    // A time in the past is explained in words before submitting.
    await page.getByRole('button', { name: 'Request a slot' }).click()
    await page.waitForURL('**/request', { waitUntil: 'commit' })
    await page.getByLabel('Site').selectOption({ label: world.siteName })
    const past = cityDay(-2)
    await page.getByLabel('Start').fill(`${past.date}T10:00`)
    await page.getByLabel('End').fill(`${past.date}T11:00`)
    await page.getByText(/Too soon/).waitFor()

    // Second slot: dragged across the week view, 14:00–15:00 tomorrow (next week's view on Sundays).
    const dragged = cityDay(1)
    if (dragged.weekday === 1) await page.locator('.fc-next-button').click()
    const column = page.locator(`.fc-timegrid-col[data-date="${dragged.date}"]`)
    await column.scrollIntoViewIfNeeded()
    const from = await page.locator('.fc-timegrid-slot-lane[data-time="14:00:00"]').boundingBox()
    const to = await page.locator('.fc-timegrid-slot-lane[data-time="14:30:00"]').boundingBox()
    const col = await column.boundingBox()
    if (!from || !to || !col) throw new Error('the week view has no 14:00 slot for the chosen day')
    const x = col.x + col.width / 2
    await page.mouse.move(x, from.y + 3)
    await page.mouse.down()
    await page.mouse.move(x, to.y + to.height / 2, { steps: 8 })
    await page.mouse.move(x, to.y + to.height - 3, { steps: 4 })
    await page.mouse.up()
    await expect.poll(() => page.getByLabel('Start').inputValue()).toBe(`${dragged.date}T14:00`)
    await expect.poll(() => page.getByLabel('End').inputValue()).toBe(`${dragged.date}T15:00`)
    await page.getByLabel('Note').fill('dragged request')
    await page.getByText('This time meets the site’s rules.').waitFor()
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL(/\/my\/pilots\/[0-9a-f-]{36}$/, { waitUntil: 'commit' })
    await expect.poll(() => page.locator('.badge', { hasText: 'Pending' }).count()).toBe(2)
    consoleErrors.push(...errors)
    await context.close()
  }, 60_000)

  it('lets the official approve one request and reject the other with a note', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const { page, errors } = await watchedPage(context)
    await signIn(page, official.email, testPassword)
    await page.getByRole('link', { name: 'Review queue' }).click()
    await page.waitForURL('**/review', { waitUntil: 'commit' })
    const typed = page.locator('li.review', { hasText: 'typed request' })
    const dragged = page.locator('li.review', { hasText: 'dragged request' })
    await typed.waitFor()
    await dragged.waitFor()
    await expect.poll(() => typed.textContent()).toContain(world.pilotTitle)
    await checkAccessible(page, 'review queue')

    await typed.getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => page.locator('li.review', { hasText: 'typed request' }).count()).toBe(0)
    await dragged.getByRole('button', { name: 'Reject' }).click()
    await page.getByText('Write a note for the applicant').waitFor()
    await dragged.getByLabel('Note').fill('The mast is needed for maintenance that afternoon.')
    await dragged.getByRole('button', { name: 'Reject' }).click()
    await page.getByText('Nothing waiting for your department.').waitFor()

    // The site page shows the official their closures.
    await page.goto(`${server.url}/sites`, { waitUntil: 'networkidle' })
    await page.getByRole('link', { name: world.siteName }).click()
    await page.getByRole('heading', { name: 'Closures' }).waitFor()
    await checkAccessible(page, 'site (official)')
    consoleErrors.push(...errors)
    await context.close()
  }, 60_000)

  it('shows the public the approved pilot and not the rejected booking; the company sees why', async () => {
    const { page, errors, context } = await open('/pilots')
    await checkAccessible(page, 'pilots')
    await page.getByRole('link', { name: world.pilotTitle }).click()
    await page.waitForURL(`**${world.pilotUrl}`, { waitUntil: 'commit' })
    await page.getByRole('heading', { name: world.pilotTitle }).waitFor()
    await page.getByText('Counts per minute; no images, no personal data.').waitFor()
    const whereAndWhen = page.locator('article ul li')
    await expect.poll(() => whereAndWhen.count()).toBe(1)
    await expect.poll(() => whereAndWhen.textContent()).toContain(world.siteName)
    await checkAccessible(page, 'pilot')

    await page.goto(`${server.url}/`, { waitUntil: 'networkidle' })
    await page.getByRole('button', { name: 'List' }).click()
    await expect.poll(() => page.locator('.fc-list').getByText(world.pilotTitle).count()).toBe(0) // not this month necessarily
    consoleErrors.push(...errors)
    await context.close()

    const company = await browser.newContext({ locale: 'en-GB' })
    const watched = await watchedPage(company)
    await signIn(watched.page, world.email, testPassword)
    await watched.page.goto(`${server.url}/my${world.pilotUrl}`, { waitUntil: 'networkidle' })
    await watched.page.getByText('Approved').first().waitFor()
    await watched.page.getByText('Rejected').first().waitFor()
    await watched.page.getByText('The mast is needed for maintenance that afternoon.').waitFor()
    consoleErrors.push(...watched.errors)
    await company.close()
  }, 60_000)

  it('lists sites with spec filters, and each site with its rules and free/busy time', async () => {
    const { page, errors, context } = await open('/sites')
    await checkAccessible(page, 'sites')
    await page.getByLabel('5G').check()
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: world.siteName }).waitFor()
    await expect.poll(() => page.getByRole('link', { name: 'Embankment lighting pole P-01' }).count()).toBe(0)
    await page.getByRole('link', { name: world.siteName }).click()
    await page.getByRole('heading', { name: 'Booking rules' }).waitFor()
    await page.locator('.fc-timegrid').waitFor()
    await checkAccessible(page, 'site')
    consoleErrors.push(...errors)
    await context.close()
  })

  it('speaks Russian to a Russian browser, and remembers the language chosen', async () => {
    const { page, errors, context } = await open('/', 'ru-RU')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ru')
    for (const name of ['Календарь', 'Площадки', 'Пилоты', 'Войти']) {
      await page.getByRole('link', { name, exact: true }).waitFor()
    }
    await page.getByText('Время указано в часовом поясе Europe/Moscow.').waitFor()
    await page.locator('.fc-event').first().waitFor()
    await checkAccessible(page, 'calendar (ru)')
    await page.getByRole('link', { name: 'Войти' }).click()
    await page.getByLabel('Эл. почта').waitFor()
    await page.getByRole('button', { name: 'Войти' }).waitFor()

    await page.getByLabel('Язык').selectOption('en')
    await page.getByRole('link', { name: 'Calendar', exact: true }).waitFor()
    await page.reload({ waitUntil: 'networkidle' })
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en')
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    consoleErrors.push(...errors)
    await context.close()
  })

  it('works by keyboard alone: skip link, sign-in form, visible focus', async () => {
    const { page, errors, context } = await open('/signin')
    await page.keyboard.press('Tab')
    await expect
      .poll(() =>
        page.getByRole('link', { name: 'Skip to content' }).evaluate((el) => el === document.activeElement),
      )
      .toBe(true)
    await page.keyboard.press('Enter')
    await page.getByLabel('Email').focus()
    await page.keyboard.type('company@example.org')
    await page.keyboard.press('Tab')
    await expect
      .poll(() => page.getByLabel('Password').evaluate((el) => el === document.activeElement))
      .toBe(true)
    const outline = await page.getByLabel('Password').evaluate((el) => getComputedStyle(el).outlineStyle)
    expect(outline).not.toBe('none')
    await page.keyboard.type('testbed-demo')
    await page.keyboard.press('Enter')
    await page
      .waitForURL('**/my', { waitUntil: 'commit', timeout: 10_000 })
      .catch(async () =>
        expect.fail(`still on ${page.url()}: ${await page.locator('.notice').allTextContents()}`),
      )
    await page.getByRole('heading', { name: 'My pilots' }).waitFor()
    consoleErrors.push(...errors)
    await context.close()
  })

  it('lets an admin create a department', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const { page, errors } = await watchedPage(context)
    await signIn(page, 'admin@example.org', 'testbed-demo')
    await page.waitForURL('**/admin', { waitUntil: 'commit' })
    await page.getByRole('heading', { name: 'Departments' }).waitFor()
    await checkAccessible(page, 'administration')
    const name = unique('Parks and Gardens')
    await page.getByLabel('New department').fill(name)
    await page.getByRole('button', { name: 'Create' }).first().click()
    await page.getByText('Saved.').waitFor()
    await expect
      .poll(() =>
        page
          .locator('ul input')
          .evaluateAll((inputs, n) => inputs.some((i) => (i as HTMLInputElement).value === n), name),
      )
      .toBe(true)
    consoleErrors.push(...errors)
    await context.close()
  })

  it('draws the map from GeoJSON without any tiles, with a list beside it', async () => {
    const { page, errors, context } = await open('/map')
    await page.locator('.leaflet-overlay-pane path').first().waitFor()
    // 4 demo areas and 14 demo sites, at least, drawn as SVG shapes on a plain background.
    expect(await page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThanOrEqual(18)
    expect(await page.locator('.leaflet-tile').count()).toBe(0)
    await page.getByRole('heading', { name: 'Areas and sites' }).waitFor()
    await page.getByRole('link', { name: 'Petrovskaya Embankment' }).waitFor()
    await page
      .locator('.map-list')
      .getByRole('link', { name: 'Adaptive LED lighting on the embankment' })
      .first()
      .waitFor()
    await checkAccessible(page, 'map')
    consoleErrors.push(...errors)
    await context.close()
  })

  it('shows officials the reports with CSV downloads', async () => {
    const context = await browser.newContext({ locale: 'en-GB' })
    const { page, errors } = await watchedPage(context)
    await signIn(page, official.email, testPassword)
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('heading', { name: 'Utilisation per area' }).waitFor()
    expect(await page.getByRole('link', { name: 'Download CSV' }).count()).toBe(6)
    await checkAccessible(page, 'reports')
    consoleErrors.push(...errors)
    await context.close()
  })

  it('fits a 390 px phone without sideways scrolling', async () => {
    for (const path of ['/', '/sites', '/pilots', '/map', '/signin', '/register']) {
      const { page, errors, context } = await open(path, 'en-GB', { width: 390, height: 844 })
      await page.waitForTimeout(300)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(width, path).toBeLessThanOrEqual(390)
      consoleErrors.push(...errors)
      await context.close()
    }
  })

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([])
  })
})
