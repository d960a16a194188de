import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeUser, type TestUser, testPassword } from '../helpers/accounts.ts'
import { haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { cityDay } from '../helpers/clock.ts'
import { makeDepartment, makePilot, unique } from '../helpers/fixtures.ts'

/** An instant at a local time of the city (Europe/Moscow, +03:00 all year) `days` after the suite's now. */
const cityTime = (days: number, time: string) => new Date(`${cityDay(days).date}T${time}:00+03:00`)

describe.runIf(haveChromium)('Administration in Chromium', () => {
  const suite = browserSuite()
  const { signIn, open, expectAxeClean } = suite
  let admin: TestUser

  beforeAll(async () => {
    admin = await makeUser(suite.server.db, 'admin')
  })

  /** Publishes a row's area or site through its confirmation dialog. */
  async function publish(page: Page, name: string) {
    await page.getByRole('button', { name: `Publish ${name}` }).click()
    const dialog = page.getByRole('dialog', { name: `Publish ${name}?` })
    await dialog.waitFor()
    await expectAxeClean(page)
    await dialog.getByRole('button', { name: 'Publish' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${name} is published.` })
      .waitFor()
  }

  const api = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
    fetch(`${suite.server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    })

  it('an admin draws an area, pastes a site, publishes both, and a company can book the site', async () => {
    const department = await makeDepartment(suite.server.db)
    const page = await open(admin.email, '/admin/areas')
    const areaName = unique('Harbour')
    await page.getByRole('button', { name: 'New area' }).click()
    await page.getByLabel('Name', { exact: true }).fill(areaName)
    await page.getByLabel('Description').fill('Quays and the old warehouses')
    await page.getByLabel('Managed by').selectOption({ label: department.name })
    await page.getByRole('checkbox', { name: 'Lighting' }).check()
    // Three clicks on the map make the outline, closed on its first corner.
    const map = page.locator('.admin-map')
    const box = await map.boundingBox()
    if (!box) throw new Error('no map')
    for (const [x, y] of [
      [0.3, 0.3],
      [0.7, 0.3],
      [0.5, 0.7],
    ] as const) {
      await map.click({ position: { x: box.width * (x as number), y: box.height * (y as number) } })
    }
    const outline = JSON.parse(await page.getByLabel('GeoJSON geometry').inputValue())
    expect(outline.type).toBe('Polygon')
    expect(outline.coordinates[0]).toHaveLength(4)
    await expectAxeClean(page)
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Area ${areaName} saved.` })
      .waitFor()
    await publish(page, areaName)
    const area = await suite.server.db
      .selectFrom('areas')
      .select(['id', 'published', 'department_id'])
      .where('name', '=', areaName)
      .executeTakeFirstOrThrow()
    expect(area).toMatchObject({ published: true, department_id: department.id })

    await page
      .getByRole('navigation', { name: 'Administration sections' })
      .getByRole('link', { name: 'Sites' })
      .click()
    await page.getByRole('button', { name: 'New site' }).waitFor()
    await page.getByRole('button', { name: 'New site' }).click()
    const siteName = unique('Quay pole')
    await page.getByLabel('Area', { exact: true }).selectOption({ label: areaName })
    await page.getByLabel('Name', { exact: true }).fill(siteName)
    const [lng, lat] = outline.coordinates[0][0]
    await page.getByLabel('GeoJSON geometry').fill(JSON.stringify({ type: 'Point', coordinates: [lng, lat] }))
    await page.getByLabel('Power (kW)').fill('2.5')
    await page.getByRole('button', { name: 'Add opening window' }).click()
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Site ${siteName} saved.` })
      .waitFor()
    await publish(page, siteName)
    const site = await suite.server.db
      .selectFrom('facilities')
      .select(['id', 'published', 'power_kw'])
      .where('name', '=', siteName)
      .executeTakeFirstOrThrow()
    expect(site.published).toBe(true)
    expect(Number(site.power_kw)).toBe(2.5)

    // Editing keeps what it does not touch: the point, the power, the opening window.
    await page.getByRole('button', { name: `Edit ${siteName}` }).click()
    await expect(page.getByLabel('GeoJSON geometry').inputValue()).resolves.toContain('Point')
    await page.getByLabel('Capacity (pilots at the same time)').fill('2')
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Site ${siteName} saved.` })
      .waitFor()
    const edited = await suite.server.db
      .selectFrom('facilities')
      .select(['capacity', 'power_kw', 'published'])
      .where('id', '=', site.id)
      .executeTakeFirstOrThrow()
    expect({ ...edited, power_kw: Number(edited.power_kw) }).toEqual({
      capacity: 2,
      power_kw: 2.5,
      published: true,
    })

    // A company finds it public and requests it (a Monday morning, inside the 08:00–20:00 window).
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string)
    expect((await api(`/api/facilities/${site.id}`)).status).toBe(200)
    let days = 7
    while (new Date(`${cityDay(days).date}T12:00:00Z`).getUTCDay() !== 1) days++
    const res = await api(`/api/pilots/${pilot.id}/bookings`, {
      method: 'POST',
      token: company.token,
      body: { facilityId: site.id, start: cityTime(days, '10:00'), end: cityTime(days, '12:00') },
    })
    expect(res.status, await res.clone().text()).toBe(201)
  })

  it('an admin disables an account (confirmed), re-enables it, sets a new password, and its owner signs in', async () => {
    const official = await makeUser(suite.server.db, 'official')
    const page = await open(admin.email, '/admin/accounts')
    await page.getByLabel('E-mail or name').fill(official.email)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('cell', { name: official.email, exact: true }).waitFor()
    const row = page.getByRole('row').filter({ hasText: official.email })

    await row.getByRole('button', { name: `Disable ${official.email}` }).click()
    const dialog = page.getByRole('dialog', { name: `Disable ${official.email}?` })
    await dialog.waitFor()
    await expectAxeClean(page)
    await dialog.getByRole('button', { name: 'Disable' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${official.email} is disabled.` })
      .waitFor()
    await row.getByText('Disabled').waitFor()
    const refused = await api('/api/auth/login', {
      method: 'POST',
      body: { email: official.email, password: testPassword },
    })
    expect(refused.status).toBe(401)

    await row.getByRole('button', { name: `Re-enable ${official.email}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${official.email} can sign in again.` })
      .waitFor()
    await row.getByText('Active').waitFor()
    await expectAxeClean(page)

    // A new password, typed in the confirmation, replaces the old one.
    await row.getByRole('button', { name: `Set a new password for ${official.email}` }).click()
    const reset = page.getByRole('dialog', { name: `Set a new password for ${official.email}?` })
    await reset.waitFor()
    await page.keyboard.type('a-handed-over-passphrase')
    await reset.getByRole('button', { name: 'Set password' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `New password set for ${official.email}` })
      .waitFor()
    const login = (password: string) =>
      api('/api/auth/login', { method: 'POST', body: { email: official.email, password } })
    expect((await login(testPassword)).status).toBe(401)
    expect((await login('a-handed-over-passphrase')).status).toBe(200)
    // The same screen in Russian, as accessible.
    await page.getByLabel('Language').selectOption('ru')
    await page.getByRole('heading', { name: 'Учётные записи' }).waitFor()
    await expectAxeClean(page)

    const watched = await suite.context()
    await signIn(watched.page, official.email, 'a-handed-over-passphrase')
    await watched.page.getByRole('link', { name: 'Review queue' }).waitFor()
  })

  it('an admin sets a review period and adds and removes a public holiday (confirmed)', async () => {
    const department = await makeDepartment(suite.server.db)
    const page = await open(admin.email, '/admin/departments')
    const form = page.getByRole('form', { name: department.name })
    await form.getByLabel('Review period (working days, 1–60)').fill('4')
    await form.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${department.name} saved.` })
      .waitFor()
    const stored = await suite.server.db
      .selectFrom('departments')
      .select('review_period_days')
      .where('id', '=', department.id)
      .executeTakeFirstOrThrow()
    expect(stored.review_period_days).toBe(4)

    // A year of its own, far from any deadline other tests compute.
    const year = String(2700 + Math.floor(Math.random() * 200))
    await page.getByLabel('Year').fill(year)
    await page.getByText('No public holidays this year.').waitFor()
    await page.getByLabel('Date').fill(`${year}-11-04`)
    await page.getByLabel('Holiday name').fill('Unity Day')
    await page.getByRole('button', { name: 'Add holiday' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${year}-11-04 is a public holiday now.` })
      .waitFor()
    await page.getByText(`${year}-11-04 — Unity Day`).waitFor()
    await expectAxeClean(page)

    await page.getByRole('button', { name: `Remove the holiday on ${year}-11-04` }).click()
    const dialog = page.getByRole('dialog', { name: `Remove Unity Day (${year}-11-04)?` })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Remove' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${year}-11-04 is a working day again.` })
      .waitFor()
    await page.getByText('No public holidays this year.').waitFor()
    const left = await suite.server.db
      .selectFrom('public_holidays')
      .select('day')
      .where('day', '=', `${year}-11-04`)
      .execute()
    expect(left).toEqual([])
  })
})
