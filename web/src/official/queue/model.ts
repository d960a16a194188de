import type { InferResponseType } from 'hono/client'
import { cityTimeZone, type client } from '../../api.ts'
import { fromLocalInput, span } from '../../format.ts'
import { lang, t } from '../../i18n.ts'

type QueuePage = InferResponseType<(typeof client.api)['review-queue']['$get'], 200>
export type QueueItem = QueuePage['items'][number]
export type Decision = 'approve' | 'reject' | 'request_changes'
export type BulkResult = InferResponseType<typeof client.api.reviews.bulk.$post, 200>['results'][number]

/** The filters and order the page keeps in its address, as the URL holds them. */
export const filterNames = ['state', 'areaId', 'facilityId', 'category', 'q', 'from', 'to', 'sort'] as const
export type Filters = Partial<Record<(typeof filterNames)[number], string>>

/** The filters of the page's address: only known names, only non-empty values. */
export function filtersOf(query: Record<string, string | undefined>): Filters {
  const out: Filters = {}
  for (const name of filterNames) {
    const value = query[name]?.trim()
    if (value) out[name] = value
  }
  return out
}

/** The address of the page showing these filters. */
export function queueUrl(filters: Filters): string {
  const params = new URLSearchParams()
  for (const name of filterNames) if (filters[name]) params.set(name, filters[name] as string)
  const search = params.toString()
  return search ? `/review?${search}` : '/review'
}

/** The queue request for these filters: city dates become instants (whole days, city time). */
export function apiQuery(filters: Filters, cursor?: string): Record<string, string> {
  const { from, to, ...rest } = filters
  const query: Record<string, string> = { ...(rest as Record<string, string>), limit: '50' }
  const start = from ? fromLocalInput(`${from}T00:00`) : undefined
  const end = to ? fromLocalInput(`${to}T23:59`) : undefined
  if (start) query.from = start
  if (end) query.to = end
  if (cursor) query.cursor = cursor
  return query
}

/** One queue item's identity: a series counts once, whatever occurrence stands for it. */
export const itemKey = (item: QueueItem) =>
  `${item.myDepartmentId}:${item.seriesId ? `s:${item.seriesId}` : `b:${item.booking.id}`}`

/** The result's key, to find the row it answers. */
export const resultKey = (departmentId: string, r: BulkResult) =>
  `${departmentId}:${'seriesId' in r ? `s:${r.seriesId}` : `b:${r.bookingId}`}`

/** Whether this item still waits for the caller's department, and so can be decided. */
export const decidable = (item: QueueItem) =>
  item.myDecision === 'pending' && item.booking.state === 'pending'

/** Today's date on the city's calendar, as YYYY-MM-DD. */
export function cityToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone.value }).format(new Date())
}

/** A city date (YYYY-MM-DD) as people read it. */
export function cityDate(date: string): string {
  return new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`))
}

/** How many bookings a result decided: a series, every occurrence it decided. */
const bookingsOf = (r: BulkResult) => ('decided' in r ? r.decided : 1)

/** A booking's span in few words: "21 Mar 2031, 09:30–10:30" within one city day, else both ends. */
export function compactSpan(startIso: string, endIso: string): string {
  const locale = lang.value === 'ru' ? 'ru-RU' : 'en-GB'
  const zone = { timeZone: cityTimeZone.value }
  const day = new Intl.DateTimeFormat(locale, { ...zone, dateStyle: 'medium' })
  const time = new Intl.DateTimeFormat(locale, { ...zone, timeStyle: 'short' })
  const [start, end] = [new Date(startIso), new Date(endIso)]
  if (day.format(start) !== day.format(end)) return span(startIso, endIso)
  return `${day.format(start)}, ${time.format(start)}–${time.format(end)}`
}

/** What one result means for its row, in words. */
export function resultText(r: BulkResult, decision: Decision): string {
  if (r.status === 200) return t(`queue.done.${decision}`, { count: bookingsOf(r) })
  if (r.status === 409) return t('queue.stale', { count: 1 })
  if (r.status === 403 || r.status === 404) return t('queue.notYours', { count: 1, status: r.status })
  if (r.code === 'in_closure') return t('queue.inClosure', { count: 1 })
  return t('queue.failed', { count: 1, status: r.status })
}

/** The results together, in bookings: "18 approved, 1 changed meanwhile (409), 1 not yours (404)". */
export function resultSummary(results: BulkResult[], decision: Decision): string {
  const count = (test: (r: BulkResult) => boolean) => results.filter(test).length
  const parts: string[] = []
  const done = results.filter((r) => r.status === 200).reduce((sum, r) => sum + bookingsOf(r), 0)
  if (done) parts.push(t(`queue.done.${decision}`, { count: done }))
  const stale = count((r) => r.status === 409)
  if (stale) parts.push(t('queue.stale', { count: stale }))
  for (const status of [403, 404]) {
    const n = count((r) => r.status === status)
    if (n) parts.push(t('queue.notYours', { count: n, status }))
  }
  const closed = count((r) => r.code === 'in_closure')
  if (closed) parts.push(t('queue.inClosure', { count: closed }))
  const other = results.filter((r) => ![200, 403, 404, 409].includes(r.status) && r.code !== 'in_closure')
  for (const r of other) parts.push(t('queue.failed', { count: 1, status: r.status }))
  return parts.join(', ')
}
