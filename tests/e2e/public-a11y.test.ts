import { gzipSync } from 'node:zlib'
import type { Page, Response } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { refreshPlaceColumns } from '../../api/queries/places.ts'
import { makeUser } from '../helpers/accounts.ts'
import { axeViolations, haveChromium } from '../helpers/browser.ts'
import { browserSuite } from '../helpers/browser-suite.ts'
import { day, hour, testNow } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

describe.runIf(haveChromium)('The public pages, for everyone (axe, page weight)', () => {
  // No background tiles: the map draws its shapes on a plain background, with its note.
  const suite = browserSuite()

  async function open() {
    const watched = await suite.context()
    // Nothing leaves this machine.
    await watched.context.route(
      (url) => !url.href.startsWith(suite.server.url),
      (route) => route.abort(),
    )
    return watched.page
  }

  /** A site with an address and a pilot running on it now. */
  async function world() {
    const department = await makeDepartment(suite.server.db)
    const area = await makeArea(suite.server.db, { departmentId: department.id, name: unique('Square') })
    const site = await makeFacility(suite.server.db, { areaId: area.id, name: unique('Mast') })
    await suite.server.db
      .updateTable('facilities')
      .set({ address: 'Nevsky prospekt 28' })
      .where('id', '=', site.id)
      .execute()
    await refreshPlaceColumns(suite.server.db, 'facilities', site.id)
    const company = await makeUser(suite.server.db, 'company')
    const pilot = await makePilot(suite.server.db, company.organisationId as string, {
      title: unique('Air sensors'),
    })
    await makeBooking(suite.server.db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: new Date(testNow.getTime() - hour),
      end: new Date(testNow.getTime() + 3 * day),
      state: 'approved',
      departmentIds: [department.id],
    })
    return { area, site, pilot }
  }

  /**
   * Loads a page until the network is quiet and `ready` shows: the bytes it transferred (as this
   * test server sends them: static files uncompressed) and what they come to gzipped (as a CDN or
   * Workers send them).
   */
  async function load(page: Page, path: string, ready: string) {
    const sizes: Promise<[number, number]>[] = []
    const onResponse = (res: Response) =>
      sizes.push(
        Promise.all([res.request().sizes(), res.body()]).then(
          ([s, body]) => [
            s.responseBodySize + s.responseHeadersSize,
            gzipSync(body).length + s.responseHeadersSize,
          ],
          () => [0, 0],
        ),
      )
    page.on('response', onResponse)
    await page.goto(`${suite.server.url}${path}`, { waitUntil: 'networkidle' })
    await page.locator(ready).filter({ visible: true }).first().waitFor()
    page.off('response', onResponse)
    const all = await Promise.all(sizes)
    return all.reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0])
  }

  it('has no serious or critical axe violations on any public page, and says what each weighs', async () => {
    const w = await world()
    const page = await open()
    const pages: [string, string, string][] = [
      ['home (calendar)', '/', '.fc'],
      ['calendar list', '/?view=listMonth', '.fc-list'],
      ['calendar week', '/?view=timeGridWeek', '.fc-timegrid'],
      ['sites', `/sites?areaId=${w.area.id}`, 'main a[href^="/sites/"]'],
      ['site', `/sites/${w.site.id}`, 'h1'],
      ['pilots', '/pilots', 'main a[href^="/pilots/"]'],
      ['pilot', `/pilots/${w.pilot.id}`, '.map-view path'],
      ['map', '/map', '.leaflet-overlay-pane path'],
      ['map near a place', `/map?near=59.905,30.305&place=${encodeURIComponent(w.site.name)}`, '.near-list'],
    ]
    const weights: Record<string, string> = {}
    for (const [name, path, ready] of pages) {
      const [sent, gzipped] = await load(page, path, ready)
      weights[name] = `${(sent / 1024).toFixed(0)} KiB sent, ${(gzipped / 1024).toFixed(0)} KiB gzipped`
      const violations = await axeViolations(page)
      expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([])
    }
    console.log('public pages, bytes transferred on first load:', weights)

    // The place search and its results, and the feedback form, are pages' states too.
    await page.goto(`${suite.server.url}/`, { waitUntil: 'networkidle' })
    await page.getByLabel('Street, place or site').fill('Nevsky 28')
    await page.getByRole('button', { name: 'Find' }).click()
    await page.getByRole('link', { name: w.site.name }).waitFor()
    expect(await axeViolations(page)).toEqual([])
  }, 120_000)
})
