/**
 * Compliance documents a site requires (issue 19), as pure rules: which of a site's required
 * kinds a pilot holds for long enough, and when the organisation is reminded of an expiry.
 *
 * A document's `validUntil` is a city date and counts whole: the document is valid to the end
 * of that day in the city. A booking needs each required kind valid until at least the city day
 * its end falls in (an end at midnight belongs to the day before). Of several documents of one
 * kind the longest-valid counts; one without a date (only `other` may lack one) never expires.
 */
import type { Language } from '../../db/types.ts'
import { documentKindNames, documentTexts, joinTexts, type Localized } from '../lib/messages.ts'
import { cityDate } from './deadlines.ts'

/** A document a pilot holds: its kind and the last city day it is valid (null: no end). */
export interface HeldDocument {
  kind: string
  validUntil: string | null
}

/** `valid`: held long enough; `expires`: held, but ends before the booking does; `missing`: none held. */
export type DocumentStatus = 'valid' | 'expires' | 'missing'

/** One required kind as a booking stands with it: the best document's date and the status. */
export interface DocumentStanding {
  kind: string
  validUntil: string | null
  status: DocumentStatus
}

/** The city day a booking ending at `end` (epoch ms) needs its documents to cover. */
export function lastDayNeeded(end: number, timeZone: string): string {
  return cityDate(new Date(end - 1), timeZone)
}

/** Whether validity `a` lasts at least as long as `b` (null lasts for ever). */
function lastsAsLong(a: string | null, b: string | null): boolean {
  if (a === null) return true
  if (b === null) return false
  return a >= b
}

/** The longest-valid document of each kind among those held. */
function bestByKind(held: readonly HeldDocument[]): Map<string, string | null> {
  const best = new Map<string, string | null>()
  for (const d of held) {
    if (!best.has(d.kind) || lastsAsLong(d.validUntil, best.get(d.kind) ?? null))
      best.set(d.kind, d.validUntil)
  }
  return best
}

/**
 * How each of the `required` kinds stands for a booking that needs them until `needUntil` (a
 * city date, see {@link lastDayNeeded}), in the order required; duplicates count once.
 */
export function documentStandings(
  required: readonly string[],
  held: readonly HeldDocument[],
  needUntil: string,
): DocumentStanding[] {
  const best = bestByKind(held)
  return [...new Set(required)].map((kind) => {
    if (!best.has(kind)) return { kind, validUntil: null, status: 'missing' }
    const validUntil = best.get(kind) ?? null
    return { kind, validUntil, status: lastsAsLong(validUntil, needUntil) ? 'valid' : 'expires' }
  })
}

/** A kind's name in every language; an unknown kind by its code. */
export function documentKindName(kind: string): Localized {
  return documentKindNames[kind as keyof typeof documentKindNames] ?? { en: kind, ru: kind }
}

/** What one required kind that is not valid says, or undefined when it is valid. */
export function standingProblem(standing: DocumentStanding, needUntil: string): Localized | undefined {
  const name = documentKindName(standing.kind)
  if (standing.status === 'missing') return documentTexts.missing(name)
  if (standing.status === 'expires') return documentTexts.expires(name, standing.validUntil ?? '', needUntil)
  return undefined
}

/** The refusal's sentence: every kind not valid for the booking, named. */
export function documentsRefusal(failing: readonly DocumentStanding[]): Localized {
  return documentTexts.refused(
    joinTexts(
      failing.map((s) => documentKindName(s.kind)),
      ', ',
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Expiry reminders

/** The reminders an organisation gets before a document expires, in days ahead, longest first. */
export const reminderThresholds = [30, 7] as const
export type ReminderThreshold = (typeof reminderThresholds)[number]

const dayMs = 86_400_000

/** Days from city date `from` to city date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)
}

/**
 * The reminder due today for a document valid until `validUntil`, or undefined: the 7-day one
 * once it is at most 7 days away, else the 30-day one once at most 30; none once it has expired,
 * and none already sent. A document uploaded 5 days before its expiry gets only the 7-day one.
 */
export function reminderDue(
  validUntil: string,
  today: string,
  sent: { reminded30: boolean; reminded7: boolean },
): ReminderThreshold | undefined {
  const left = daysBetween(today, validUntil)
  if (left < 0) return undefined
  if (left <= 7) return sent.reminded7 ? undefined : 7
  if (left <= 30) return sent.reminded30 ? undefined : 30
  return undefined
}

/** What a reminder tells: the pilot, the document, its last day and the bookings running past it. */
export interface ExpiryFacts {
  pilotTitle: string
  kind: string
  title: string
  validUntil: string
  daysLeft: number
  /** Approved bookings that end after the document's last day: site and end, latest last. */
  bookings: readonly { facilityName: string; end: string }[]
  timeZone: string
  link?: string | undefined
}

const expiryTexts: Record<
  Language,
  {
    subject: (kind: string, pilot: string, days: number) => string
    lead: (kind: string, title: string, pilot: string, until: string, days: number) => string
    bookings: string
    upload: string
    open: string
  }
> = {
  en: {
    subject: (kind, pilot, days) => `${pilot}: the ${kind} expires in ${days} day${days === 1 ? '' : 's'}`,
    lead: (kind, title, pilot, until, days) =>
      `The ${kind} "${title}" of the pilot "${pilot}" is valid until ${until} (${days} day${days === 1 ? '' : 's'} from today), but approved bookings run past that day.`,
    bookings: 'Bookings that end after it:',
    upload: 'Upload a renewed document on the pilot’s page before it expires.',
    open: 'Open',
  },
  ru: {
    subject: (kind, pilot, days) => `${pilot}: документ «${kind}» истекает через ${days} дн.`,
    lead: (kind, title, pilot, until, days) =>
      `Документ «${kind}» («${title}») пилота «${pilot}» действует до ${until} (осталось дней: ${days}), а одобренные бронирования продолжаются после этой даты.`,
    bookings: 'Бронирования, которые заканчиваются позже:',
    upload: 'Загрузите обновлённый документ на странице пилота до окончания срока.',
    open: 'Открыть',
  },
}

const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(language: Language, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language} ${timeZone} ${withTime}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      ...(withTime ? { timeStyle: 'short' } : {}),
      timeZone,
    })
    formats.set(key, format)
  }
  return format
}

/** The subject and plain-text body of an expiry reminder, in the recipient's language. */
export function renderExpiryReminder(
  language: Language,
  facts: ExpiryFacts,
): { subject: string; body: string } {
  const t = expiryTexts[language]
  const kind = documentKindName(facts.kind)[language]
  const until = formatFor(language, 'UTC', false).format(new Date(`${facts.validUntil}T00:00:00Z`))
  const lines = [t.lead(kind, facts.title, facts.pilotTitle, until, facts.daysLeft), '', t.bookings]
  for (const b of facts.bookings) {
    lines.push(`- ${b.facilityName}: ${formatFor(language, facts.timeZone, true).format(new Date(b.end))}`)
  }
  lines.push('', t.upload)
  if (facts.link) lines.push('', `${t.open}: ${facts.link}`)
  return { subject: t.subject(kind, facts.pilotTitle, facts.daysLeft), body: `${lines.join('\n')}\n` }
}
