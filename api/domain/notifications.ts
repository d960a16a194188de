import type { Language } from '../../db/types.ts'
import type { DigestFacts, DigestItem } from './digests.ts'

export type NotificationKind =
  | 'booking.submitted'
  | 'booking.updated'
  | 'booking.approved'
  | 'booking.rejected'
  | 'booking.changes_requested'
  | 'booking.withdrawn'
  | 'booking.revoked'
  | 'booking.expired'
  | 'series.submitted'
  | 'booking.received'
  | 'series.received'
  | 'series.approved'
  | 'series.rejected'
  | 'series.changes_requested'
  | 'series.withdrawn'
  | 'series.revoked'

/** What a message tells: the pilot, the site, the times, and who decided why. */
export interface NotificationFacts {
  pilotTitle: string
  facilityName: string
  start: string
  end: string
  timeZone: string
  departmentName?: string | undefined
  note?: string | undefined
  link?: string | undefined
  /** A series: how many occurrences, and the last one's times (`start`/`end` are the first's). */
  occurrences?: number | undefined
  lastStart?: string | undefined
  lastEnd?: string | undefined
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** Building an Intl.DateTimeFormat costs more than formatting with one: keep one per language and zone. */
function formatFor(language: Language, timeZone: string): Intl.DateTimeFormat {
  const key = `${language} ${timeZone}`
  let format = formats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    })
    formats.set(key, format)
  }
  return format
}

function when(facts: NotificationFacts, language: Language): string {
  const format = formatFor(language, facts.timeZone)
  return `${format.format(new Date(facts.start))} – ${format.format(new Date(facts.end))} (${facts.timeZone})`
}

