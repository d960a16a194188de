import { TZDate } from '@date-fns/tz'
import { cityTimeZone } from './api.ts'
import { lang } from './i18n.ts'

/** A date and time as people in the city read it, in the interface language. */
export function dateTime(iso: string): string {
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: cityTimeZone.value,
  }).format(new Date(iso))
}

export function span(startIso: string, endIso: string): string {
  return `${dateTime(startIso)} – ${dateTime(endIso)}`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant as the value of a datetime-local field, in the city's time zone. */
export function toLocalInput(iso: string | number | Date): string {
  const d = new TZDate(new Date(iso).getTime(), cityTimeZone.value)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A datetime-local value read as city time, as an ISO instant; undefined when incomplete. */
export function fromLocalInput(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi] = m.map(Number) as number[]
  const date = new TZDate(
    y as number,
    (mo as number) - 1,
    d as number,
    h as number,
    mi as number,
    cityTimeZone.value,
  )
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime()).toISOString()
}
