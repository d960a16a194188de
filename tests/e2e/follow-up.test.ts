import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { day, fromNow, hour } from '../helpers/clock.ts'
import { makeArea, makeBooking, makeFacility, makePilot, unique } from '../helpers/fixtures.ts'

/** Results (company) and follow-up (officials) of issue 18, in Chromium. */
describe.runIf(haveChromium)('Results and follow-up in Chromium', () => {
  // The 409 before the first booking starts is an answer the page expects, not a fault.
  const suite = browserSuite({ forgive: (e) => /status of 409/.test(e) })
  const { open, expectAxeClean } = suite

  /** A company's pilot with one approved booking over [start, end) on a site of the department (a fresh one unless given). */
  async function pilotWithBooking(start: Date, end: Date, departmentId?: string) {
    const area = await makeArea(suite.server.db, departmentId ? { departmentId } : {})
    const site = await makeFacility(suite.server.db, { areaId: area.id })
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string)
    await makeBooking(suite.server.db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start,
      end,
      state: 'approved',
      departmentIds: [site.departmentId],
    })
    return { company, pilot, departmentId: site.departmentId }
  }

  it('a company publishes results once its booking has started, and publishing again replaces them', async () => {
    const { company, pilot } = await pilotWithBooking(fromNow(-2 * day), fromNow(2 * day))
    const page = await open(company.email, `/my/pilots/${pilot.id}`)
    const results = page.getByRole('region', { name: 'Results' })
    await results.getByText('No results published yet.').waitFor()
    await results.getByRole('button', { name: 'Publish results' }).click()
    await results.getByLabel('Summary of the results').fill('Night lighting halved with no complaints.')
    await results.getByLabel('Findings').fill('Dimming to 40 % after midnight went unnoticed.')
    await results.getByLabel('Open data link (optional)').fill('https://data.example.org/pilot.csv')
    await expectAxeClean(page)
    await results.getByRole('button', { name: 'Publish results' }).click()
    await results.getByRole('status').filter({ hasText: 'Results published.' }).waitFor()
    await results.getByText('Night lighting halved with no complaints.').waitFor()
    expect(await results.getByRole('link', { name: 'Open data' }).getAttribute('href')).toBe(
      'https://data.example.org/pilot.csv',
    )

    // Editing replaces: the form starts from what is published, and saving puts the new text in its place.
    await results.getByRole('button', { name: 'Edit results' }).click()
    await expect(results.getByLabel('Findings').inputValue()).resolves.toBe(
      'Dimming to 40 % after midnight went unnoticed.',
    )
    await results.getByLabel('Summary of the results').fill('Night lighting cut by a half.')
    await results.getByLabel('Open data link (optional)').fill('')
    await results.getByRole('button', { name: 'Save and replace' }).click()
    await results.getByRole('status').filter({ hasText: 'Results replaced.' }).waitFor()
    await results.getByText('Night lighting cut by a half.').waitFor()
    expect(await results.getByRole('link', { name: 'Open data' }).count()).toBe(0)
    const answer = await fetch(`${suite.server.url}/api/pilots/${pilot.id}/results`)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ summary: 'Night lighting cut by a half.' })
    await expectAxeClean(page)
  })

  it('before its first approved booking starts, the company is told results come later', async () => {
    const { company, pilot } = await pilotWithBooking(fromNow(3 * day), fromNow(4 * day))
    const page = await open(company.email, `/my/pilots/${pilot.id}`)
    const results = page.getByRole('region', { name: 'Results' })
    await results.getByRole('button', { name: 'Publish results' }).click()
    await results.getByLabel('Summary of the results').fill('Too early')
    await results.getByLabel('Findings').fill('Nothing yet')
    await results.getByRole('button', { name: 'Publish results' }).click()
    await results
      .getByRole('alert')
      .filter({ hasText: 'available after your first approved booking has started' })
      .waitFor()
    expect(await results.getByLabel('Findings').count()).toBe(0)
    await expectAxeClean(page)
  })

  it('an official finds a pilot overdue with its results and reads what a resident wrote, by keyboard', async () => {
    const { pilot, departmentId } = await pilotWithBooking(fromNow(-45 * day), fromNow(-40 * day - hour))
    const official = await makeUser(suite.server.db, 'official', { departmentId })
    const message = unique('The new lamps wake us up at night')
    const sent = await fetch(`${suite.server.url}/api/pilots/${pilot.id}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, email: 'resident@test.example' }),
    })
    expect(sent.status, await sent.clone().text()).toBe(202)

    const page = await open(official.email, '/')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Follow-up' }).click()
    await page.getByRole('heading', { name: 'Follow-up', level: 1 }).waitFor()
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: pilot.title }) })
    const toggle = item.getByRole('button', { name: `Residents’ feedback on ${pilot.title}` })
    await toggle.waitFor()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await item.getByText(/last booking ended/).waitFor()
    await toggle.focus()
    await page.keyboard.press('Enter')
    await item.getByText(message).waitFor()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await item.getByRole('link', { name: 'resident@test.example' }).waitFor()
    await expectAxeClean(page)

    // A pilot whose results are published is no longer overdue.
    const { pilot: reported, company } = await pilotWithBooking(
      fromNow(-50 * day),
      fromNow(-41 * day),
      departmentId,
    )
    const posted = await fetch(`${suite.server.url}/api/pilots/${reported.id}/results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${company.token}` },
      body: JSON.stringify({ summary: 'Done', findings: 'All fine' }),
    })
    expect(posted.status, await posted.clone().text()).toBe(201)
    const list = await fetch(`${suite.server.url}/api/pilots?resultsOverdue=true&limit=500`, {
      headers: { authorization: `Bearer ${official.token}` },
    })
    const ids = ((await list.json()) as { items: { id: string }[] }).items.map((p) => p.id)
    expect(ids).toContain(pilot.id)
    expect(ids).not.toContain(reported.id)
  })

  it('the company reads what residents wrote about its pilot on the pilot’s page', async () => {
    const { company, pilot } = await pilotWithBooking(fromNow(-2 * day), fromNow(2 * day))
    const message = unique('Could the sensor face away from our windows?')
    const sent = await fetch(`${suite.server.url}/api/pilots/${pilot.id}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    })
    expect(sent.status, await sent.clone().text()).toBe(202)
    const page = await open(company.email, `/my/pilots/${pilot.id}`)
    const feedback = page.getByRole('region', { name: 'What residents told you' })
    await feedback.getByText(message).waitFor()
    await expectAxeClean(page)
  })

  it('the follow-up list comes a page at a time, and the next page takes the focus', async () => {
    const first = await pilotWithBooking(fromNow(-60 * day), fromNow(-40 * day))
    for (let n = 0; n < 20; n++) {
      await pilotWithBooking(fromNow(-60 * day), fromNow(-40 * day), first.departmentId)
    }
    const official = await makeUser(suite.server.db, 'official', { departmentId: first.departmentId })
    const page = await open(official.email, '/follow-up')
    const items = page.getByRole('region', { name: 'Results overdue' }).getByRole('listitem')
    await page.getByRole('button', { name: 'More pilots' }).waitFor()
    expect(await items.count()).toBe(20)
    await page.getByRole('button', { name: 'More pilots' }).click()
    await page.getByRole('status').filter({ hasText: 'more pilots;' }).waitFor()
    expect(await items.count()).toBeGreaterThan(20)
    const focused = await page.evaluate(() => document.activeElement?.id ?? '')
    expect(focused).toMatch(/^follow-up-/)
    expect(await items.nth(20).getAttribute('id')).toBe(focused)
    await expectAxeClean(page)
  })
})