const texts: Record<NotificationKind, Record<Language, { subject: string; lead: string }>> = {
  'booking.submitted': {
    en: {
      subject: 'New request to review: {pilot}',
      lead: 'A company asks to use {facility} for the pilot "{pilot}".',
    },
    ru: {
      subject: 'Новая заявка на рассмотрение: {pilot}',
      lead: 'Компания просит площадку «{facility}» для пилота «{pilot}».',
    },
  },
  'booking.updated': {
    en: {
      subject: 'Request changed, review again: {pilot}',
      lead: 'The applicant changed the request for {facility} ("{pilot}"); every sign-off starts again.',
    },
    ru: {
      subject: 'Заявка изменена, рассмотрите снова: {pilot}',
      lead: 'Заявитель изменил заявку на площадку «{facility}» («{pilot}»); все согласования начинаются заново.',
    },
  },
  'booking.approved': {
    en: {
      subject: 'Approved: {pilot} at {facility}',
      lead: 'Your request for {facility} is approved by every department.',
    },
    ru: {
      subject: 'Одобрено: {pilot}, {facility}',
      lead: 'Ваша заявка на площадку «{facility}» одобрена всеми службами.',
    },
  },
  'booking.rejected': {
    en: {
      subject: 'Rejected: {pilot} at {facility}',
      lead: 'Your request for {facility} was rejected by {department}.',
    },
    ru: {
      subject: 'Отклонено: {pilot}, {facility}',
      lead: 'Ваша заявка на площадку «{facility}» отклонена: {department}.',
    },
  },
  'booking.changes_requested': {
    en: {
      subject: 'Changes requested: {pilot} at {facility}',
      lead: '{department} asks you to change your request for {facility}.',
    },
    ru: {
      subject: 'Требуются изменения: {pilot}, {facility}',
      lead: '{department} просит изменить заявку на площадку «{facility}».',
    },
  },
  'booking.withdrawn': {
    en: {
      subject: 'Request withdrawn: {pilot}',
      lead: 'The applicant withdrew the request for {facility} ("{pilot}").',
    },
    ru: {
      subject: 'Заявка отозвана: {pilot}',
      lead: 'Заявитель отозвал заявку на площадку «{facility}» («{pilot}»).',
    },
  },
  'booking.revoked': {
    en: {
      subject: 'Booking cancelled by the city: {pilot}',
      lead: '{department} cancelled your booking of {facility}.',
    },
    ru: {
      subject: 'Бронирование отменено городом: {pilot}',
      lead: '{department} отменяет ваше бронирование площадки «{facility}».',
    },
  },
  'booking.expired': {
    en: {
      subject: 'Request expired: {pilot}',
      lead: 'Your request for {facility} was not decided in time and has expired; the slot is free again.',
    },
    ru: {
      subject: 'Срок заявки истёк: {pilot}',
      lead: 'Заявка на площадку «{facility}» не была рассмотрена вовремя и аннулирована; время снова свободно.',
    },
  },
  'series.submitted': {
    en: {
      subject: 'New series to review: {pilot}',
      lead: 'A company asks to use {facility} for the pilot "{pilot}" on {count} occasions, as one series: you may approve them all at once.',
    },
    ru: {
      subject: 'Новая серия заявок на рассмотрение: {pilot}',
      lead: 'Компания просит площадку «{facility}» для пилота «{pilot}» серией (бронирований в серии: {count}); её можно одобрить целиком.',
    },
  },
  'booking.received': {
    en: {
      subject: 'Request received: {pilot} at {facility}',
      lead: 'We have your request for {facility} ("{pilot}"). It is pending until every department that signs it off has decided; you will hear of each decision.',
    },
    ru: {
      subject: 'Заявка получена: {pilot}, {facility}',
      lead: 'Ваша заявка на площадку «{facility}» («{pilot}») получена. Она ожидает решения всех служб, которые её согласуют; о каждом решении вы получите письмо.',
    },
  },
  'series.received': {
    en: {
      subject: 'Series received: {pilot} at {facility}',
      lead: 'We have your series for {facility} ("{pilot}"): {count} bookings. It is pending until every department that signs it off has decided.',
    },
    ru: {
      subject: 'Серия заявок получена: {pilot}, {facility}',
      lead: 'Ваша серия бронирований площадки «{facility}» («{pilot}») получена (бронирований: {count}). Она ожидает решения всех служб, которые её согласуют.',
    },
  },
  'series.approved': {
    en: {
      subject: 'Series approved: {pilot} at {facility}',
      lead: 'Your series for {facility} is approved by every department: {count} bookings.',
    },
    ru: {
      subject: 'Серия одобрена: {pilot}, {facility}',
      lead: 'Ваша серия бронирований площадки «{facility}» одобрена всеми службами (бронирований: {count}).',
    },
  },
  'series.rejected': {
    en: {
      subject: 'Series rejected: {pilot} at {facility}',
      lead: 'Your series for {facility} was rejected by {department} ({count} bookings).',
    },
    ru: {
      subject: 'Серия отклонена: {pilot}, {facility}',
      lead: 'Ваша серия бронирований площадки «{facility}» отклонена: {department} (бронирований: {count}).',
    },
  },
  'series.changes_requested': {
    en: {
      subject: 'Changes requested for a series: {pilot} at {facility}',
      lead: '{department} asks you to change your series for {facility} ({count} bookings).',
    },
    ru: {
      subject: 'Требуются изменения серии: {pilot}, {facility}',
      lead: '{department} просит изменить серию бронирований площадки «{facility}» (бронирований: {count}).',
    },
  },
  'series.withdrawn': {
    en: {
      subject: 'Series withdrawn: {pilot}',
      lead: 'The applicant withdrew the series for {facility} ("{pilot}"): {count} bookings.',
    },
    ru: {
      subject: 'Серия отозвана: {pilot}',
      lead: 'Заявитель отозвал серию бронирований площадки «{facility}» («{pilot}»; бронирований: {count}).',
    },
  },
  'series.revoked': {
    en: {
      subject: 'Series cancelled by the city: {pilot}',
      lead: '{department} cancelled the rest of your series for {facility}: {count} bookings.',
    },
    ru: {
      subject: 'Серия отменена городом: {pilot}',
      lead: '{department} отменяет оставшиеся бронирования вашей серии на площадке «{facility}» (бронирований: {count}).',
    },
  },
}

const labels: Record<Language, { when: string; last: string; note: string; open: string }> = {
  en: { when: 'When', last: 'Last', note: 'Reason', open: 'Open' },
  ru: { when: 'Когда', last: 'Последний раз', note: 'Причина', open: 'Открыть' },
}

