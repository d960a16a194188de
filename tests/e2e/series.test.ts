import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { cityDay } from '../helpers/clock.ts'
import { makeArea, makeDepartment, makeFacility, makePilot, unique } from '../helpers/fixtures.ts'

describe.runIf(haveChromium)('a series in Chromium', () => {
  const suite = browserSuite()

  const open = async () => (await suite.context()).page

  const { signIn } = suite

  it('finds two weeks of nights, requests them as one series, and an official approves it in one action', async () => {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    await makeFacility(suite.server.db, { areaId: area.id, name: unique('Embankment pole') })
    const company = await makeUser(suite.server.db, 'company')
    const official = await makeUser(suite.server.db, 'official', { departmentId: department.id })
    const pilot = await makePilot(suite.server.db, company.organisationId as string, { category: 'lighting' })

    const page = await open()
    await signIn(page, company.email)
    await page.goto(`${suite.server.url}/find-time?pilot=${pilot.id}`, { waitUntil: 'networkidle' })
    await page.getByLabel('Area').selectOption({ label: area.name })
    await page.getByLabel('How long').fill('8')
    await page.getByLabel('Nights only (22:00–06:00)').check()
    await page.getByRole('button', { name: 'Find time' }).click()
    await page.getByRole('link', { name: 'Request this' }).first().click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}/request`)
    await expect.poll(() => page.getByLabel('Start').inputValue()).toBe(`${cityDay(1).date}T22:00`)
    await page.getByLabel('Repeats').selectOption('daily')
    await page.getByLabel('Until (last date)').fill(cityDay(14).date)
    await page.getByText('14 bookings in the series; 0 cannot be booked as they are.').waitFor()
    expect(await page.locator('ol.occurrences li').count()).toBe(14)
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}`)

    const reviewer = await open()
    await signIn(reviewer, official.email)
    await reviewer.goto(`${suite.server.url}/review`, { waitUntil: 'networkidle' })
    const item = reviewer.locator('table.queue tbody tr', { hasText: 'A series of 14 bookings' })
    await item.getByRole('button', { name: pilot.title }).click()
    await reviewer.locator('.queue-detail').getByRole('button', { name: 'Approve all 14' }).click()
    await reviewer.locator('.notice').getByText('14 approved').waitFor()

    await page.reload({ waitUntil: 'networkidle' })
    await expect.poll(() => page.locator('.badge-approved').count()).toBe(14)
    const states = await suite.server.db
      .selectFrom('bookings')
      .select('state')
      .where('pilot_id', '=', pilot.id)
      .execute()
    expect(states.map((s) => s.state)).toEqual(Array(14).fill('approved'))
  })

  it('marks the night that meets a closure before anything is sent, in Russian in the Russian interface', async () => {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    const site = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Bridge pole') })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, { category: 'lighting' })
    const third = cityDay(3).date
    await suite.server.db
      .insertInto('closures')
      .values({
        facility_id: site.id,
        starts_at: new Date(`${third}T23:00:00+03:00`),
        ends_at: new Date(`${cityDay(4).date}T01:00:00+03:00`),
        reason: 'Ремонт кабеля.',
      })
      .execute()
    const page = await open()
    await signIn(page, company.email)
    await page.getByLabel('Language').selectOption('ru')
    await page.goto(`${suite.server.url}/my/pilots/${pilot.id}/request?site=${site.id}`, {
      waitUntil: 'networkidle',
    })
    await page.getByLabel('Начало').fill(`${cityDay(1).date}T22:00`)
    await page.getByLabel('Конец').fill(`${cityDay(2).date}T06:00`)
    await page.getByLabel('Повторять').selectOption('daily')
    await page.getByLabel('До (последняя дата)').fill(cityDay(5).date)
    await page.getByText('Бронирований в серии: 5; нельзя забронировать как есть: 1.').waitFor()
    const marked = page.locator('ol.occurrences li.error')
    await expect.poll(() => marked.count()).toBe(1)
    await expect(marked.textContent()).resolves.toMatch(/Площадка закрыта .*Ремонт кабеля\./)
  })
})
