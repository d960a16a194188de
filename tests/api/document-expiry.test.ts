import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { remindExpiringDocuments } from '../../api/services/document-expiry.ts'
import { runMaintenance } from '../../api/services/maintenance.ts'
import type { Database } from '../../db/types.ts'
import { makeUser } from '../helpers/accounts.ts'
import { testApp } from '../helpers/app.ts'
import {
  makeArea,
  makeBooking,
  makeDepartment,
  makeFacility,
  makePilot,
  unique,
} from '../helpers/fixtures.ts'

const day = 86_400_000
const zone = 'Europe/Moscow'
// 1 June 2031, 09:00 in Moscow: the city's today is 2031-06-01.
const now = new Date('2031-06-01T09:00:00+03:00')
const at = (text: string) => new Date(text)
const settings = { cityTimeZone: zone, publicUrl: 'https://testbed.example' }

async function world() {
  const t = await testApp({ now })
  const department = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: department.id, categories: ['lighting'] })
  const site = await makeFacility(t.db, { areaId: area.id, name: unique('Pole') })
  const english = await makeUser(t.db, 'company', { sessionAt: now })
  const organisationId = english.organisationId as string
  const russian = await makeUser(t.db, 'company', { organisationId, sessionAt: now })
  await t.db.updateTable('users').set({ language: 'ru' }).where('id', '=', russian.id).execute()
  const pilot = await makePilot(t.db, organisationId, { title: unique('Smart poles') })
  const document = (validUntil: string) =>
    t.db
      .insertInto('documents')
      .values({
        pilot_id: pilot.id,
        kind: 'insurance',
        title: 'Liability policy',
        valid_until: validUntil,
        file_name: 'policy.pdf',
        size: 1000,
        content_type: 'application/pdf',
        sha256: 'a'.repeat(64),
        storage_key: unique('documents/key'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id)
  const booking = (end: Date, state: 'approved' | 'pending' = 'approved') =>
    makeBooking(t.db, {
      pilotId: pilot.id,
      facilityId: site.id,
      start: new Date(end.getTime() - 2 * day),
      end,
      state,
      departmentIds: [department.id],
    })
  const mail = () => remindersOf(t.db, [english.id, russian.id])
  return { ...t, site, english, russian, pilot, document, booking, mail }
}

async function remindersOf(db: Kysely<Database>, userIds: string[]) {
  return db
    .selectFrom('outbox')
    .select(['recipient_user_id', 'language', 'template', 'subject', 'body', 'payload'])
    .where('recipient_user_id', 'in', userIds)
    .where('template', '=', 'document.expiring')
    .orderBy('created_at')
    .orderBy('language')
    .execute()
}

describe('reminders before a document expires', () => {
  it('30 days ahead: each member of the organisation, in their language, once', async () => {
    const w = await world()
    const id = await w.document('2031-07-01')
    await w.booking(at('2031-07-10T12:00:00+03:00'))
    await remindExpiringDocuments(w.db, settings, now)
    const messages = await w.mail()
    expect(messages).toHaveLength(2)
    const english = messages.find((m) => m.recipient_user_id === w.english.id)
    const russian = messages.find((m) => m.recipient_user_id === w.russian.id)
    expect(english?.subject).toBe(`${w.pilot.title}: the insurance expires in 30 days`)
    expect(english?.body).toContain('1 Jul 2031')
    expect(english?.body).toContain(`${w.site.name}: 10 Jul 2031, 12:00`)
    expect(english?.body).toContain(`https://testbed.example/my/pilots/${w.pilot.id}`)
    expect(russian?.language).toBe('ru')
    expect(russian?.subject).toContain('страховой полис')
    expect(english?.payload).toMatchObject({ documentId: id, threshold: 30 })
    // A second run on the same day, and the next day, send nothing more.
    await remindExpiringDocuments(w.db, settings, now)
    await remindExpiringDocuments(w.db, settings, new Date(now.getTime() + day))
    expect(await w.mail()).toHaveLength(2)
    const row = await w.db
      .selectFrom('documents')
      .select(['reminded_30_at', 'reminded_7_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.reminded_30_at?.getTime()).toBe(now.getTime())
    expect(row.reminded_7_at).toBeNull()
  })

  it('7 days ahead: the second reminder, then none', async () => {
    const w = await world()
    await w.document('2031-07-01')
    await w.booking(at('2031-07-10T12:00:00+03:00'))
    await remindExpiringDocuments(w.db, settings, now)
    const weekBefore = new Date('2031-06-24T09:00:00+03:00')
    await remindExpiringDocuments(w.db, settings, weekBefore)
    await remindExpiringDocuments(w.db, settings, new Date(weekBefore.getTime() + day))
    const messages = await w.mail()
    expect(messages.map((m) => (m.payload as { threshold: number }).threshold)).toEqual([30, 30, 7, 7])
    expect(messages.find((m) => m.language === 'en' && m.subject.includes('7 days'))).toBeDefined()
  })

  it('a document uploaded 5 days before it expires gets only the 7-day reminder', async () => {
    const w = await world()
    await w.document('2031-06-06')
    await w.booking(at('2031-06-20T12:00:00+03:00'))
    await remindExpiringDocuments(w.db, settings, now)
    await remindExpiringDocuments(w.db, settings, new Date(now.getTime() + day))
    const messages = await w.mail()
    expect(messages.map((m) => (m.payload as { threshold: number }).threshold)).toEqual([7, 7])
  })

  it('sends nothing when no approved booking runs past the last day', async () => {
    const w = await world()
    await w.document('2031-07-01')
    // Approved, but over by the end of the document's last day (midnight counts as that day's end).
    await w.booking(at('2031-07-02T00:00:00+03:00'))
    // Past the last day, but only pending.
    await w.booking(at('2031-07-20T12:00:00+03:00'), 'pending')
    await remindExpiringDocuments(w.db, settings, now)
    expect(await w.mail()).toEqual([])
  })

  it('sends nothing more than 30 days ahead, nor once the document has expired', async () => {
    const w = await world()
    await w.document('2031-07-02')
    await w.document('2031-05-31')
    await w.booking(at('2031-07-20T12:00:00+03:00'))
    await remindExpiringDocuments(w.db, settings, now)
    expect(await w.mail()).toEqual([])
  })

  it('is part of the maintenance run', async () => {
    const w = await world()
    await w.document('2031-06-10')
    await w.booking(at('2031-07-10T12:00:00+03:00'))
    const quiet = { name: 'test', async send() {} }
    const result = await runMaintenance(w.db, quiet, { bookingExpiryDays: 30, cityTimeZone: zone }, now)
    expect(result.documentReminders).toBeGreaterThanOrEqual(1)
    // Queued for both members (whoever's dispatcher sends them: other files dispatch too).
    expect((await w.mail()).map((m) => m.recipient_user_id).sort()).toEqual(
      [w.english.id, w.russian.id].sort(),
    )
  })
})
