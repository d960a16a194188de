import type { ColumnType, Generated, Kysely, Transaction } from 'kysely'

/** A column the database fills in unless the insert says otherwise. */
type Defaulted<T> = ColumnType<T, T | undefined, T>
/** A timestamptz column: read as a Date, written as a Date or an ISO string. */
type Instant = ColumnType<Date, Date | string, Date | string>
type DefaultedInstant = ColumnType<Date, Date | string | undefined, Date | string>

export type Role = 'company' | 'official' | 'admin'
export type Language = 'en' | 'ru'
export type FacilityKind =
  | 'lighting_pole'
  | 'road_segment'
  | 'rooftop'
  | 'public_space'
  | 'building_space'
  | 'network_point'
  | 'other'
export type BookingState = 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'cancelled'
export type ReviewDecision = 'pending' | 'approved' | 'rejected' | 'changes_requested'
export type OutboxStatus = 'pending' | 'sent' | 'failed'
/** How an official hears of requests to review (issue 17); null: by the department's load. */
export type ReviewMail = 'each' | 'digest'
/** Kinds of compliance document (issue 19); the same list as `documentKinds` in api/domain/vocabulary.ts. */
export type DocumentKind = 'insurance' | 'permit' | 'safety_plan' | 'data_protection' | 'contract' | 'other'

export interface DepartmentsTable {
  id: Generated<string>
  name: string
  /** Working days a department has to decide a request (issue 17). */
  review_period_days: Defaulted<number>
  created_at: DefaultedInstant
}

/** A public holiday in the city's calendar: not a working day for review deadlines. */
export interface PublicHolidaysTable {
  day: ColumnType<string, string, string>
  name: Defaulted<string>
}

export interface CategoriesTable {
  id: string
  name_en: string
  name_ru: string
  position: number
}

export interface ClustersTable {
  id: string
  name_en: string
  name_ru: string
  position: number
}

export interface OrganisationsTable {
  id: Generated<string>
  name: string
  legal_id: string | null
  website: string | null
  cluster_id: string | null
  feed_token_hash: string | null
  created_at: DefaultedInstant
}

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  role: Role
  organisation_id: string | null
  department_id: string | null
  language: Defaulted<Language>
  active: Defaulted<boolean>
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
  review_mail: Defaulted<ReviewMail | null>
  /** The city date of the last daily digest sent (`YYYY-MM-DD`). */
  digest_sent_on: ColumnType<string | null, string | null | undefined, string | null>
}

export interface SessionsTable {
  id: Generated<string>
  user_id: string
  token_hash: string
  created_at: DefaultedInstant
  last_seen_at: DefaultedInstant
  expires_at: Instant
  user_agent: string | null
}

export interface LoginFailuresTable {
  id: ColumnType<string, never, never>
  key: string
  at: DefaultedInstant
}

export interface AreasTable {
  id: Generated<string>
  name: string
  description: Defaulted<string>
  department_id: string
  geometry: ColumnType<unknown, string, string>
  published: Defaulted<boolean>
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
  version: Defaulted<number>
  /** Street address, and the representative point and search text (migration 2026_12_03_0004_residents). */
  address: ColumnType<string | null, string | null | undefined, string | null>
  point_lng: ColumnType<number | null, number | null | undefined, number | null>
  point_lat: ColumnType<number | null, number | null | undefined, number | null>
  search_text: Defaulted<string>
}

export interface AreaCategoriesTable {
  area_id: string
  category_id: string
}

export interface FacilitiesTable {
  id: Generated<string>
  area_id: string
  name: string
  description: Defaulted<string>
  kind: FacilityKind
  geometry: ColumnType<unknown, string, string>
  capacity: Defaulted<number>
  power_kw: number | null
  voltage: number | null
  connectivity: Defaulted<string[]>
  mounting: string | null
  max_load_kg: number | null
  height_m: number | null
  indoor: boolean | null
  access_notes: string | null
  min_duration_minutes: Defaulted<number>
  max_duration_minutes: Defaulted<number>
  lead_time_minutes: Defaulted<number>
  horizon_days: Defaulted<number>
  setup_minutes: Defaulted<number>
  teardown_minutes: Defaulted<number>
  department_id: string
  published: Defaulted<boolean>
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
  version: Defaulted<number>
  /** Document kinds a booking here requires (migration 2026_12_03_0003_documents). */
  required_documents: Defaulted<DocumentKind[]>
  /** Street address, and the representative point and search text (migration 2026_12_03_0004_residents). */
  address: ColumnType<string | null, string | null | undefined, string | null>
  point_lng: ColumnType<number | null, number | null | undefined, number | null>
  point_lat: ColumnType<number | null, number | null | undefined, number | null>
  search_text: Defaulted<string>
}

export interface FacilityOpeningHoursTable {
  id: Generated<string>
  facility_id: string
  weekday: number
  /** 'HH:MM:SS' in the city's time zone. */
  opens: string
  closes: string
}

