import { beforeAll, describe, expect, it } from 'vitest'
import { makeUser, type TestUser } from '../helpers/accounts.ts'
import { haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { makeArea, makeFacility, unique } from '../helpers/fixtures.ts'

/** Addresses of areas and sites and a site's required documents (issues 17–19), edited by an admin. */
describe.runIf(haveChromium)('Addresses and required documents in the admin pages, in Chromium', () => {
  const suite = browserSuite()
  const { expectAxeClean } = suite
  let admin: TestUser

  beforeAll(async () => {
    admin = await makeUser(suite.server.db, 'admin')
  })

  const open = (path: string) => suite.open(admin.email, path)

  const documents = () => ({ name: 'Documents a pilot must hold to book it' })

  it('an admin sets a site’s address and required documents; they survive a reload, and clear', async () => {
    const site = await makeFacility(suite.server.db, { name: unique('Quay pole') })
    const address = `Embankment ${unique('street')}, 12`
    const page = await open('/admin/sites')
    await page.getByRole('button', { name: `Edit ${site.name}` }).click()
    await page.getByLabel('Street address').fill(address)
    const required = page.getByRole('group', documents())
    await required.getByRole('checkbox', { name: 'Insurance' }).check()
    await required.getByRole('checkbox', { name: 'Safety plan' }).check()
    await expectAxeClean(page)
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Site ${site.name} saved.` })
      .waitFor()
    await page.getByRole('row').filter({ hasText: site.name }).getByRole('cell', { name: address }).waitFor()

    await page.reload({ waitUntil: 'networkidle' })
    await page.getByRole('button', { name: `Edit ${site.name}` }).click()
    await expect(page.getByLabel('Street address').inputValue()).resolves.toBe(address)
    const reloaded = page.getByRole('group', documents())
    const checked = async (name: string) => reloaded.getByRole('checkbox', { name }).isChecked()
    expect(await checked('Insurance')).toBe(true)
    expect(await checked('Safety plan')).toBe(true)
    expect(await checked('Permit')).toBe(false)

    const answer = await fetch(`${suite.server.url}/api/facilities/${site.id}`)
    const facility = (await answer.json()) as {
      address: string | null
      rules: { requiredDocuments?: string[] }
    }
    expect(facility.address).toBe(address)
    expect([...(facility.rules.requiredDocuments ?? [])].sort()).toEqual(['insurance', 'safety_plan'])

    // Clearing the address and a document saves them as cleared.
    await page.getByLabel('Street address').fill('')
    await reloaded.getByRole('checkbox', { name: 'Safety plan' }).uncheck()
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Site ${site.name} saved.` })
      .waitFor()
    const cleared = (await (
      await fetch(`${suite.server.url}/api/facilities/${site.id}`)
    ).json()) as typeof facility
    expect(cleared.address).toBeNull()
    expect(cleared.rules.requiredDocuments ?? []).toEqual(['insurance'])
  })

  it('the address an admin sets is what a resident reads on the site’s public page', async () => {
    const site = await makeFacility(suite.server.db, { name: unique('Quay pole') })
    const address = `Embankment ${unique('street')}, 14`
    const page = await open('/admin/sites')
    await page.getByRole('button', { name: `Edit ${site.name}` }).click()
    await page.getByLabel('Street address').fill(address)
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Site ${site.name} saved.` })
      .waitFor()
    const visitor = await suite.context()
    await visitor.page.goto(`${suite.server.url}/sites/${site.id}`, { waitUntil: 'networkidle' })
    await visitor.page.getByRole('heading', { name: site.name }).waitFor()
    await visitor.page.getByText(address).first().waitFor()
  })

  it('an admin sets an area’s address, and it shows in the list after a reload', async () => {
    const area = await makeArea(suite.server.db, { name: unique('Harbour') })
    const address = `Harbour square ${unique('no')}`
    const page = await open('/admin/areas')
    await page.getByRole('button', { name: `Edit ${area.name}` }).click()
    await page.getByLabel('Street address').fill(address)
    await expectAxeClean(page)
    await page.getByRole('button', { name: 'Save' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `Area ${area.name} saved.` })
      .waitFor()
    await page.reload({ waitUntil: 'networkidle' })
    await page.getByRole('row').filter({ hasText: area.name }).getByRole('cell', { name: address }).waitFor()
    const stored = (await (await fetch(`${suite.server.url}/api/areas/${area.id}`)).json()) as {
      address: string | null
    }
    expect(stored.address).toBe(address)
  })
})
