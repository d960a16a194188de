/**
 * A whole city at a chosen volume, for the benchmark: 60 facilities in 8 areas of 4 departments,
 * 30 organisations and 100 pilots, and `bookings` bookings over three years around `now` (two
 * past, one ahead) in every state a booking reaches, with their reviews and audit events, a fifth
 * of them in weekly series. A few companies and pilots hold many bookings, one facility a tenth
 * of them. The plan is pure and seeded, so a size always gives the same city; it goes into the
 * tables in multi-row inserts, not through the API, so that 40,000 bookings take seconds.
 */
import { type Insertable, type Kysely, sql } from 'kysely'
import { hashToken, newToken } from '../api/lib/tokens.ts'
import { refreshPlaceColumns } from '../api/queries/places.ts'
import type { BookingState, Database, FacilityKind, ReviewDecision, Role } from '../db/types.ts'

const minute = 60_000
const hour = 60 * minute
const day = 24 * hour
const week = 7 * day

export interface CityOptions {
  /** How many bookings in all. */
  bookings: number
  /** The run's now: two years of bookings before it, one after. */
  now: Date
  /** Another seed gives another city of the same shape. */
  seed?: number
}

type Row<T extends keyof Database> = Insertable<Database[T]> & { id?: string }

/** Every row of the city, table by table, in the order they can be inserted. */
export interface CityPlan {
  departments: Row<'departments'>[]
  areas: Row<'areas'>[]
  area_categories: Row<'area_categories'>[]
  facilities: (Row<'facilities'> & { id: string })[]
  facility_signoff_departments: Row<'facility_signoff_departments'>[]
  organisations: Row<'organisations'>[]
  users: Row<'users'>[]
  pilots: (Row<'pilots'> & { id: string })[]
  closures: Row<'closures'>[]
  bookings: (Row<'bookings'> & { id: string })[]
  reviews: Row<'reviews'>[]
  events: Row<'events'>[]
  /** The weekly runs, each one pilot's bookings on one facility at the same time of the week. */
  series: { pilotId: string; facilityId: string; bookingIds: string[] }[]
  /** Who the benchmark acts as: the company and the pilot with the most bookings, an official. */
  actors: { companyUserId: string; organisationId: string; pilotId: string; officialUserId: string }
  busyFacilityId: string
  /** The three years the bookings cover. */
  span: { from: Date; to: Date }
}