export interface FacilitySignoffDepartmentsTable {
  facility_id: string
  department_id: string
}

export interface ClosuresTable {
  id: Generated<string>
  facility_id: string | null
  area_id: string | null
  starts_at: Instant
  ends_at: Instant
  reason: string
  created_by: string | null
  created_at: DefaultedInstant
}

export interface PilotsTable {
  id: Generated<string>
  organisation_id: string
  title: string
  summary: string
  category_id: string
  public_description: string
  data_collected: string
  contact_email: string
  website: string | null
  created_by: string | null
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
  version: Defaulted<number>
  /** When the company was reminded that its results are overdue (migration 2026_12_03_0004_residents). */
  results_reminded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface BookingsTable {
  id: Generated<string>
  pilot_id: string
  facility_id: string
  starts_at: Instant
  ends_at: Instant
  occupied_from: Instant
  occupied_to: Instant
  occupied: ColumnType<string, never, never>
  state: Defaulted<BookingState>
  note: string | null
  cancel_reason: string | null
  created_by: string | null
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  version: Defaulted<number>
  /** The series the booking is an occurrence of, if any (migration 2026_12_03_0000_series). */
  series_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface SeriesTable {
  id: Generated<string>
  pilot_id: string
  facility_id: string
  frequency: 'daily' | 'weekly'
  interval: Defaulted<number>
  weekdays: Defaulted<number[]>
  /** A calendar date, YYYY-MM-DD (read it as `until::text`). */
  until: ColumnType<string, string, string>
  note: string | null
  created_by: string | null
  created_at: DefaultedInstant
}

export interface ReviewsTable {
  id: Generated<string>
  booking_id: string
  department_id: string
  decision: Defaulted<ReviewDecision>
  note: string | null
  decided_by: string | null
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface EventsTable {
  id: ColumnType<string, never, never>
  at: DefaultedInstant
  actor_id: string | null
  action: string
  subject_type: string
  subject_id: string
  details: ColumnType<unknown, string | undefined, never>
}

export interface OutboxTable {
  id: Generated<string>
  created_at: DefaultedInstant
  recipient_user_id: string | null
  recipient_email: string
  language: Defaulted<Language>
  template: string
  subject: string
  body: string
  payload: ColumnType<unknown, string | undefined, string>
  status: Defaulted<OutboxStatus>
  attempts: Defaulted<number>
  next_attempt_at: DefaultedInstant
  last_error: string | null
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** A compliance document of a pilot (issue 19); the file itself lives in the object store. */
export interface DocumentsTable {
  id: Generated<string>
  pilot_id: string
  kind: DocumentKind
  title: string
  /** A calendar date, YYYY-MM-DD (read it as `valid_until::text`); null only for `other`. */
  valid_until: ColumnType<string | null, string | null | undefined, string | null>
  file_name: string
  size: number
  content_type: string
  sha256: string
  storage_key: string
  uploaded_by: string | null
  uploaded_at: DefaultedInstant
  reminded_30_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  reminded_7_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** A pilot's published results (issue 18): one row per pilot, replaced on each submission. */
export interface PilotResultsTable {
  pilot_id: string
  summary: string
  findings: string
  data_url: string | null
  submitted_by: string | null
  created_at: DefaultedInstant
  updated_at: DefaultedInstant
}

/** A resident's feedback on a pilot (issue 18): never public. */
export interface PilotFeedbackTable {
  id: Generated<string>
  pilot_id: string
  message: string
  email: string | null
  created_at: DefaultedInstant
}

export interface IdempotencyKeysTable {
  user_id: string
  key: string
  scope: string
  request_hash: string
  response_status: number
  response_body: ColumnType<unknown, string, never>
  created_at: DefaultedInstant
}

export interface Database {
  departments: DepartmentsTable
  public_holidays: PublicHolidaysTable
  categories: CategoriesTable
  clusters: ClustersTable
  organisations: OrganisationsTable
  users: UsersTable
  sessions: SessionsTable
  login_failures: LoginFailuresTable
  areas: AreasTable
  area_categories: AreaCategoriesTable
  facilities: FacilitiesTable
  facility_opening_hours: FacilityOpeningHoursTable
  facility_signoff_departments: FacilitySignoffDepartmentsTable
  closures: ClosuresTable
  pilots: PilotsTable
  bookings: BookingsTable
  series: SeriesTable
  reviews: ReviewsTable
  events: EventsTable
  outbox: OutboxTable
  idempotency_keys: IdempotencyKeysTable
  pilot_results: PilotResultsTable
  pilot_feedback: PilotFeedbackTable
  documents: DocumentsTable
}

/** Anything queries can run on: the database or a transaction in progress. */
export type Executor = Kysely<Database> | Transaction<Database>

export type DatabaseKind = 'pglite' | 'postgres'