/** The subject and plain-text body of a notification, in the recipient's language. */
export function renderNotification(
  kind: NotificationKind,
  language: Language,
  facts: NotificationFacts,
): { subject: string; body: string } {
  const fill = (text: string) =>
    text
      .replaceAll('{pilot}', facts.pilotTitle)
      .replaceAll('{facility}', facts.facilityName)
      .replaceAll(
        '{department}',
        facts.departmentName ?? (language === 'ru' ? 'Администрация города' : 'The city'),
      )
      .replaceAll('{count}', String(facts.occurrences ?? 1))
  const t = texts[kind][language]
  const l = labels[language]
  const lines = [fill(t.lead), '', `${l.when}: ${when(facts, language)}`]
  if (facts.lastStart && facts.lastEnd) {
    lines.push(`${l.last}: ${when({ ...facts, start: facts.lastStart, end: facts.lastEnd }, language)}`)
  }
  if (facts.note) lines.push(`${l.note}: ${facts.note}`)
  if (facts.link) lines.push('', `${l.open}: ${facts.link}`)
  return { subject: fill(t.subject), body: `${lines.join('\n')}\n` }
}

const digestTexts: Record<
  Language,
  {
    subject: (waiting: number, overdue: number) => string
    lead: (waiting: number, overdue: number) => string
    nearest: (shown: number) => string
    more: (n: number) => string
    decideBy: string
    overdue: string
    occurrences: (n: number) => string
    open: string
  }
> = {
  en: {
    subject: (w, o) => `Requests to review today: ${w} waiting${o > 0 ? `, ${o} overdue` : ''}`,
    lead: (w, o) =>
      `${w} ${w === 1 ? 'request waits' : 'requests wait'} for your department's decision; ${o} ${o === 1 ? 'is' : 'are'} past the date to decide by.`,
    nearest: (n) => `The ${n} nearest deadlines:`,
    more: (n) => `… and ${n} more in the queue.`,
    decideBy: 'decide by',
    overdue: 'OVERDUE',
    occurrences: (n) => `series of ${n}`,
    open: 'Open the review queue',
  },
  ru: {
    subject: (w, o) => `Заявки на рассмотрение: ожидают ${w}${o > 0 ? `, просрочено ${o}` : ''}`,
    lead: (w, o) => `Решения вашей службы ожидают заявок: ${w}; из них срок решения прошёл: ${o}.`,
    nearest: (n) => `Ближайшие сроки (${n}):`,
    more: (n) => `… и ещё в очереди: ${n}.`,
    decideBy: 'решить до',
    overdue: 'ПРОСРОЧЕНО',
    occurrences: (n) => `серия, бронирований: ${n}`,
    open: 'Открыть очередь заявок',
  },
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** A city date (`YYYY-MM-DD`) as the language writes it. */
function dayText(date: string, language: Language): string {
  let format = dayFormats.get(language)
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    })
    dayFormats.set(language, format)
  }
  return format.format(new Date(`${date}T00:00:00Z`))
}

function digestLine(item: DigestItem, language: Language, timeZone: string): string {
  const t = digestTexts[language]
  const series = item.occurrences > 1 ? ` (${t.occurrences(item.occurrences)})` : ''
  const times = when(
    { pilotTitle: '', facilityName: '', start: item.start, end: item.end, timeZone },
    language,
  )
  const mark = item.overdue ? ` — ${t.overdue}` : ''
  return `- ${item.pilotTitle} (${item.organisationName}), ${item.facilityName}${series}: ${times}; ${t.decideBy} ${dayText(item.decideBy, language)}${mark}`
}

/** The daily digest of requests waiting for an official's department, in their language. */
export function renderDigest(language: Language, facts: DigestFacts): { subject: string; body: string } {
  const t = digestTexts[language]
  const lines = [t.lead(facts.waiting, facts.overdue), '', t.nearest(facts.items.length)]
  for (const item of facts.items) lines.push(digestLine(item, language, facts.timeZone))
  if (facts.waiting > facts.items.length) lines.push(t.more(facts.waiting - facts.items.length))
  if (facts.link) lines.push('', `${t.open}: ${facts.link}`)
  return { subject: t.subject(facts.waiting, facts.overdue), body: `${lines.join('\n')}\n` }
}
