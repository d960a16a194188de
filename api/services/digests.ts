/**
 * Review mail (issue 17): an official's choice between a message per request and a daily
 * digest, and the digest itself, sent from the maintenance run once per official per city day.
 */
import type { Kysely } from 'kysely'
import type { Database, Executor, Language, ReviewMail } from '../../db/types.ts'
import { decideBy } from '../domain/deadlines.ts'
import {
  type DigestFacts,
  digestDay,
  effectiveReviewMail,
  overdueBefore,
  type ReviewMailChoice,
} from '../domain/digests.ts'
import { renderDigest } from '../domain/notifications.ts'
import type { SessionUser } from '../lib/context.ts'
import {
  claimDigest,
  countSubmittedBefore,
  deadlineSettings,
  digestRecipients,
  reviewMailOf,
  setReviewMail,
  startOfCityDay,
} from '../queries/digests.ts'
import { recordEvent } from '../queries/events.ts'
import { enqueueRendered } from '../queries/outbox.ts'
import { type QueueRow, queuePage } from '../queries/review-queue.ts'

/** How many of the nearest deadlines a digest lists. */
export const digestItems = 20

/** Who may choose how they hear of requests: the people who review them. */
export function reviewsRequests(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'official' || user.role === 'admin'
}

/** A reviewer's choice and the mode it means now; undefined for anyone else. */
export async function reviewMailSetting(
  db: Executor,
  user: SessionUser,
): Promise<{ choice: ReviewMailChoice; now: ReviewMail } | undefined> {
  if (!reviewsRequests(user)) return undefined
  const row = await reviewMailOf(db, user.id)
  const choice = row?.review_mail ?? 'auto'
  return { choice, now: effectiveReviewMail(choice, row?.pending ?? 0) }
}

/** A reviewer changes how they hear of requests; recorded. */
export async function chooseReviewMail(
  db: Kysely<Database>,
  user: SessionUser,
  choice: ReviewMailChoice,
  now: Date,
) {
  await db.transaction().execute(async (tx) => {
    const before = (await reviewMailOf(tx, user.id))?.review_mail ?? 'auto'
    await setReviewMail(tx, user.id, choice === 'auto' ? null : choice, now)
    await recordEvent(
      tx,
      {
        actorId: user.id,
        action: 'user.review_mail_changed',
        subjectType: 'user',
        subjectId: user.id,
        before: { reviewMail: before },
        after: { reviewMail: choice },
      },
      now,
    )
  })
}

export interface DigestSettings {
  cityTimeZone: string
  /** The hour of the city's day from which the day's digest goes out (DIGEST_HOUR). */
  digestHour: number
  publicUrl?: string | undefined
}

function itemOf(row: QueueRow, today: string, timeZone: string) {
  const by = decideBy(row.created_at, row.review_period_days, timeZone, new Set(row.holidays))
  return {
    pilotTitle: row.pilot_title,
    organisationName: row.organisation_name,
    facilityName: row.facility_name,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    occurrences: row.occurrences,
    decideBy: by,
    overdue: by < today,
  }
}

/** What a department's digest of `today` says: its queue's count, overdue count and nearest deadlines. */
async function departmentDigest(
  db: Executor,
  departmentId: string,
  today: string,
  settings: DigestSettings,
): Promise<DigestFacts> {
  const timeZone = settings.cityTimeZone
  const reviewer: SessionUser = {
    ...{ id: departmentId, email: '', name: '', language: 'en', organisationId: null },
    role: 'official',
    departmentId,
  }
  const rows = await queuePage(db, reviewer, { sort: 'deadline' }, { limit: digestItems, timeZone })
  const department = await deadlineSettings(db, departmentId)
  const cutoff = overdueBefore(today, department.review_period_days, department.holidays)
  const overdue = await countSubmittedBefore(db, departmentId, await startOfCityDay(db, cutoff, timeZone))
  return {
    waiting: rows[0]?.total ?? 0,
    overdue,
    items: rows.slice(0, digestItems).map((row) => itemOf(row, today, timeZone)),
    timeZone,
    ...(settings.publicUrl ? { link: `${settings.publicUrl.replace(/\/$/, '')}/review` } : {}),
  }
}

/** Claims an official's digest of the day and writes it to the outbox, in one transaction. */
async function sendOne(
  db: Kysely<Database>,
  official: { id: string; email: string; language: Language },
  facts: DigestFacts,
  day: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if (!(await claimDigest(tx, official.id, day))) return false
    const payload = { day, waiting: facts.waiting, overdue: facts.overdue }
    await enqueueRendered(
      tx,
      official,
      { template: 'review.digest', ...renderDigest(official.language, facts), payload },
      now,
    )
    return true
  })
}

/**
 * The day's digests, once the city's clocks show `digestHour`: one to each official in digest
 * mode (chosen, or automatic under load) with something waiting, at most once per city day —
 * each is claimed in its own transaction, so a second run or a second process sends none.
 */
export async function sendDigests(
  db: Kysely<Database>,
  settings: DigestSettings,
  now: Date,
): Promise<number> {
  const day = digestDay(now, settings.cityTimeZone, settings.digestHour)
  if (!day) return 0
  const facts = new Map<string, DigestFacts>()
  let sent = 0
  for (const official of await digestRecipients(db, day)) {
    const departmentId = official.department_id as string
    let digest = facts.get(departmentId)
    if (!digest) {
      digest = await departmentDigest(db, departmentId, day, settings)
      facts.set(departmentId, digest)
    }
    if (await sendOne(db, official, digest, day, now)) sent++
  }
  return sent
}
