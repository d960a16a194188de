import type { Kysely } from 'kysely'
import type { Database, Executor, Language } from '../../db/types.ts'
import type { SessionUser } from '../lib/context.ts'
import { ApiError } from '../lib/errors.ts'
import { say } from '../lib/messages.ts'
import { recordEvent } from '../queries/events.ts'
import { enqueuePrepared, type PreparedMail } from '../queries/feedback.ts'
import { pilotBookingsSummary, pilotRow } from '../queries/pilots.ts'
import {
  claimOverdueReminders,
  findResults,
  lockPilotForResults,
  resultsDueDays,
  saveResults,
} from '../queries/results.ts'
import type { PilotResults, ResultsBody } from '../schemas/residents.ts'

/**
 * A company member publishes their organisation's pilot's results, or replaces them: once its
 * first approved booking has started (409 `invalid_state` before). Recorded as
 * `pilot.results_published` (first time) or `pilot.results_replaced`, with what was there before.
 */
export async function publishResults(
  db: Kysely<Database>,
  user: SessionUser,
  pilotId: string,
  body: ResultsBody,
  now: Date,
): Promise<{ results: PilotResults; created: boolean }> {
  return db.transaction().execute(async (tx) => {
    const pilot = await lockPilotForResults(tx, pilotId)
    if (!pilot || pilot.organisation_id !== user.organisationId)
      throw new ApiError('not_found', say.noPilotOfYours)
    const firstStart = pilot.first_start === null ? null : new Date(pilot.first_start)
    if (firstStart === null || firstStart.getTime() > now.getTime())
      throw new ApiError('invalid_state', say.resultsBeforeStart)
    const before = await findResults(tx, pilotId)
    const saved = await saveResults(tx, pilotId, user.id, body, now)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: saved.created ? 'pilot.results_published' : 'pilot.results_replaced',
        subjectType: 'pilot',
        subjectId: pilotId,
        ...(before ? { before } : {}),
        after: body,
      },
      now,
    )
    return saved
  })
}

/**
 * Whether a caller may see a pilot at all: the public once it has an approved booking; its
 * organisation and admins always; officials whose department signs off one of its bookings.
 */
export async function pilotVisibleTo(db: Executor, pilotId: string, user: SessionUser | null, now: Date) {
  const row = await pilotRow(db, pilotId)
  if (!row) return false
  if (user?.role === 'admin' || (user?.role === 'company' && user.organisationId === row.organisation_id))
    return true
  return (await pilotBookingsSummary(db, pilotId, user, now)).total > 0
}

/** A pilot's results for whoever may see the pilot; 404 when they may not, or there are none. */
export async function readResults(
  db: Executor,
  pilotId: string,
  user: SessionUser | null,
  now: Date,
): Promise<PilotResults> {
  if (!(await pilotVisibleTo(db, pilotId, user, now))) throw new ApiError('not_found', say.noPilot)
  const results = await findResults(db, pilotId)
  if (!results) throw new ApiError('not_found', say.noResults)
  return results
}

const reminderTexts: Record<Language, { subject: string; body: string }> = {
  en: {
    subject: 'Results overdue: {pilot}',
    body:
      'The last booking of your pilot "{pilot}" ended more than {days} days ago, and its results are not ' +
      'published yet. Residents and the city read them on the pilot’s public page: please publish a summary ' +
      'and your findings (and where the data can be found) on the pilot’s page.{link}',
  },
  ru: {
    subject: 'Просрочены результаты: {pilot}',
    body:
      'Последнее бронирование вашего пилота «{pilot}» закончилось более {days} дней назад, а его результаты ' +
      'ещё не опубликованы. Жители и город читают их на публичной странице пилота: пожалуйста, опубликуйте ' +
      'краткое описание и выводы (и где найти данные) на странице пилота.{link}',
  },
}

/** A link line for a pilot's page, when the public address is known. */
export function pilotLink(publicUrl: string | undefined, pilotId: string): string {
  return publicUrl ? `\n\n${publicUrl.replace(/\/$/, '')}/pilots/${pilotId}` : ''
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}

/**
 * The maintenance run's part: one reminder to each company whose pilot's results became overdue
 * (30 days after its last approved booking ended), in the language of the member who created the
 * pilot (to the pilot's contact address in English if they are gone). The pilot remembers it was
 * reminded (`results_reminded_at`), so it is sent once, whatever the number of runs or processes.
 */
export async function remindOverdueResults(
  db: Kysely<Database>,
  settings: { publicUrl?: string | undefined },
  now: Date,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const due = await claimOverdueReminders(tx, now)
    const mails: PreparedMail[] = due.map((p) => {
      const language: Language = p.language ?? 'en'
      const text = reminderTexts[language]
      const values = {
        pilot: p.title,
        days: String(resultsDueDays),
        link: pilotLink(settings.publicUrl, p.id),
      }
      return {
        recipientUserId: p.user_id,
        recipientEmail: p.user_email ?? p.contact_email,
        language,
        template: 'pilot.results_overdue',
        subject: fill(text.subject, values),
        body: fill(text.body, values),
        payload: { pilotId: p.id },
      }
    })
    await enqueuePrepared(tx, mails, now)
    for (const p of due) {
      await recordEvent(
        tx,
        { actorId: null, action: 'pilot.results_reminded', subjectType: 'pilot', subjectId: p.id },
        now,
      )
    }
    return due.length
  })
}
