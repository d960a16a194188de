import { store } from './store.ts'

/** A problem+json answer from the API, with its sentence and the fields it names. */
export class ApiProblem extends Error {
  readonly status: number
  readonly code: string
  readonly errors: { path: string; message: string }[]

  constructor(
    status: number,
    body: { detail?: string; code?: string; errors?: { path: string; message: string }[] },
  ) {
    super(body.detail ?? `HTTP ${status}`)
    this.status = status
    this.code = body.code ?? 'error'
    this.errors = body.errors ?? []
  }
}

/** Calls the API with the session cookie; JSON in, JSON out, problems thrown. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  if (res.status === 204) return undefined as T
  const body = (await res.json().catch(() => ({}))) as {
    detail?: string
    code?: string
    errors?: { path: string; message: string }[]
  }
  if (!res.ok) throw new ApiProblem(res.status, body)
  return body as T
}

export interface Me {
  id: string
  email: string
  name: string
  role: 'company' | 'official' | 'admin'
  language: 'en' | 'ru'
  organisation?: { id: string; name: string }
  department?: { id: string; name: string }
}

/** The signed-in user, or null for a visitor; undefined until known. */
export const me = store<Me | null | undefined>(undefined)

export async function loadMe() {
  try {
    me.value = (await api<{ user: Me | null }>('/auth/session')).user
  } catch {
    me.value = null
  }
}

/** The city's time zone, in which every date is shown and typed. */
export const cityTimeZone = store<string>('Europe/Moscow')

export async function loadSettings() {
  const settings = await api<{ cityTimeZone: string }>('/settings')
  cityTimeZone.value = settings.cityTimeZone
}

export type BookingState = 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'cancelled'

export interface Review {
  departmentId: string
  departmentName: string
  decision: 'pending' | 'approved' | 'rejected' | 'changes_requested'
  note: string | null
  decidedBy: string | null
  decidedAt: string | null
}

export interface Booking {
  id: string
  pilotId: string
  facilityId: string
  facilityName: string
  start: string
  end: string
  state: BookingState
  phase: 'upcoming' | 'active' | 'completed' | null
  note: string | null
  cancelReason: string | null
  reviews: Review[]
  version: number
}

export interface Pilot {
  id: string
  organisationName: string
  title: string
  summary: string
  category: string
  publicDescription: string
  dataCollected: string
  contactEmail: string
  website: string | null
  phase: 'upcoming' | 'active' | 'completed' | null
  bookings: Booking[]
}

export interface OpeningWindow {
  weekday: number
  from: string
  to: string
}

export interface Facility {
  id: string
  areaId: string
  name: string
  description: string
  kind: string
  capacity: number
  departmentId: string
  signoffDepartmentIds: string[]
  published: boolean
  specs: {
    powerKw?: number
    voltage?: number
    connectivity?: string[]
    mounting?: string
    maxLoadKg?: number
    heightM?: number
    indoor?: boolean
    accessNotes?: string
  }
  rules: {
    minDurationMinutes: number
    maxDurationMinutes: number
    leadTimeMinutes: number
    horizonDays: number
    setupMinutes: number
    teardownMinutes: number
    openingHours?: OpeningWindow[]
  }
}

export interface Area {
  id: string
  name: string
  description: string
  departmentId: string
  categories: string[]
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
