import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { cityDay, fromNow, hour } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

// A tiny but real PDF: the server recognises files by their bytes.
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

describe.runIf(haveChromium)('compliance documents in Chromium', () => {
  const suite = browserSuite()

  const open = async () => (await suite.context()).page

  const { signIn } = suite

  it('a company uploads its insurance, requests a site that requires it, and an official sees it in the review', async () => {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, categories: ['lighting'] })
    const site = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Insured pole') })
    await suite.server.db
      .updateTable('facilities')
      .set({ required_documents: ['insurance'] })
      .where('id', '=', site.id)
      .execute()
    const company = await makeUser(suite.server.db, 'company')
    const official = await makeUser(suite.server.db, 'official', { departmentId: department.id })
    const pilot = await makePilot(suite.server.db, company.organisationId as string, {
      title: unique('Insured lamps'),
    })
    // Another pilot's request for the same site, without any document: its row is marked.
    const other = await makePilot(suite.server.db, company.organisationId as string, {
      title: unique('Bare lamps'),
    })
    await makeBooking(suite.server.db, {
      pilotId: other.id,
      facilityId: site.id,
      start: fromNow(20 * 24 * hour),
      end: fromNow(20 * 24 * hour + 2 * hour),
      departmentIds: [department.id],
    })
    const policyTitle = unique('Liability policy')
    const validUntil = cityDay(60).date

    const page = await open()
    await signIn(page, company.email)
    // The form names the requirement before anything is uploaded: missing.
    await page.goto(`${suite.server.url}/my/pilots/${pilot.id}/request?site=${site.id}`, {
      waitUntil: 'networkidle',
    })
    const required = page.locator('section.required-documents')
    await required.getByRole('heading', { name: 'Documents this site requires' }).waitFor()
    await required.getByText('Insurance: missing').waitFor()
    await required.getByRole('link', { name: 'Upload documents on the pilot’s page' }).click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}`)

    await page.getByRole('heading', { name: 'Documents', exact: true }).waitFor()
    await page.getByText('No documents uploaded yet.').waitFor()
    await page.getByLabel('Kind').selectOption('insurance')
    await page.getByLabel('Document title').fill(policyTitle)
    await page.getByLabel('Valid until').fill(validUntil)
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: pdf })
    await page.getByRole('button', { name: 'Upload', exact: true }).click()
    await page.getByText('Document uploaded.').waitFor()
    const row = page.locator('table.documents tbody tr', { hasText: policyTitle })
    await expect(row.textContent()).resolves.toContain('Insurance')
    await row.getByRole('link', { name: `Download ${policyTitle}` }).waitFor()
    const violations = await axeViolations(page)
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])

    // The form now shows the insurance as valid, and the request goes through.
    await page.goto(`${suite.server.url}/my/pilots/${pilot.id}/request?site=${site.id}`, {
      waitUntil: 'networkidle',
    })
    await page.getByLabel('Start').fill(`${cityDay(10).date}T10:00`)
    await page.getByLabel('End').fill(`${cityDay(10).date}T12:00`)
    await required.getByText(/^Insurance: valid until/).waitFor()
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL((url) => url.pathname === `/my/pilots/${pilot.id}`)

    const reviewer = await open()
    await signIn(reviewer, official.email)
    await reviewer.goto(`${suite.server.url}/review`, { waitUntil: 'networkidle' })
    const bare = reviewer.locator('table.queue tbody tr', { hasText: other.title })
    await bare.locator('.doc-warning').waitFor()
    const insured = reviewer.locator('table.queue tbody tr', { hasText: pilot.title })
    expect(await insured.locator('.doc-warning').count()).toBe(0)
    await insured.getByRole('button', { name: pilot.title }).click()
    const pane = reviewer.locator('.queue-detail')
    await pane.getByRole('heading', { name: 'Documents', exact: true }).waitFor()
    await pane.getByText(/^Insurance: valid until/).waitFor()
    const download = pane.getByRole('link', { name: `Download ${policyTitle}` })
    await download.waitFor()
    await expect(pane.textContent()).resolves.toContain('valid past the booking’s end')
    const file = await reviewer.request.get(`${suite.server.url}${await download.getAttribute('href')}`)
    expect(file.status()).toBe(200)
    expect(file.headers()['content-type']).toContain('application/pdf')
    const reviewViolations = await axeViolations(reviewer)
    expect(reviewViolations, JSON.stringify(reviewViolations, null, 1)).toEqual([])
  })

  it('shows the server’s refusal of a file that is not a PDF, PNG or JPEG, and deletes after confirming', async () => {
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string)
    const page = await open()
    await signIn(page, company.email)
    await page.goto(`${suite.server.url}/my/pilots/${pilot.id}`, { waitUntil: 'networkidle' })
    await page.getByLabel('Kind').selectOption('other')
    await page.getByLabel('Document title').fill('Site photos')
    await page.getByLabel('File').setInputFiles({
      name: 'photos.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('just text, not a PDF'),
    })
    const upload = page.waitForResponse(
      (r) => r.url().endsWith('/documents') && r.request().method() === 'POST',
    )
    await page.getByRole('button', { name: 'Upload', exact: true }).click()
    expect((await upload).status()).toBe(415)
    await suite.expectRefusalLogged(page, 415)
    const alert = page.locator('.notice-error')
    await alert.waitFor()
    expect((await alert.textContent())?.length).toBeGreaterThan(0)
    expect(await page.locator('table.documents').count()).toBe(0)

    // An "other" document needs no date.
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: pdf })
    await page.getByRole('button', { name: 'Upload', exact: true }).click()
    await page.getByText('Document uploaded.').waitFor()
    const row = page.locator('table.documents tbody tr', { hasText: 'Site photos' })
    await expect(row.textContent()).resolves.toContain('no end date')
    await row.getByRole('button', { name: 'Delete Site photos' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete the document “Site photos”?' })
    await dialog.getByRole('button', { name: 'Keep it' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await row.count()).toBe(1)
    await row.getByRole('button', { name: 'Delete Site photos' }).click()
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByText('Document deleted.').waitFor()
    await page.getByText('No documents uploaded yet.').waitFor()
    const left = await suite.server.db
      .selectFrom('documents')
      .select('id')
      .where('pilot_id', '=', pilot.id)
      .execute()
    expect(left).toEqual([])
  })
})
