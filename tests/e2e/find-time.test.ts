import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { cityDay } from '../helpers/clock.ts'
import { makeArea, makeDepartment, makeFacility, makePilot, unique } from '../helpers/fixtures.ts'

describe.runIf(haveChromium)('Find time in Chromium', () => {
  const suite = browserSuite()

  const { signIn } = suite

  it('finds a night for a lighting pilot across the sites and requests it, filled in', async () => {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    const site = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Night pole') })
    // A site in an area that does not take lighting pilots is never offered.
    const other = await makeArea(suite.server.db, { departmentId: department.id, categories: ['tourism'] })
    await makeFacility(suite.server.db, { areaId: other.id, name: unique('Tourist kiosk') })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, { category: 'lighting' })

    const { page } = await suite.context()
    await signIn(page, company.email)
    await page.getByRole('link', { name: 'Find time' }).click()
    await page.getByLabel('Pilot').selectOption({ label: pilot.title })
    await page.getByLabel('Area').selectOption({ label: area.name })
    await page.getByLabel('How long').fill('8')
    await page.getByLabel('Nights only (22:00–06:00)').check()
    await page.getByRole('button', { name: 'Find time' }).click()
    await page.getByRole('status').filter({ hasText: 'free spans where 8 hours fits' }).waitFor()
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual([site.name])
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])

    // The first night that holds eight hours starts tomorrow at 22:00 (the search starts tomorrow).
    const tomorrow = cityDay(1).date
    const dayAfter = cityDay(2).date
    await page.getByRole('link', { name: 'Request this' }).first().click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}/request`)
    await expect.poll(() => page.getByLabel('Site').inputValue()).toBe(site.id)
    await expect.poll(() => page.getByLabel('Start').inputValue()).toBe(`${tomorrow}T22:00`)
    await expect.poll(() => page.getByLabel('End').inputValue()).toBe(`${dayAfter}T06:00`)
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}`)
    const bookings = await suite.server.db
      .selectFrom('bookings')
      .select(['facility_id', 'starts_at', 'ends_at', 'state'])
      .where('pilot_id', '=', pilot.id)
      .execute()
    expect(bookings).toEqual([
      {
        facility_id: site.id,
        starts_at: new Date(`${tomorrow}T22:00:00+03:00`),
        ends_at: new Date(`${dayAfter}T06:00:00+03:00`),
        state: 'pending',
      },
    ])
  })

  it('opens the site calendar at its first free time, and marks free days in the month view', async () => {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    // Three weeks' notice: nothing is free before then.
    const site = await makeFacility(suite.server.db, {
      areaId: area.id,
      name: unique('Far pole'),
      leadTimeMinutes: 21 * 24 * 60,
    })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, { category: 'lighting' })
    const { page } = await suite.context()
    await signIn(page, company.email)
    await page.goto(`${suite.server.url}/my/pilots/${pilot.id}/request?site=${site.id}`, {
      waitUntil: 'networkidle',
    })
    // The week shown holds the first free day, three weeks on.
    const firstFreeDay = cityDay(21).date
    await page.locator(`.fc-timegrid-col[data-date="${firstFreeDay}"]`).waitFor()
    await page.getByRole('button', { name: 'Month' }).click()
    const freeDay = page.locator(`.fc-daygrid-day[data-date="${firstFreeDay}"] .slot-free-day`)
    await freeDay.waitFor()
    // Before the lead time no day is marked free.
    const dayBefore = cityDay(19).date
    expect(await page.locator(`.fc-daygrid-day[data-date="${dayBefore}"] .slot-free-day`).count()).toBe(0)
  })
})
