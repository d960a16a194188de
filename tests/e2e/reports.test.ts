/**
 * The reports page as an official reads it in Russian (issue 17, item 6): cluster names rather
 * than codes, decision times in working days and hours as the language says them, rejection
 * reasons whole.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { axeViolations, haveChromium, launch, startServer, watchedContext } from '../helpers/browser.ts'
import { day, hour } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

// Friday 2031-11-07, 10:00 in St. Petersburg; the page is opened on the Tuesday after.
const friday = Date.parse('2031-11-07T10:00:00+03:00')
const now = new Date(friday + 4 * day)

describe.runIf(haveChromium)('the reports page in Chromium', () => {
  let browser: Browser
  let server: Awaited<ReturnType<typeof startServer>>

  beforeAll(async () => {
    server = await startServer(now)
    browser = await launch()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  /** A department that rejected on Monday a request made on Friday, and an approved pilot of cluster `ict`. */
  async function history(reason: string) {
    const db = server.db
    const department = await makeDepartment(db)
    const area = await makeArea(db, { departmentId: department.id })
    const site = await makeFacility(db, { areaId: area.id, capacity: 10 })
    const company = await makeUser(db, 'company') // organisation in cluster `ict`
    const pilot = await makePilot(db, company.organisationId as string, { title: unique('Пилот') })
    const slot = { pilotId: pilot.id, facilityId: site.id, departmentIds: [department.id] }
    await makeBooking(db, {
      ...slot,
      start: new Date(friday),
      end: new Date(friday + hour),
      state: 'approved',
    })
    const rejected = await makeBooking(db, {
      ...slot,
      start: new Date(friday + 20 * day),
      end: new Date(friday + 20 * day + hour),
      at: new Date(friday),
    })
    await db
      .updateTable('reviews')
      .set({ decision: 'rejected', decided_at: new Date(friday + 3 * day), note: reason })
      .where('booking_id', '=', rejected)
      .execute()
    return { department, official: await makeUser(db, 'official', { departmentId: department.id }) }
  }

  it('names clusters, says working days and hours in Russian, and shows reasons whole', async () => {
    const reason = `=HYPERLINK("http://evil.example") ${'Опора занята другим пилотом до конца года. '.repeat(6)}`
    const { department, official } = await history(reason)
    const { context, page, errors } = await watchedContext(browser, { locale: 'ru-RU' }, now)
    await page.goto(`${server.url}/signin`, { waitUntil: 'networkidle' })
    await page.getByLabel('Эл. почта').fill(official.email)
    await page.getByLabel('Пароль').fill(testPassword)
    await page.getByRole('button', { name: 'Войти' }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { waitUntil: 'commit' })
    await page.getByRole('link', { name: 'Отчёты' }).click()
    await page.getByRole('heading', { name: 'Срок решения по службам' }).waitFor()

    const clusters = page.locator('section', {
      has: page.getByRole('heading', { name: 'Пилоты по кластерам' }),
    })
    await expect(clusters.getByText('ИКТ', { exact: true }).count()).resolves.toBe(1)
    await expect(clusters.getByText('ict', { exact: true }).count()).resolves.toBe(0)

    const decisions = page.locator('section', {
      has: page.getByRole('heading', { name: 'Срок решения по службам' }),
    })
    const row = decisions.getByRole('row', { name: new RegExp(department.name) })
    await expect(row.textContent()).resolves.toMatch(/1 рабочий день.*72 часа/)
    await expect(page.locator('main').textContent()).resolves.not.toMatch(/\d[.,]\d+ часов/)

    const cell = page.getByRole('cell', { name: reason.trim() })
    await expect(cell.evaluate((e) => e.scrollWidth <= e.clientWidth)).resolves.toBe(true)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
    expect(errors).toEqual([])
  })
})
