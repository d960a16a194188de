import { gzipSync } from 'node:zlib'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import {
  axeViolations,
  haveChromium,
  launch,
  startServer,
  type WatchedContext,
  watchedContext,
} from '../helpers/browser.ts'
import { cityDay, cityZone, hour } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

if (!haveChromium) {
  if (process.env.CI) throw new Error('CI runs the browser tests: install Debian’s chromium (.ci/run does)')
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install chromium)')
}

/** The instant `hh:mm` on the city's calendar date `date` ("YYYY-MM-DD"). */
function cityInstant(date: string, time: string) {
  return new Date(new Date(`${date}T${time}:00Z`).getTime() - 3 * hour) // Europe/Moscow is UTC+3 all year
}

describe.runIf(haveChromium)('the web app in Chromium', () => {
  let browser: Browser
  let server: Awaited<ReturnType<typeof startServer>>
  const axeReport: Record<string, number> = {}
  /** The contexts this test opened: closed after it, and none may have logged an error. */
  let opened: WatchedContext[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launch()
  }, 60_000)

  afterEach(async () => {
    const errors = opened.flatMap((o) => o.errors)
    await Promise.all(opened.map((o) => o.context.close()))
    opened = []
    expect(errors, 'console errors and uncaught exceptions on the pages this test visited').toEqual([])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    console.log('axe serious/critical violations per page:', JSON.stringify(axeReport))
  })

  /** A fresh page at the suite's now, watched for errors, optionally already at `path`. */
  async function open(path?: string, options: BrowserContextOptions = {}) {
    const watched = await watchedContext(browser, options)
    opened.push(watched)
    if (path) await watched.page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' })
    return watched
  }

  /** A corner of the city of the test's own: a department, its official, an area and a site. */
  async function corner(site: { kind?: 'network_point' | 'lighting_pole'; connectivity?: string[] } = {}) {
    const department = await makeDepartment(server.db)
    const area = await makeArea(server.db, {
      departmentId: department.id,
      categories: ['digital', 'lighting'],
    })
    const facility = await makeFacility(server.db, {
      areaId: area.id,
      name: unique('Test mast'),
      kind: site.kind ?? 'network_point',
      connectivity: site.connectivity ?? ['5g'],
    })
    const official = await makeUser(server.db, 'official', { departmentId: department.id })
    const company = await makeUser(server.db, 'company')
    return { department, area, facility, official, company }
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
    const { page } = await open()
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
  })

  it('lets a company register, create a pilot and request two slots, typed and dragged', async () => {
    const { facility } = await corner()
    const { page } = await open()
    const email = `${unique('founder').replace(' ', '-')}@startup.example`

    await page.goto(`${server.url}/register`, { waitUntil: 'networkidle' })
    await checkAccessible(page, 'register')
    await page.getByLabel('Your name').fill('Founder Person')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(testPassword)
    await page.getByLabel('Organisation', { exact: true }).fill(unique('Startup'))
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/my', { waitUntil: 'commit' })
    await page.getByRole('link', { name: 'My pilots' }).waitFor()
    await checkAccessible(page, 'my pilots')

    await page.getByRole('button', { name: 'New pilot' }).click()
    await page.waitForURL('**/my/pilots/new', { waitUntil: 'commit' })
    await checkAccessible(page, 'new pilot')
    await page.getByLabel('Title').fill(unique('Radar people counting'))
    await page.getByLabel('Summary').fill('Counting people with radar, no cameras')
    await page.getByLabel('Category').selectOption('digital')
    await page
      .getByLabel('Public description')
      .fill('A radar counts passers-by to plan lighting and cleaning.')
    await page.getByLabel('Data collected').fill('Counts per minute; no images, no personal data.')
    await page.getByLabel('Contact email').fill('pilot@startup.example')
    await page.getByRole('button', { name: 'Create' }).click()
    await page.waitForURL(/\/my\/pilots\/[0-9a-f-]{36}$/, { waitUntil: 'commit' })

    // First slot: typed into Start and End, the keyboard path.
    await page.getByRole('button', { name: 'Request a slot' }).click()
    await page.waitForURL('**/request', { waitUntil: 'commit' })
    await page.getByLabel('Site').selectOption({ label: facility.name })
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
    await page.getByLabel('Site').selectOption({ label: facility.name })
    const past = cityDay(-2)
    await page.getByLabel('Start').fill(`${past.date}T10:00`)
    await page.getByLabel('End').fill(`${past.date}T11:00`)
    await page.getByText(/The booking is in the past/).waitFor()

    // The calendar followed the typed start to its week; "today" brings it back (it is disabled
    // when that week is this one).
    const today = page.locator('.fc-today-button')
    if (await today.isEnabled()) await today.click()
    // Second slot: dragged across the week view, 14:00–15:00 tomorrow (next week's view on Sundays).
    const dragged = cityDay(1)
    if (dragged.weekday === 1) await page.locator('.fc-next-button').click()
    const column = page.locator(`.fc-timegrid-col[data-date="${dragged.date}"]`)
    await column.scrollIntoViewIfNeeded()
    await page.locator('.fc-timegrid-slot-lane[data-time="15:00:00"]').scrollIntoViewIfNeeded()
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
    // Both are in the database as the company asked, waiting for the department.
    const asked = await server.db
      .selectFrom('bookings')
      .select(['starts_at', 'ends_at', 'state', 'note'])
      .where('facility_id', '=', facility.id)
      .orderBy('starts_at')
      .execute()
    const inCity = (d: Date) => d.toISOString()
    expect(asked.map((b) => [inCity(b.starts_at), inCity(b.ends_at), b.state, b.note]).sort()).toEqual(
      [
        [
          inCity(cityInstant(typed.date, '10:00')),
          inCity(cityInstant(typed.date, '12:00')),
          'pending',
          'typed request',
        ],
        [
          inCity(cityInstant(dragged.date, '14:00')),
          inCity(cityInstant(dragged.date, '15:00')),
          'pending',
          'dragged request',
        ],
      ].sort(),
    )
  }, 60_000)

  /** A pilot of the corner's company with two pending requests for its site, three days from now. */
  async function pilotWithTwoRequests(c: Awaited<ReturnType<typeof corner>>) {
    const pilot = await makePilot(server.db, c.company.organisationId as string, {
      category: 'digital',
      title: unique('Radar people counting'),
    })
    const day = cityDay(3).date
    const ask = (from: string, to: string, note: string) =>
      makeBooking(server.db, {
        pilotId: pilot.id,
        facilityId: c.facility.id,
        start: cityInstant(day, from),
        end: cityInstant(day, to),
        departmentIds: [c.department.id],
        createdBy: c.company.id,
        note,
      })
    return {
      pilot,
      day,
      morning: await ask('10:00', '12:00', 'morning request'),
      afternoon: await ask('14:00', '15:00', 'afternoon request'),
    }
  }

  it('lets the official approve one request and reject the other with a note', async () => {
    const c = await corner()
    const asked = await pilotWithTwoRequests(c)
    const { page } = await open()
    await signIn(page, c.official.email, testPassword)
    await page.getByRole('link', { name: 'Review queue' }).click()
    await page.waitForURL('**/review', { waitUntil: 'commit' })
    // The queue's rows are compact; a row's record (the applicant's note) opens beside it.
    const morning = page.locator('table.queue tbody tr', { hasText: '10:00' })
    const afternoon = page.locator('table.queue tbody tr', { hasText: '14:00' })
    const details = page.locator('.queue-detail')
    await morning.waitFor()
    await afternoon.waitFor()
    await expect.poll(() => morning.textContent()).toContain(asked.pilot.title)
    await checkAccessible(page, 'review queue')

    await morning.getByRole('button', { name: asked.pilot.title }).click()
    await details.getByText('morning request').waitFor()
    await details.getByRole('button', { name: 'Approve', exact: true }).click()
    await morning.waitFor({ state: 'detached' })
    await afternoon.getByRole('button', { name: asked.pilot.title }).click()
    await details.getByText('afternoon request').waitFor()
    await details.getByRole('button', { name: 'Reject', exact: true }).click()
    await page.getByText('Write a note for the applicant').waitFor()
    await details.getByLabel('Note').fill('The mast is needed for maintenance that afternoon.')
    await details.getByRole('button', { name: 'Reject', exact: true }).click()
    await page.getByText('Nothing waiting for your department.').waitFor()
    const decided = await server.db
      .selectFrom('bookings')
      .innerJoin('reviews', 'reviews.booking_id', 'bookings.id')
      .select(['bookings.id', 'bookings.state', 'reviews.decision', 'reviews.note', 'reviews.decided_by'])
      .where('bookings.pilot_id', '=', asked.pilot.id)
      .execute()
    expect(decided.find((d) => d.id === asked.morning)).toMatchObject({
      state: 'approved',
      decision: 'approved',
      decided_by: c.official.id,
    })
    expect(decided.find((d) => d.id === asked.afternoon)).toMatchObject({
      state: 'rejected',
      decision: 'rejected',
      note: 'The mast is needed for maintenance that afternoon.',
    })

    // The site page shows the official their closures.
    await page.goto(`${server.url}/sites`, { waitUntil: 'networkidle' })
    await page.getByRole('link', { name: c.facility.name }).click()
    await page.getByRole('heading', { name: 'Closures' }).waitFor()
    await checkAccessible(page, 'site (official)')
  }, 60_000)

  it('shows the public the approved booking and not the rejected one; the company sees why', async () => {
    const c = await corner()
    const asked = await pilotWithTwoRequests(c)
    await server.db
      .updateTable('bookings')
      .set({ state: 'approved' })
      .where('id', '=', asked.morning)
      .execute()
    await server.db
      .updateTable('reviews')
      .set({ decision: 'approved' })
      .where('booking_id', '=', asked.morning)
      .execute()
    await server.db
      .updateTable('bookings')
      .set({ state: 'rejected' })
      .where('id', '=', asked.afternoon)
      .execute()
    await server.db
      .updateTable('reviews')
      .set({ decision: 'rejected', note: 'The mast is needed for maintenance that afternoon.' })
      .where('booking_id', '=', asked.afternoon)
      .execute()

    const { page } = await open('/pilots')
    await checkAccessible(page, 'pilots')
    await page.getByRole('link', { name: asked.pilot.title }).click()
    await page.waitForURL(`**/pilots/${asked.pilot.id}`, { waitUntil: 'commit' })
    await page.getByRole('heading', { name: asked.pilot.title }).waitFor()
    const whereAndWhen = page.locator('article ul li')
    await expect.poll(() => whereAndWhen.count()).toBe(1)
    await expect.poll(() => whereAndWhen.textContent()).toContain(c.facility.name)
    await checkAccessible(page, 'pilot')

    // The public calendar's list of the booking's month: the approved morning only.
    await page.goto(`${server.url}/`, { waitUntil: 'networkidle' })
    await page.getByRole('button', { name: 'List' }).click()
    if (asked.day.slice(0, 7) !== cityDay(0).date.slice(0, 7)) await page.locator('.fc-next-button').click()
    const day = page.locator(`.fc-list-day[data-date="${asked.day}"]`)
    await day.waitFor()
    const rows = page.locator('.fc-list-event', { hasText: asked.pilot.title })
    await expect.poll(() => rows.count()).toBe(1)
    await expect.poll(() => rows.first().locator('.fc-list-event-time').textContent()).toMatch(/^10:00/)

    const company = await open()
    await signIn(company.page, c.company.email, testPassword)
    await company.page.goto(`${server.url}/my/pilots/${asked.pilot.id}`, { waitUntil: 'networkidle' })
    await company.page.getByText('Approved').first().waitFor()
    await company.page.getByText('Rejected').first().waitFor()
    await company.page.getByText('The mast is needed for maintenance that afternoon.').waitFor()
  }, 60_000)

  it('pages a pilot’s bookings with a keyboard-reachable "More bookings" button', async () => {
    const c = await corner()
    const pilot = await makePilot(server.db, c.company.organisationId as string)
    const first = cityInstant(cityDay(1).date, '10:00').getTime()
    for (let i = 0; i < 60; i++) {
      const start = new Date(first + i * 24 * hour)
      await makeBooking(server.db, {
        pilotId: pilot.id,
        facilityId: c.facility.id,
        start,
        end: new Date(start.getTime() + hour),
        state: 'approved',
        departmentIds: [c.department.id],
      })
    }
    const { page } = await open(`/pilots/${pilot.id}`)
    const rows = page.locator('article > ul > li')
    await expect.poll(() => rows.count()).toBe(50)
    await page.getByText('Showing 50 of 60 bookings.').waitFor()
    const more = page.getByRole('button', { name: 'More bookings' })
    await more.focus()
    await page.keyboard.press('Enter')
    await page.getByText('10 more loaded. Showing 60 of 60 bookings.').waitFor()
    await expect.poll(() => rows.count()).toBe(60)
    expect(await more.count()).toBe(0)
    // The button is gone, so focus moved to the first booking it brought, not to the page's start.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('LI')
    expect(await rows.nth(50).evaluate((li) => li === document.activeElement)).toBe(true)
    await checkAccessible(page, 'pilot (paged)')
  }, 60_000)

  it('lists sites with spec filters, and each site with its rules and free/busy time', async () => {
    const c = await corner({ connectivity: ['5g'] })
    const { page } = await open('/sites')
    await checkAccessible(page, 'sites')
    await page.getByLabel('5G').check()
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: c.facility.name }).waitFor()
    await expect.poll(() => page.getByRole('link', { name: 'Embankment lighting pole P-01' }).count()).toBe(0)
    await page.getByRole('link', { name: c.facility.name }).click()
    await page.getByRole('heading', { name: 'Booking rules' }).waitFor()
    await page.locator('.fc-timegrid').waitFor()
    await checkAccessible(page, 'site')
  })

  it('speaks Russian to a Russian browser, and remembers the language chosen', async () => {
    const { page } = await open('/', { locale: 'ru-RU' })
    await page.locator('html[lang="ru"]').waitFor({ state: 'attached' })
    for (const name of ['Календарь', 'Площадки', 'Пилоты', 'Войти']) {
      await page.getByRole('link', { name, exact: true }).waitFor()
    }
    await page.getByText(`Время указано в часовом поясе ${cityZone}.`).waitFor()
    await page.locator('.fc-event').first().waitFor()
    await checkAccessible(page, 'calendar (ru)')
    await page.getByRole('link', { name: 'Войти' }).click()
    await page.getByLabel('Эл. почта').waitFor()
    await page.getByRole('button', { name: 'Войти' }).waitFor()

    await page.getByLabel('Язык').selectOption('en')
    await page.getByRole('link', { name: 'Calendar', exact: true }).waitFor()
    await page.reload({ waitUntil: 'networkidle' })
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' })
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
  })

  it('works by keyboard alone: skip link, sign-in form, visible focus', async () => {
    const { page } = await open('/signin')
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
  })

  it('lets an admin create a department', async () => {
    const { page } = await open()
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
    const saved = await server.db.selectFrom('departments').select('name').where('name', '=', name).execute()
    expect(saved).toHaveLength(1)
  })

  it('draws the map from GeoJSON without any tiles, with a list beside it', async () => {
    const { page } = await open('/map')
    // Other files' places may lie far off, so that the map's zoom shrinks some shapes to nothing.
    await page.locator('.leaflet-overlay-pane path').filter({ visible: true }).first().waitFor()
    // 4 demo areas and 14 demo sites, at least, drawn as SVG shapes on a plain background.
    expect(await page.locator('.leaflet-overlay-pane path').count()).toBeGreaterThanOrEqual(18)
    expect(await page.locator('.leaflet-tile').count()).toBe(0)
    await page.getByRole('heading', { name: 'Areas and sites' }).waitFor()
    await page.getByRole('link', { name: 'Petrovskaya Embankment', exact: true }).waitFor()
    await page
      .locator('.map-list')
      .getByRole('link', { name: 'Adaptive LED lighting on the embankment' })
      .first()
      .waitFor()
    await checkAccessible(page, 'map')
  })

  it('shows officials the reports with CSV downloads', async () => {
    const c = await corner()
    const { page } = await open()
    await signIn(page, c.official.email, testPassword)
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByRole('heading', { name: 'Utilisation per area' }).waitFor()
    expect(await page.getByRole('link', { name: 'Download CSV' }).count()).toBe(6)
    await checkAccessible(page, 'reports')
  })

  it('fits a 390 px phone without sideways scrolling', async () => {
    // Each page is measured once what it exists to show is on screen.
    const shown: Record<string, string> = {
      '/': '.fc-event',
      '/sites': 'main a[href^="/sites/"]',
      '/pilots': 'main a[href^="/pilots/"]',
      '/map': '.leaflet-overlay-pane path',
      '/signin': 'main form',
      '/register': 'main form',
    }
    const { page } = await open(undefined, { viewport: { width: 390, height: 844 } })
    for (const [path, selector] of Object.entries(shown)) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' })
      await page.locator(selector).filter({ visible: true }).first().waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(width, path).toBeLessThanOrEqual(390)
    }
  })
})
