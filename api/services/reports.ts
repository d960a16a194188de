import type { Executor } from '../../db/types.ts'
import { type Interval, intersect } from '../domain/intervals.ts'
import { openingSpans } from '../domain/opening-hours.ts'
import type { Language } from '../lib/language.ts'
import { approvedBookingsOverlapping, facilityForBooking } from '../queries/bookings.ts'
import { listCategories, listClusters, publishedFacilitiesByArea } from '../queries/catalogue.ts'
import { pilotsApprovedIn } from '../queries/pilots.ts'
import { decisionsMadeIn, publicHolidays, rejectionsMadeIn } from '../queries/reviews.ts'

const hour = 3_600_000
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits
const total = (spans: readonly Interval[]) => spans.reduce((sum, s) => sum + (s.end - s.start), 0)

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface UtilisationRow {
  facilityId: string
  facilityName: string
  areaId: string
  areaName: string
  capacity: number
  openHours: number
  bookedHours: number
  /** Booked pilot-hours over open hours × capacity, 0…1. */
  share: number
}

/**
 * How much of each facility's open time approved bookings used over a period: pilot-hours inside
 * the opening windows (city time) over open hours times capacity.
 */
export async function utilisation(
  db: Executor,
  range: Interval,
  timeZone: string,
): Promise<UtilisationRow[]> {
  const facilities = await publishedFacilitiesByArea(db)
  const bookings = await approvedBookingsOverlapping(db, range)
  const rows: UtilisationRow[] = []
  for (const f of facilities) {
    const facility = await facilityForBooking(db, f.id, { lock: false })
    if (!facility) continue
    const open = openingSpans(facility.rules.openingHours, range, timeZone)
    const openMs = total(open)
    const bookedMs = bookings
      .filter((b) => b.facility_id === f.id)
      .reduce(
        (sum, b) =>
          sum + total(intersect([{ start: b.starts_at.getTime(), end: b.ends_at.getTime() }], open)),
        0,
      )
    rows.push({
      facilityId: f.id,
      facilityName: f.name,
      areaId: f.area_id,
      areaName: f.area_name,
      capacity: facility.capacity,
      openHours: round(openMs / hour, 2),
      bookedHours: round(bookedMs / hour, 2),
      share: openMs === 0 ? 0 : round(bookedMs / (openMs * facility.capacity)),
    })
  }
  return rows
}

/** Utilisation summed per area. */
export function utilisationByArea(rows: readonly UtilisationRow[]) {
  const areas = new Map<
    string,
    { areaId: string; areaName: string; openCapacityHours: number; bookedHours: number }
  >()
  for (const r of rows) {
    const a = areas.get(r.areaId) ?? {
      areaId: r.areaId,
      areaName: r.areaName,
      openCapacityHours: 0,
      bookedHours: 0,
    }
    a.openCapacityHours += r.openHours * r.capacity
    a.bookedHours += r.bookedHours
    areas.set(r.areaId, a)
  }
  return [...areas.values()].map((a) => ({
    areaId: a.areaId,
    areaName: a.areaName,
    openCapacityHours: round(a.openCapacityHours, 2),
    bookedHours: round(a.bookedHours, 2),
    share: a.openCapacityHours === 0 ? 0 : round(a.bookedHours / a.openCapacityHours),
  }))
}

const dayMs = 86_400_000

/** The city date an instant falls on, as days since 1970-01-01 (a Thursday). */
function cityDay(at: Date, timeZone: string): number {
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
  return Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs)
}

/** Monday to Friday among the days 1970-01-01 … `day` - 1, counted without a loop. */
function weekdaysBefore(day: number): number {
  const weeks = Math.floor(day / 7)
  let count = weeks * 5
  for (let d = weeks * 7; d < day; d++) if ((d + 3) % 7 < 5) count++ // day 0 is a Thursday: (0 + 3) % 7 = 3
  return count
}

/** Public holidays (`YYYY-MM-DD`) that fall on a weekday, as day numbers: the ones a week loses. */
export function weekdayHolidays(dates: readonly string[]): number[] {
  return dates
    .map((date) => Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs))
    .filter((day) => (day + 3) % 7 < 5)
}

/**
 * Working days (Monday to Friday in the city, public holidays left out) from a request to its
 * decision: the days after the request's city date up to and including the decision's. Decided
 * the day it came in: 0.
 */
export function workingDaysBetween(
  requested: Date,
  decided: Date,
  timeZone: string,
  holidays: readonly number[] = [],
): number {
  const from = cityDay(requested, timeZone)
  const to = cityDay(decided, timeZone)
  if (to <= from) return 0
  const off = holidays.filter((day) => day > from && day <= to).length
  return weekdaysBefore(to + 1) - weekdaysBefore(from + 1) - off
}

/**
 * Median time from a request to each department's decision on it, for decisions made in the
 * period: in hours, and in the city's working days (weekends and public holidays left out).
 */
export async function decisionTimes(db: Executor, range: Interval, timeZone: string) {
  const rows = await decisionsMadeIn(db, range)
  const holidays = weekdayHolidays(await publicHolidays(db))
  const byDepartment = new Map<string, { id: string; name: string; hours: number[]; days: number[] }>()
  for (const r of rows) {
    if (!r.decided_at) continue
    const d = byDepartment.get(r.id) ?? { id: r.id, name: r.name, hours: [], days: [] }
    d.hours.push((r.decided_at.getTime() - r.created_at.getTime()) / hour)
    d.days.push(workingDaysBetween(r.created_at, r.decided_at, timeZone, holidays))
    byDepartment.set(r.id, d)
  }
  return [...byDepartment.values()]
    .map((d) => ({
      departmentId: d.id,
      departmentName: d.name,
      decisions: d.hours.length,
      medianHours: round(median(d.hours) ?? 0, 2),
      medianWorkingDays: round(median(d.days) ?? 0, 1),
    }))
    .sort((a, b) => a.departmentName.localeCompare(b.departmentName))
}

/** How many pilots have each key, most first, each with its name (null for a key without one). */
function counted<P>(pilots: readonly P[], key: (p: P) => string, names: ReadonlyMap<string, string>) {
  const counts = new Map<string, number>()
  for (const p of pilots) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1)
  return [...counts.entries()]
    .map(([id, pilots]) => ({ id, name: names.get(id) ?? null, pilots }))
    .sort((a, b) => b.pilots - a.pilots || a.id.localeCompare(b.id))
}

/**
 * Pilots with an approved booking in the period, counted by category and by industry cluster,
 * with their names in the language asked for (cluster `none`, pilots without one, has no name).
 */
export async function pilotCounts(db: Executor, range: Interval, language: Language) {
  const pilots = await pilotsApprovedIn(db, range)
  const categories = await listCategories(db, language)
  const clusters = await listClusters(db, language)
  const names = (list: readonly { id: string; name: string }[]) => new Map(list.map((x) => [x.id, x.name]))
  return {
    byCategory: counted(pilots, (p) => p.category_id, names(categories)),
    byCluster: counted(pilots, (p) => p.cluster_id ?? 'none', names(clusters)),
  }
}

/** Rejections decided in the period, with their reasons, newest first. */
export async function rejections(db: Executor, range: Interval) {
  const rows = await rejectionsMadeIn(db, range)
  return rows.map((r) => ({
    bookingId: r.booking_id,
    decidedAt: r.decided_at?.toISOString() ?? '',
    department: r.department_name,
    pilot: r.title,
    facility: r.facility_name,
    reason: r.note ?? '',
  }))
}