/** mulberry32: small, fast and good enough to shape test data. */
function generator(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  // Four random 32-bit words as a version 4 UUID; called once per row, so it avoids allocating.
  const word = () => (Math.floor(next() * 4294967296) >>> 0).toString(16).padStart(8, '0')
  const uuid = () => {
    const x = word()
    const y = word()
    const z = word()
    const variant = ((Number.parseInt(z[0] as string, 16) & 3) | 8).toString(16)
    return `${x}-${y.slice(0, 4)}-4${y.slice(5)}-${variant}${z.slice(1, 4)}-${z.slice(4)}${word()}`
  }
  /** Index drawn in proportion to `weights` (given as running totals). */
  const weighted = (totals: number[]) => {
    const x = next() * (totals[totals.length - 1] as number)
    let lo = 0
    let hi = totals.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((totals[mid] as number) > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  return { next, int, pick, uuid, weighted }
}
type Random = ReturnType<typeof generator>

const runningTotals = (weights: number[]) => {
  let sum = 0
  return weights.map((w) => {
    sum += w
    return sum
  })
}

const departmentNames = ['Roads and Lighting', 'Urban Planning', 'Transport', 'Digital City']
/** Areas: name, managing department, accepted categories, the kinds of facility in it. */
const areaShapes: [string, number, string[], FacilityKind[]][] = [
  ['Nevsky lighting corridor', 0, ['lighting', 'energy', 'digital'], ['lighting_pole']],
  ['Harbour quarter', 2, ['mobility', 'environment'], ['road_segment', 'public_space']],
  ['Tech park rooftops', 3, ['digital', 'energy'], ['rooftop', 'network_point']],
  ['Old town squares', 1, ['tourism', 'digital'], ['public_space']],
  ['Ring road', 2, ['mobility', 'construction'], ['road_segment']],
  ['Library district', 3, ['digital', 'other'], ['building_space', 'network_point']],
  ['Riverside park', 1, ['environment', 'tourism'], ['public_space', 'other']],
  ['Northern depot', 0, ['construction', 'energy', 'lighting'], ['other', 'lighting_pole']],
]
const categories = [
  'lighting',
  'construction',
  'digital',
  'tourism',
  'mobility',
  'energy',
  'environment',
  'other',
]
const buffers = [0, 0, 15, 15, 30, 60]
/** Cell lengths that divide a week, so that a weekly series falls on the same cell of each week. */
const weekDivisors = [1, 2, 3, 4, 6, 7, 8, 12, 14, 21, 24, 28, 42, 56, 84, 168]

/** A state as the story tells it; withdrawn, expired and revoked are all `cancelled` in the table. */
type Story = 'approved' | 'pending' | 'changes_requested' | 'rejected' | 'withdrawn' | 'expired' | 'revoked'
const pastStories: [Story, number][] = [
  ['approved', 74],
  ['rejected', 10],
  ['withdrawn', 9],
  ['expired', 5],
  ['revoked', 2],
]
const futureStories: [Story, number][] = [
  ['approved', 50],
  ['pending', 22],
  ['changes_requested', 5],
  ['rejected', 8],
  ['withdrawn', 10],
  ['expired', 3],
  ['revoked', 2],
]
const pastTotals = runningTotals(pastStories.map((s) => s[1]))
const futureTotals = runningTotals(futureStories.map((s) => s[1]))

function square(lng: number, lat: number, size: number) {
  return JSON.stringify({
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  })
}

/** The catalogue and the people: everything but bookings. */
function planPeople(r: Random, now: Date) {
  const departments = departmentNames.map((name) => ({ id: r.uuid(), name }))
  const areas = areaShapes.map(([name, dept], i) => ({
    id: r.uuid(),
    name,
    description: `${name}: a testbed area of the city.`,
    department_id: departments[dept]?.id as string,
    geometry: square(30.2 + 0.05 * (i % 4), 59.9 + 0.04 * Math.floor(i / 4), 0.03),
    published: true,
  }))
  const area_categories = areaShapes.flatMap(([, , cats], i) =>
    cats.map((category_id) => ({ area_id: areas[i]?.id as string, category_id })),
  )
  const facilities = Array.from({ length: 60 }, (_, i) => {
    const a = i % areaShapes.length
    const [, dept, , kinds] = areaShapes[a] as (typeof areaShapes)[number]
    const busy = i === 0
    const capacity = busy ? 2 : r.next() < 0.8 ? 1 : r.next() < 0.75 ? 2 : r.int(3, 4)
    return {
      id: r.uuid(),
      area_id: areas[a]?.id as string,
      name: busy ? 'Busy pole 1' : `${(areaShapes[a] as (typeof areaShapes)[number])[0]} ${i}`,
      description: 'A facility of the benchmark city.',
      kind: busy ? ('lighting_pole' as const) : r.pick(kinds),
      geometry: JSON.stringify({
        type: 'Point',
        coordinates: [30.2 + 0.05 * (a % 4) + 0.001 * (i % 25), 59.9 + 0.04 * Math.floor(a / 4) + 0.01],
      }),
      capacity,
      power_kw: r.next() < 0.6 ? r.int(1, 20) : null,
      connectivity: r.next() < 0.5 ? ['lte', 'fiber'].slice(0, r.int(1, 2)) : [],
      min_duration_minutes: 30,
      horizon_days: 730,
      setup_minutes: busy ? 15 : r.pick(buffers),
      teardown_minutes: busy ? 15 : r.pick(buffers),
      department_id: departments[dept]?.id as string,
      published: true,
    }
  })
  // A quarter of the facilities need a second department's sign-off: Urban Planning, or Roads
  // and Lighting where Urban Planning manages.
  const facility_signoff_departments = facilities
    .filter((_, i) => i % 4 === 0)
    .map((f) => ({
      facility_id: f.id,
      department_id: (f.department_id === departments[1]?.id
        ? departments[0]?.id
        : departments[1]?.id) as string,
    }))
  const organisations = Array.from({ length: 30 }, (_, i) => ({
    id: r.uuid(),
    name: `Bench company ${i + 1}`,
    cluster_id: r.pick(['ict', 'energy', 'transport', 'cleantech', 'electronics']),
  }))
  const users: {
    id: string
    email: string
    name: string
    password_hash: string
    role: Role
    organisation_id?: string
    department_id?: string
  }[] = [
    ...organisations.flatMap((o, i) =>
      Array.from({ length: i % 2 === 0 ? 2 : 1 }, (_, k) => ({
        id: r.uuid(),
        email: `company${i + 1}-${k + 1}@bench.example.org`,
        name: `Member ${k + 1} of company ${i + 1}`,
        password_hash: 'x',
        role: 'company' as const,
        organisation_id: o.id,
      })),
    ),
    ...departments.flatMap((d, i) =>
      [1, 2].map((k) => ({
        id: r.uuid(),
        email: `official${i + 1}-${k}@bench.example.org`,
        name: `Official ${k} of ${d.name}`,
        password_hash: 'x',
        role: 'official' as const,
        department_id: d.id,
      })),
    ),
    {
      id: r.uuid(),
      email: 'admin@bench.example.org',
      name: 'Admin',
      password_hash: 'x',
      role: 'admin' as const,
    },
  ]
  // A hundred pilots; company i holds about 1/i^0.8 of them and of the bookings.
  const orgWeights = organisations.map((_, i) => 1 / (i + 1) ** 0.8)
  const orgTotals = runningTotals(orgWeights)
  const pilots = Array.from({ length: 100 }, (_, i) => {
    const org = i === 0 ? 0 : r.weighted(orgTotals)
    const organisation = organisations[org] as (typeof organisations)[number]
    const created = new Date(now.getTime() - r.int(30, 1000) * day)
    return {
      id: r.uuid(),
      organisation_id: organisation.id,
      title: `Pilot ${i + 1} of ${organisation.name}`,
      summary: 'What the pilot tries out, in a sentence or two.',
      category_id: i === 0 ? 'lighting' : (categories[i % categories.length] as string),
      public_description: 'What residents will see, where, and for how long. '.repeat(3),
      data_collected: 'Counts of passers-by, no images, no personal data.',
      contact_email: `pilot${i + 1}@bench.example.org`,
      created_by: users.find((u) => u.organisation_id === organisation.id)?.id ?? null,
      created_at: created,
      updated_at: created,
      weight: (orgWeights[org] as number) * (i === 0 ? 12 : 0.5 + r.next()),
    }
  })
  return {
    departments,
    areas,
    area_categories,
    facilities,
    facility_signoff_departments,
    organisations,
    users,
    pilots,
  }
}

/** How many bookings each facility holds: a tenth on the busy one, the rest tapering off. */
function quotas(r: Random, count: number, facilities: number) {
  const weights = Array.from({ length: facilities - 1 }, (_, i) => (1 / (i + 1) ** 0.5) * (0.5 + r.next()))
  const sum = weights.reduce((a, b) => a + b, 0)
  const busy = Math.round(count / 10)
  const out = [busy, ...weights.map((w) => Math.floor(((count - busy) * w) / sum))]
  let left = count - out.reduce((a, b) => a + b, 0)
  for (let i = 1; left > 0; i = (i % (facilities - 1)) + 1, left--) out[i] = (out[i] as number) + 1
  return out
}

/** A facility's timeline cut into cells, `capacity` lanes of them; each booking takes one cell. */
function grid(spanHours: number, capacity: number, count: number, buffersMinutes: number) {
  const target = (spanHours * capacity) / Math.max(1, count * 2)
  const shortest = weekDivisors.find((d) => d * 60 >= buffersMinutes + 60) ?? 168
  const hours = Math.max(shortest, [...weekDivisors].reverse().find((d) => d <= target) ?? 1)
  const perLane = Math.floor(spanHours / hours)
  if (count > perLane * capacity * 0.85)
    throw new Error(`${count} bookings do not fit on one facility; try a smaller size`)
  return { hours, perLane, used: new Uint8Array(perLane * capacity) }
}

export function planCity(options: CityOptions): CityPlan {
  const r = generator(options.seed ?? 1)
  const now = options.now.getTime()
  const people = planPeople(r, options.now)
  // Three years of whole weeks starting on a Monday (UTC), two of them before now.
  const monday = 4 * day
  const from = Math.floor((now - 2 * 365 * day - monday) / week) * week + monday
  const to = from + 156 * week
  const spanHours = (to - from) / hour
  const counts = quotas(r, options.bookings, people.facilities.length)
  const bookings: CityPlan['bookings'] = []
  const reviews: CityPlan['reviews'] = []
  const events: CityPlan['events'] = []
  const series: CityPlan['series'] = []
  const signoffs = new Map<string, string[]>()
  for (const s of people.facility_signoff_departments)
    signoffs.set(s.facility_id, [...(signoffs.get(s.facility_id) ?? []), s.department_id])
  const officials = new Map<string, string>()
  for (const u of people.users)
    if (u.role === 'official' && u.department_id && !officials.has(u.department_id))
      officials.set(u.department_id, u.id)
  const memberOf = new Map<string, string>()
  for (const u of people.users)
    if (u.organisation_id && !memberOf.has(u.organisation_id)) memberOf.set(u.organisation_id, u.id)

  people.facilities.forEach((facility, f) => {
    const count = counts[f] as number
    const setup = facility.setup_minutes
    const teardown = facility.teardown_minutes
    const cells = grid(spanHours, facility.capacity, count, setup + teardown)
    const areaCategories = new Set(
      people.area_categories.filter((c) => c.area_id === facility.area_id).map((c) => c.category_id),
    )
    const eligible = people.pilots.filter((p) => areaCategories.has(p.category_id))
    const pilotTotals = runningTotals(eligible.map((p) => p.weight))
    const departments = [facility.department_id, ...(signoffs.get(facility.id) ?? [])]
    const usable = cells.hours * 60 - setup - teardown
    /** A length and a place inside the cell, in quarter hours; a series keeps one for all. */
    const shape = () => {
      const minutes = Math.max(30, Math.floor((usable * (0.3 + 0.7 * r.next())) / 15) * 15)
      return { minutes, offset: setup + 15 * r.int(0, Math.floor((usable - minutes) / 15)) }
    }
    const book = (
      cell: number,
      pilot: (typeof eligible)[number],
      story: Story,
      { minutes, offset } = shape(),
      requestedAt?: number,
    ) => {
      const k = cell % cells.perLane
      cells.used[cell] = 1
      const start = from + k * cells.hours * hour + offset * minute
      const b = booking(r, {
        now,
        start,
        end: start + minutes * minute,
        setup,
        teardown,
        story,
        requestedAt,
        pilotId: pilot.id,
        facilityId: facility.id,
        userId: memberOf.get(pilot.organisation_id) as string,
        departments,
        officials,
      })
      bookings.push(b.booking)
      reviews.push(...b.reviews)
      events.push(...b.events)
      return b.booking.id
    }
    const storyAt = (start: number) =>
      start < now
        ? (pastStories[r.weighted(pastTotals)] as [Story, number])[0]
        : (futureStories[r.weighted(futureTotals)] as [Story, number])[0]
    // A fifth in weekly series: the same cell of consecutive weeks, one pilot, one state.
    let left = count
    const stride = 168 / cells.hours
    for (let tries = 0; left > count * 0.8 + 8 && tries < 200; tries++) {
      const weeks = Math.min(left - Math.ceil(count * 0.8), r.int(6, 40))
      const lane = r.int(0, facility.capacity - 1)
      const first = r.int(0, cells.perLane - 1 - (weeks - 1) * stride)
      if (first < 0) break
      const run = Array.from({ length: weeks }, (_, w) => lane * cells.perLane + first + w * stride)
      if (run.some((c) => cells.used[c])) continue
      const pilot = eligible[r.weighted(pilotTotals)] as (typeof eligible)[number]
      const firstStart = from + first * cells.hours * hour
      const story = storyAt(firstStart)
      const requestedAt = Math.min(firstStart, now) - r.int(3, 40) * day
      const once = shape()
      series.push({
        pilotId: pilot.id,
        facilityId: facility.id,
        bookingIds: run.map((c) => book(c, pilot, story, once, requestedAt)),
      })
      left -= weeks
    }
    while (left > 0) {
      const cell = r.int(0, cells.used.length - 1)
      if (cells.used[cell]) continue
      const k = cell % cells.perLane
      book(
        cell,
        eligible[r.weighted(pilotTotals)] as (typeof eligible)[number],
        storyAt(from + k * cells.hours * hour),
      )
      left--
    }
  })

  const byOrganisation = new Map<string, number>()
  const byPilot = new Map<string, number>()
  const organisationOf = new Map(people.pilots.map((p) => [p.id, p.organisation_id]))
  for (const b of bookings) {
    byPilot.set(b.pilot_id, (byPilot.get(b.pilot_id) ?? 0) + 1)
    const org = organisationOf.get(b.pilot_id) as string
    byOrganisation.set(org, (byOrganisation.get(org) ?? 0) + 1)
  }
  const most = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0] as string
  const organisationId = most(byOrganisation)
  return {
    ...people,
    pilots: people.pilots.map(({ weight, ...p }) => p),
    closures: planClosures(r, people, from, to),
    bookings,
    reviews,
    events,
    series,
    actors: {
      organisationId,
      companyUserId: memberOf.get(organisationId) as string,
      pilotId: most(byPilot),
      officialUserId: officials.get(people.departments[0]?.id as string) as string,
    },
    busyFacilityId: people.facilities[0]?.id as string,
    span: { from: new Date(from), to: new Date(to) },
  }
}

/** Twenty closures: most on one facility for a day or three, a few over a whole area. */
function planClosures(r: Random, people: ReturnType<typeof planPeople>, from: number, to: number) {
  return Array.from({ length: 20 }, (_, i) => {
    const start = from + Math.floor(r.next() * ((to - from) / day - 7)) * day
    const area = i % 7 === 0
    return {
      facility_id: area ? null : r.pick(people.facilities).id,
      area_id: area ? r.pick(people.areas).id : null,
      starts_at: new Date(start),
      ends_at: new Date(start + r.int(1, 3) * day),
      reason: area ? 'City festival' : 'Maintenance of the facility',
    }
  })
}

const cancelReasons: Record<'withdrawn' | 'expired' | 'revoked', string | null> = {
  withdrawn: null,
  expired: 'expired: no decision within 30 days',
  revoked: 'Road works on this street',
}

/** One booking in its story's state, with a review per department and the events that led there. */
function booking(
  r: Random,
  b: {
    now: number
    start: number
    end: number
    setup: number
    teardown: number
    story: Story
    requestedAt: number | undefined
    pilotId: string
    facilityId: string
    userId: string
    departments: string[]
    officials: Map<string, string>
  },
) {
  const id = r.uuid()
  let story = b.story
  // Requests still waiting were made within the expiry period; others a while before.
  const waiting = story === 'pending' || story === 'changes_requested'
  let created = waiting
    ? b.now - r.int(0, 25 * 24) * hour
    : (b.requestedAt ?? Math.min(b.start, b.now) - r.int(3, 60) * day)
  if (story === 'expired' && created + 31 * day > b.now) story = 'withdrawn'
  if (!waiting) created = Math.min(created, b.now - day)
  const decided = Math.min(b.now - minute, created + r.int(1, 10 * 24) * hour)
  const state: BookingState =
    story === 'withdrawn' || story === 'expired' || story === 'revoked' ? 'cancelled' : story
  // Which department decided what: the last one named gives a refusal or a request for changes.
  const decisions: ReviewDecision[] = b.departments.map((_, i) => {
    const last = i === b.departments.length - 1
    if (story === 'approved' || story === 'revoked') return 'approved'
    if (story === 'rejected') return last ? 'rejected' : 'approved'
    if (story === 'changes_requested') return last ? 'changes_requested' : 'pending'
    return i === 0 && b.departments.length > 1 && r.next() < 0.3 ? 'approved' : 'pending'
  })
  const cancelled =
    story === 'expired'
      ? created + 30 * day + r.int(0, 23) * hour
      : story === 'withdrawn'
        ? Math.min(b.now - minute, created + r.int(1, 20 * 24) * hour)
        : story === 'revoked'
          ? Math.min(b.now - minute, decided + r.int(1, 10 * 24) * hour)
          : undefined
  const isDecided = decisions.some((d) => d !== 'pending')
  // The moment the booking left `pending` by a decision (a revoked one was approved first).
  const decidedAt = ['approved', 'rejected', 'changes_requested', 'revoked'].includes(story)
    ? new Date(decided)
    : null
  // The state a decision left the booking in: cancelled ones were still waiting, or approved.
  const afterReview = story === 'revoked' ? 'approved' : state === 'cancelled' ? 'pending' : state
  const start = new Date(b.start).toISOString()
  const end = new Date(b.end).toISOString()
  const snapshotOf = (state: string) => ({ state, start, end })
  const reviews = b.departments.map((department_id, i) => ({
    booking_id: id,
    department_id,
    decision: decisions[i] as ReviewDecision,
    note:
      decisions[i] === 'approved' || decisions[i] === 'pending'
        ? null
        : 'Please move the sensor away from the crossing.',
    decided_by: decisions[i] === 'pending' ? null : (b.officials.get(department_id) ?? null),
    decided_at: decisions[i] === 'pending' ? null : new Date(decided),
  }))
  const events: Row<'events'>[] = [
    {
      at: new Date(created),
      actor_id: b.userId,
      action: 'booking.requested',
      subject_type: 'booking',
      subject_id: id,
      details: JSON.stringify({ after: { ...snapshotOf('pending'), note: null } }),
    },
    ...reviews
      .filter((v) => v.decision !== 'pending')
      .map((v) => ({
        at: new Date(decided),
        actor_id: v.decided_by,
        action: `review.${v.decision}`,
        subject_type: 'booking',
        subject_id: id,
        details: JSON.stringify({
          departmentId: v.department_id,
          note: v.note,
          before: snapshotOf('pending'),
          after: snapshotOf(afterReview),
        }),
      })),
  ]
  if (cancelled !== undefined) {
    const action =
      story === 'withdrawn'
        ? 'booking.withdrawn'
        : story === 'expired'
          ? 'booking.expired'
          : 'booking.revoked'
    events.push({
      at: new Date(cancelled),
      actor_id:
        story === 'withdrawn'
          ? b.userId
          : story === 'revoked'
            ? (b.officials.get(b.departments[0] as string) ?? null)
            : null,
      action,
      subject_type: 'booking',
      subject_id: id,
      details: JSON.stringify({ reason: cancelReasons[story as keyof typeof cancelReasons] }),
    })
  }
  const updated = cancelled ?? (isDecided ? decided : created)
  return {
    booking: {
      id,
      pilot_id: b.pilotId,
      facility_id: b.facilityId,
      starts_at: new Date(b.start),
      ends_at: new Date(b.end),
      occupied_from: new Date(b.start - b.setup * minute),
      occupied_to: new Date(b.end + b.teardown * minute),
      state,
      note: null,
      cancel_reason: cancelled === undefined ? null : cancelReasons[story as keyof typeof cancelReasons],
      created_by: b.userId,
      created_at: new Date(created),
      updated_at: new Date(updated),
      decided_at: decidedAt,
      version: events.length,
    },
    reviews,
    events,
  }
}

/** What a seeded city gives the benchmark to act with. */
export interface SeededCity {
  plan: CityPlan
  /** Bearer tokens: a member of the company with most bookings, an official of its main department, the admin. */
  tokens: { company: string; official: string; admin: string }
  seconds: number
}

/** Columns of type jsonb, which the plan holds as JSON text (as Kysely's types want them). */
const jsonColumns = ['geometry', 'details']

/** New sessions for the actors of a plan, valid a week from `now`: their tokens and their rows. */
async function actorSessions(plan: CityPlan, now: Date) {
  const admin = plan.users.find((u) => u.role === 'admin')?.id as string
  const tokens = { company: newToken(), official: newToken(), admin: newToken() }
  const expires = new Date(now.getTime() + 7 * day)
  const sessions = await Promise.all(
    (
      [
        [plan.actors.companyUserId, tokens.company],
        [plan.actors.officialUserId, tokens.official],
        [admin, tokens.admin],
      ] as const
    ).map(async ([user_id, token]) => ({ user_id, token_hash: await hashToken(token), expires_at: expires })),
  )
  return { tokens, sessions }
}

/**
 * The city `seedCity` put into this database before with the same options (`npm run bench --
 * --reuse`): its plan again, and its actors signed in anew (tokens are not stored, only hashed).
 */
export async function seededBefore(db: Kysely<Database>, options: CityOptions): Promise<SeededCity> {
  const began = performance.now()
  const plan = planCity(options)
  const { tokens, sessions } = await actorSessions(plan, new Date())
  await db.insertInto('sessions').values(sessions).execute()
  return { plan, tokens, seconds: (performance.now() - began) / 1000 }
}

/** Inserts the plan in chunks inside one transaction, then lets PostgreSQL gather statistics. */
export async function seedCity(db: Kysely<Database>, options: CityOptions): Promise<SeededCity> {
  const began = performance.now()
  const plan = planCity(options)
  const { tokens, sessions } = await actorSessions(plan, options.now)
  const tables: [keyof Database, Record<string, unknown>[]][] = [
    ['departments', plan.departments],
    ['areas', plan.areas],
    ['area_categories', plan.area_categories],
    ['facilities', plan.facilities],
    ['facility_signoff_departments', plan.facility_signoff_departments],
    ['organisations', plan.organisations],
    ['users', plan.users],
    ['sessions', sessions],
    ['pilots', plan.pilots],
    ['closures', plan.closures],
    ['bookings', plan.bookings],
    ['reviews', plan.reviews],
    ['events', plan.events],
  ]
  await db.transaction().execute(async (tx) => {
    for (const [table, rows] of tables) {
      // One parameter per chunk, a JSON array the server unpacks into rows: far cheaper to send,
      // parse and plan than a statement with a parameter per value. Columns that no row names
      // keep their defaults; jsonb columns, held as text in the plan, go in as JSON.
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
      const list = sql.join(columns.map((c) => sql.ref(c)))
      for (let i = 0; i < rows.length; i += 5000) {
        const chunk = rows.slice(i, i + 5000).map((row) => {
          const out = { ...row }
          for (const c of jsonColumns) if (typeof out[c] === 'string') out[c] = JSON.parse(out[c] as string)
          return out
        })
        await sql`insert into ${sql.table(table)} (${list})
          select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(chunk)}::json)`.execute(
          tx,
        )
      }
    }
    // Each place's point and search text, as the app writes them: "near" searches find them.
    for (const area of plan.areas) await refreshPlaceColumns(tx, 'areas', area.id as string)
    for (const facility of plan.facilities) await refreshPlaceColumns(tx, 'facilities', facility.id)
  })
  await sql`analyze`.execute(db)
  return { plan, tokens, seconds: (performance.now() - began) / 1000 }
}
