import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { haveChromium } from '../helpers/browser.ts'
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

describe.runIf(haveChromium)('The closures page, in Chromium', () => {
  const suite = browserSuite()
  const { open, expectAxeClean } = suite

  /** An official's area with a site holding a company's approved booking on day 5, 10:00–12:00. */
  async function world() {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, name: unique('Embankment') })
    const site = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Pole') })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, {
      title: unique('Smart lights'),
    })
    const booking = await makeBooking(suite.server.db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: cityTime(5, '10:00'),
      end: cityTime(5, '12:00'),
      state: 'approved',
      departmentIds: [department.id],
    })
    const official = await makeUser(suite.server.db, 'official', { departmentId: department.id })
    return { area, site, pilot, booking, official }
  }

  const closuresOf = (areaId: string) =>
    suite.server.db
      .selectFrom('closures')
      .select(['id', 'starts_at', 'ends_at', 'reason'])
      .where('area_id', '=', areaId)
      .execute()

  it('closes an area over an approved booking after a warning naming it, then edits and removes it', async () => {
    const w = await world()
    const page = await open(
      w.official.email,
      `/closures?from=${cityDay(4).date}&to=${cityDay(10).date}&areaId=${w.area.id}`,
    )
    await page.getByRole('heading', { name: 'Closures', level: 1 }).waitFor()
    await page.getByText('No closures.').waitFor()
    await expectAxeClean(page)

    // Create: the whole area, over the booking; the warning names it before anything is saved.
    await page.locator('#closure-area').selectOption(w.area.id)
    await page.getByLabel('Start').fill(`${cityDay(5).date}T08:00`)
    await page.getByLabel('End').fill(`${cityDay(5).date}T14:00`)
    await page.getByLabel('Reason').fill('River festival')
    await page.getByRole('button', { name: 'Add closure' }).click()
    const warning = page.getByRole('dialog', { name: 'This closure meets bookings' })
    await warning.waitFor()
    await expect(warning.textContent()).resolves.toContain('This closure overlaps 1 booking:')
    await expect(warning.textContent()).resolves.toContain(w.pilot.title)
    await expect(warning.textContent()).resolves.toContain(w.site.name)
    await expect(closuresOf(w.area.id)).resolves.toEqual([])
    await expectAxeClean(page)
    await warning.getByRole('button', { name: 'Save the closure anyway' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    const row = page.getByRole('row').filter({ hasText: 'River festival' })
    await expect(row.textContent()).resolves.toContain('Whole area')
    const [created] = await closuresOf(w.area.id)
    expect(created?.starts_at).toEqual(cityTime(5, '08:00'))
    const booking = await suite.server.db
      .selectFrom('bookings')
      .select('state')
      .where('id', '=', w.booking)
      .executeTakeFirst()
    expect(booking?.state).toBe('approved')

    // Edit: a later end and another reason; it meets no booking it did not already, so no warning.
    await row.getByRole('button', { name: /^Edit the closure of Whole area/ }).click()
    await page.getByRole('heading', { name: 'Edit closure' }).waitFor()
    await page.getByLabel('End').fill(`${cityDay(5).date}T16:00`)
    await page.getByLabel('Reason').fill('River festival, with fireworks')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    await page.getByRole('row').filter({ hasText: 'with fireworks' }).waitFor()
    const [edited] = await closuresOf(w.area.id)
    expect(edited).toMatchObject({
      id: created?.id,
      ends_at: cityTime(5, '16:00'),
      reason: 'River festival, with fireworks',
    })

    // Remove, confirmed.
    await page.getByRole('button', { name: /^Remove the closure of Whole area/ }).click()
    const confirm = page.getByRole('dialog', { name: 'Remove this closure?' })
    await confirm.waitFor()
    await expectAxeClean(page)
    await confirm.getByRole('button', { name: 'Remove the closure' }).click()
    await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor()
    await page.getByText('No closures.').waitFor()
    await expect(closuresOf(w.area.id)).resolves.toEqual([])
  })

  it('warns on the site page too, and asks before a site closure is removed', async () => {
    const w = await world()
    const page = await open(w.official.email, `/sites/${w.site.id}`)
    await page.getByRole('heading', { name: 'Closures', level: 2 }).waitFor()
    await page.locator('#closure-start').fill(`${cityDay(5).date}T11:00`)
    await page.locator('#closure-end').fill(`${cityDay(5).date}T13:00`)
    await page.locator('#closure-reason').fill('Pole repainted')
    await page.getByRole('button', { name: 'Add closure' }).click()
    const warning = page.getByRole('dialog', { name: 'This closure meets bookings' })
    await warning.waitFor()
    await expect(warning.textContent()).resolves.toContain(w.pilot.title)
    await warning.getByRole('button', { name: 'Save the closure anyway' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    const stored = () =>
      suite.server.db.selectFrom('closures').select('id').where('facility_id', '=', w.site.id).execute()
    await expect(stored()).resolves.toHaveLength(1)

    await page.getByRole('button', { name: /^Remove the closure of Site/ }).click()
    const confirm = page.getByRole('dialog', { name: 'Remove this closure?' })
    await confirm.waitFor()
    await expectAxeClean(page)
    await page.keyboard.press('Escape')
    await confirm.waitFor({ state: 'hidden' })
    await expect(stored()).resolves.toHaveLength(1)
    await page.getByRole('button', { name: /^Remove the closure of Site/ }).click()
    await confirm.getByRole('button', { name: 'Remove the closure' }).click()
    await page.getByRole('status').filter({ hasText: 'Done.' }).waitFor()
    await expect(stored()).resolves.toEqual([])
  })
})
