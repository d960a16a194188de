import type { Executor } from '../../db/types.ts'
import { type Interval, intersect } from '../domain/intervals.ts'
import { openingSpans } from '../domain/opening-hours.ts'
import { approvedBookingsOverlapping, facilityForBooking } from '../queries/bookings.ts'
import { publishedFacilitiesByArea } from '../queries/catalogue.ts'
import { pilotsApprovedIn } from '../queries/pilots.ts'
import { decisionsMadeIn, rejectionsMadeIn } from '../queries/reviews.ts'

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

/** Median hours from a request to each department's decision on it, for decisions made in the period. */
export async function decisionTimes(db: Executor, range: Interval) {
  const rows = await decisionsMadeIn(db, range)
  const byDepartment = new Map<string, { departmentId: string; departmentName: string; hours: number[] }>()
  for (const r of rows) {
    if (!r.decided_at) continue
    const d = byDepartment.get(r.id) ?? { departmentId: r.id, departmentName: r.name, hours: [] }
    d.hours.push((r.decided_at.getTime() - r.created_at.getTime()) / hour)
    byDepartment.set(r.id, d)
  }
  return [...byDepartment.values()]
    .map((d) => ({
      departmentId: d.departmentId,
      departmentName: d.departmentName,
      decisions: d.hours.length,
      medianHours: round(median(d.hours) ?? 0, 2),
    }))
    .sort((a, b) => a.departmentName.localeCompare(b.departmentName))
}

/** Pilots with an approved booking in the period, counted by category and by industry cluster. */
export async function pilotCounts(db: Executor, range: Interval) {
  const pilots = await pilotsApprovedIn(db, range)
  const count = (key: (p: (typeof pilots)[number]) => string) => {
    const counts = new Map<string, number>()
    for (const p of pilots) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1)
    return [...counts.entries()]
      .map(([id, pilots]) => ({ id, pilots }))
      .sort((a, b) => b.pilots - a.pilots || a.id.localeCompare(b.id))
  }
  return { byCategory: count((p) => p.category_id), byCluster: count((p) => p.cluster_id ?? 'none') }
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
