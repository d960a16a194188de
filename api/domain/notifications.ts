import type { Language } from '../../db/types.ts'

export type NotificationKind =
  | 'booking.submitted'
  | 'booking.updated'
  | 'booking.approved'
  | 'booking.rejected'
  | 'booking.changes_requested'
  | 'booking.withdrawn'
  | 'booking.revoked'
  | 'booking.expired'

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
}

const labels: Record<Language, { when: string; note: string; open: string }> = {
  en: { when: 'When', note: 'Reason', open: 'Open' },
  ru: { when: 'Когда', note: 'Причина', open: 'Открыть' },
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
  const t = texts[kind][language]
  const l = labels[language]
  const lines = [fill(t.lead), '', `${l.when}: ${when(facts, language)}`]
  if (facts.note) lines.push(`${l.note}: ${facts.note}`)
  if (facts.link) lines.push('', `${l.open}: ${facts.link}`)
  return { subject: fill(t.subject), body: `${lines.join('\n')}\n` }
}
