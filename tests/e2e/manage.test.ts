import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { cityDay } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

/** An instant at a local time of the city (Europe/Moscow, +03:00 all year) `days` after the suite's now. */
const cityTime = (days: number, time: string) => new Date(`${cityDay(days).date}T${time}:00+03:00`)

describe.runIf(haveChromium)('Managing what a company asked for, in Chromium', () => {
  const suite = browserSuite()
  const { open } = suite

  /** A company with a pilot and two pending requests on a site that needs two days' notice. */
  async function world() {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    const site = await makeFacility(suite.server.db, {
      areaId: area.id,
      name: unique('Pole'),
      leadTimeMinutes: 2 * 24 * 60,
    })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string)
    const request = (days: number) =>
      makeBooking(suite.server.db, {
        pilotId: pilot.id,
        facilityId: site.id,
        start: cityTime(days, '10:00'),
        end: cityTime(days, '12:00'),
        departmentIds: [department.id],
        createdBy: company.id,
      })
    return { department, site, company, pilot, first: await request(3), second: await request(5) }
  }

  const row = (page: Page, id: string): Locator => page.locator(`#booking-${id}`)
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')
  const focusInDialog = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))

  it('withdraws a request with a reason and shows it as Withdrawn, never Pending', async () => {
    const w = await world()
    const page = await open(w.company.email, `/my/pilots/${w.pilot.id}`)
    const first = row(page, w.first)
    await expect(first.getByText('Pending').count()).resolves.toBeGreaterThan(0)

    // Escape closes the confirmation and gives the focus back to the button that opened it.
    await first.getByRole('button', { name: 'Withdraw' }).click()
    const dialog = page.getByRole('dialog', { name: 'Withdraw this booking?' })
    await dialog.waitFor()
    await expect(focusInDialog(page)).resolves.toBe(true)
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expect(
      first.getByRole('button', { name: 'Withdraw' }).evaluate((b) => b === document.activeElement),
    ).resolves.toBe(true)

    // From the keyboard: Enter opens it, the reason field has the focus, the reason goes with it.
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.type('The luminaires arrive a month late.')
    await dialog.getByRole('button', { name: 'Withdraw' }).click()
    await page.getByRole('status').filter({ hasText: 'Booking withdrawn.' }).waitFor()
    await first.getByText('Withdrawn', { exact: true }).waitFor()
    await expect(first.textContent()).resolves.not.toContain('Pending')
    await expect(first.textContent()).resolves.toContain('The luminaires arrive a month late.')
    await expect(first.getByRole('button').count()).resolves.toBe(0)
    await expect(focusedId(page)).resolves.toBe(`booking-${w.first}`)
    const stored = await suite.server.db
      .selectFrom('bookings')
      .select(['state', 'cancel_reason'])
      .where('id', '=', w.first)
      .executeTakeFirst()
    expect(stored).toEqual({ state: 'cancelled', cancel_reason: 'The luminaires arrive a month late.' })

    // The Russian interface says it too.
    await page.getByLabel('Language').selectOption('ru')
    await row(page, w.first).getByText('Отозвана', { exact: true }).waitFor()
  })

  it('withdraws a whole series from one of its bookings', async () => {
    const w = await world()
    const asked = await fetch(`${suite.server.url}/api/pilots/${w.pilot.id}/series`, {
      method: 'POST',
      headers: { ...w.company.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        facilityId: w.site.id,
        start: cityTime(7, '22:00').toISOString(),
        end: cityTime(8, '06:00').toISOString(),
        recurrence: { frequency: 'daily', until: cityDay(9).date },
      }),
    })
    expect(asked.status).toBe(201)
    const series = (await asked.json()) as { id: string; bookings: { id: string }[] }
    expect(series.bookings).toHaveLength(3)
    const page = await open(w.company.email, `/my/pilots/${w.pilot.id}`)
    const middle = row(page, series.bookings[1]?.id as string)
    await middle.getByRole('button', { name: 'Withdraw' }).click()
    const dialog = page.getByRole('dialog', { name: 'Withdraw this booking?' })
    await dialog.getByLabel('The whole series: every booking of it not yet ended').check()
    await dialog.getByLabel('Reason (optional)').fill('The night crew is not available.')
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await dialog.getByRole('button', { name: 'Withdraw' }).click()
    await page.getByRole('status').filter({ hasText: 'Series withdrawn.' }).waitFor()
    for (const { id } of series.bookings)
      await row(page, id).getByText('Withdrawn', { exact: true }).waitFor()
    await expect(row(page, w.first).getByText('Pending').count()).resolves.toBeGreaterThan(0)
    const stored = await suite.server.db
      .selectFrom('bookings')
      .select(['state', 'cancel_reason'])
      .where('series_id', '=', series.id)
      .execute()
    expect(stored).toEqual(
      series.bookings.map(() => ({ state: 'cancelled', cancel_reason: 'The night crew is not available.' })),
    )
  })

  it('changes a pending request’s times with the live checks, and clears the old refusal', async () => {
    const w = await world()
    const page = await open(w.company.email, `/my/pilots/${w.pilot.id}`)
    const second = row(page, w.second)
    await second.getByRole('button', { name: 'Edit' }).click()
    const start = second.getByLabel('Start')
    const end = second.getByLabel('End')

    // Too soon for the site: the check says so before sending, and the server refuses it.
    await start.fill(`${cityDay(1).date}T10:00`)
    await end.fill(`${cityDay(1).date}T12:00`)
    // The server's own sentence (one catalogue for both), before anything is sent.
    await second
      .locator('.checks-result')
      .getByText(/this site needs 2 days' notice/)
      .waitFor()
    await second.getByRole('button', { name: 'Save changes' }).click()
    const refusal = second.getByRole('alert').filter({ hasText: /notice/ })
    await refusal.waitFor()
    await suite.expectRefusalLogged(page, 422)
    // Overlapping its own present times is no conflict with itself.
    await start.fill(`${cityDay(5).date}T11:00`)
    await expect(refusal.count()).resolves.toBe(0)
    await end.fill(`${cityDay(5).date}T14:00`)
    await second.getByText('This time meets the site’s rules.').waitFor()
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await second.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('status').filter({ hasText: 'New times saved' }).waitFor()
    const stored = await suite.server.db
      .selectFrom('bookings')
      .select(['starts_at', 'ends_at', 'state'])
      .where('id', '=', w.second)
      .executeTakeFirst()
    expect(stored).toEqual({
      starts_at: cityTime(5, '11:00'),
      ends_at: cityTime(5, '14:00'),
      state: 'pending',
    })
  })

  it('edits the pilot’s title, then deletes the pilot and lands on My pilots', async () => {
    const w = await world()
    const page = await open(w.company.email, `/my/pilots/${w.pilot.id}`)
    await page.getByRole('button', { name: 'Edit pilot' }).click()
    const title = page.getByLabel('Title', { exact: true })
    await expect(title.evaluate((f) => f === document.activeElement)).resolves.toBe(true)
    // A blank title is refused by the server; typing again takes the message away.
    await title.fill('   ')
    await page.getByRole('button', { name: 'Save changes' }).click()
    const refusal = page.getByRole('alert').filter({ hasText: /title/ })
    await refusal.waitFor()
    await suite.expectRefusalLogged(page, 400)
    const renamed = unique('Dimming at night')
    await title.fill(renamed)
    await expect(refusal.count()).resolves.toBe(0)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('heading', { level: 1, name: renamed }).waitFor()
    await expect(
      page.getByRole('button', { name: 'Edit pilot' }).evaluate((b) => b === document.activeElement),
    ).resolves.toBe(true)

    await page.getByRole('button', { name: 'Delete pilot' }).click()
    const dialog = page.getByRole('dialog', { name: `Delete “${renamed}”?` })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Delete' }).click()
    await page.waitForURL((url) => url.pathname === '/my')
    await page
      .getByRole('status')
      .filter({ hasText: `Pilot “${renamed}” deleted.` })
      .waitFor()
    const left = await suite.server.db
      .selectFrom('pilots')
      .select('id')
      .where('id', '=', w.pilot.id)
      .execute()
    expect(left).toEqual([])
  })

  it('offers no deletion of a pilot with an approved booking, and says why', async () => {
    const w = await world()
    const page = await open(w.company.email, `/my/pilots/${w.pilot.id}`)
    // Approved while the page was open: the refusal names the booking, in the page's words.
    await suite.server.db
      .updateTable('bookings')
      .set({ state: 'approved' })
      .where('id', '=', w.first)
      .execute()
    await page.getByRole('button', { name: 'Delete pilot' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Delete' }).click()
    const refusal = dialog.getByRole('alert').filter({ hasText: 'A pilot with approved bookings stays' })
    await refusal.waitFor()
    await expect(refusal.textContent()).resolves.toContain(w.site.name)
    await suite.expectRefusalLogged(page, 409)
    await page.keyboard.press('Escape')
    await page.reload({ waitUntil: 'networkidle' })
    await page.getByText('A pilot with approved bookings stays on the public record').waitFor()
    await expect(page.getByRole('button', { name: 'Delete pilot' }).count()).resolves.toBe(0)
    const left = await suite.server.db
      .selectFrom('pilots')
      .select('id')
      .where('id', '=', w.pilot.id)
      .execute()
    expect(left).toHaveLength(1)
  })
})
