import { type ExpressionBuilder, type Selectable, sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Database, Executor, FacilitiesTable } from '../../db/types.ts'
import type { UnpublishedScope } from '../domain/permissions.ts'
import { decodeCursor, paginate } from '../lib/cursor.ts'
import { likePattern } from '../lib/search.ts'
import type { Area, AreaListQuery, Facility, FacilityListQuery } from '../schemas/catalogue.ts'
import type { AreaGeometry, FacilityGeometry } from '../schemas/geojson.ts'

export type Language = 'en' | 'ru'

const publicScope: UnpublishedScope = { kind: 'none' }

/** The technology categories, in their fixed order. */
export async function listCategories(db: Executor, language: Language) {
  const rows = await db.selectFrom('categories').selectAll().orderBy('position').execute()
  return rows.map((r) => ({
    id: r.id as Area['categories'][number],
    name: language === 'ru' ? r.name_ru : r.name_en,
    names: { en: r.name_en, ru: r.name_ru },
  }))
}

/** The industry clusters organisations can belong to. */
export async function listClusters(db: Executor, language: Language) {
  const rows = await db.selectFrom('clusters').selectAll().orderBy('position').execute()
  return rows.map((r) => ({
    id: r.id,
    name: language === 'ru' ? r.name_ru : r.name_en,
    names: { en: r.name_en, ru: r.name_ru },
  }))
}

/** Published areas, plus the drafts the scope allows. */
function visibleArea(scope: UnpublishedScope) {
  return (eb: ExpressionBuilder<Database, 'areas'>) => {
    if (scope.kind === 'all') return eb.lit(true)
    if (scope.kind === 'department') {
      return eb.or([eb('areas.published', '=', true), eb('areas.department_id', '=', scope.departmentId)])
    }
    return eb('areas.published', '=', true)
  }
}

/** Published facilities in published areas, plus the drafts the scope allows. */
function visibleFacility(scope: UnpublishedScope) {
  return (eb: ExpressionBuilder<Database, 'facilities' | 'areas'>) => {
    const published = eb.and([eb('facilities.published', '=', true), eb('areas.published', '=', true)])
    if (scope.kind === 'all') return eb.lit(true)
    if (scope.kind === 'department') {
      return eb.or([
        published,
        eb('facilities.department_id', '=', scope.departmentId),
        eb('areas.department_id', '=', scope.departmentId),
      ])
    }
    return published
  }
}

function selectAreas(db: Executor) {
  return db
    .selectFrom('areas')
    .select((eb) => [
      'areas.id',
      'areas.name',
      'areas.description',
      'areas.department_id',
      'areas.geometry',
      'areas.address',
      'areas.published',
      'areas.version',
      eb
        .selectFrom('area_categories')
        .innerJoin('categories', 'categories.id', 'area_categories.category_id')
        .whereRef('area_categories.area_id', '=', 'areas.id')
        .select(
          sql<string[]>`coalesce(array_agg(categories.id order by categories.position), '{}')`.as('ids'),
        )
        .as('categories'),
    ])
}

type AreaSelection = Awaited<ReturnType<ReturnType<typeof selectAreas>['executeTakeFirstOrThrow']>>

function toArea(row: AreaSelection): Area {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    departmentId: row.department_id,
    categories: (row.categories ?? []) as Area['categories'],
    geometry: row.geometry as AreaGeometry,
    address: row.address,
    published: row.published,
    version: row.version,
  }
}

/** One page of areas, by name. */
export async function listAreas(db: Executor, query: AreaListQuery, scope: UnpublishedScope = publicScope) {
  let q = selectAreas(db).where(visibleArea(scope))
  if (query.departmentId) q = q.where('areas.department_id', '=', query.departmentId)
  if (query.category) {
    const category = query.category
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('area_categories')
          .whereRef('area_categories.area_id', '=', 'areas.id')
          .where('area_categories.category_id', '=', category)
          .select(sql`1`.as('one')),
      ),
    )
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor)
    q = q.where(sql<boolean>`(areas.name, areas.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('areas.name')
    .orderBy('areas.id')
    .limit(query.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, query.limit, (r) => r.name)
  return { items: pageRows.map(toArea), nextCursor }
}

/** One area, or undefined when there is none the caller may see. */
export async function findArea(db: Executor, id: string, scope: UnpublishedScope = publicScope) {
  const q = selectAreas(db).where('areas.id', '=', id).where(visibleArea(scope))
  const row = await q.executeTakeFirst()
  return row ? toArea(row) : undefined
}

/** A facility's weekly opening windows as JSON rows `{ weekday, from, to }`, for a select list. */
export function openingHoursOf(eb: ExpressionBuilder<Database, 'facilities'>) {
  return jsonArrayFrom(
    eb
      .selectFrom('facility_opening_hours as oh')
      .whereRef('oh.facility_id', '=', 'facilities.id')
      .select([
        'oh.weekday',
        sql<string>`to_char(oh.opens, 'HH24:MI')`.as('from'),
        sql<string>`to_char(oh.closes, 'HH24:MI')`.as('to'),
      ])
      .orderBy('oh.weekday')
      .orderBy('oh.opens'),
  )
}

function selectFacilities(db: Executor) {
  return db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .selectAll('facilities')
    .select((eb) => [
      openingHoursOf(eb).as('opening_hours'),
      eb
        .selectFrom('facility_signoff_departments as sd')
        .whereRef('sd.facility_id', '=', 'facilities.id')
        .select(
          sql<string[]>`coalesce(array_agg(sd.department_id::text order by sd.department_id), '{}')`.as(
            'ids',
          ),
        )
        .as('signoff_department_ids'),
    ])
}

type FacilitySelection = Awaited<ReturnType<ReturnType<typeof selectFacilities>['executeTakeFirstOrThrow']>>

/** Drops absent specs, so that a client sees only what is known about a site. */
function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>
  }
}

function toFacility(row: FacilitySelection): Facility {
  const openingHours = row.opening_hours as { weekday: number; from: string; to: string }[]
  return {
    id: row.id,
    areaId: row.area_id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    geometry: row.geometry as FacilityGeometry,
    address: row.address,
    capacity: row.capacity,
    specs: definedOnly({
      powerKw: row.power_kw,
      voltage: row.voltage,
      connectivity:
        row.connectivity.length > 0 ? (row.connectivity as Facility['specs']['connectivity']) : undefined,
      mounting: row.mounting,
      maxLoadKg: row.max_load_kg,
      heightM: row.height_m,
      indoor: row.indoor,
      accessNotes: row.access_notes,
    }),
    rules: {
      ...durationRulesOf(row),
      ...(openingHours.length > 0 ? { openingHours } : {}),
      ...(row.required_documents.length > 0 ? { requiredDocuments: row.required_documents } : {}),
    },
    departmentId: row.department_id,
    signoffDepartmentIds: row.signoff_department_ids ?? [],
    published: row.published,
    version: row.version,
  }
}

/** One page of facilities matching every filter given, by name. */
export async function listFacilities(
  db: Executor,
  query: FacilityListQuery,
  scope: UnpublishedScope = publicScope,
) {
  let q = selectFacilities(db).where(visibleFacility(scope))
  if (query.areaId) q = q.where('facilities.area_id', '=', query.areaId)
  if (query.kind) q = q.where('facilities.kind', '=', query.kind)
  if (query.departmentId) q = q.where('facilities.department_id', '=', query.departmentId)
  if (query.category) {
    const category = query.category
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('area_categories')
          .whereRef('area_categories.area_id', '=', 'facilities.area_id')
          .where('area_categories.category_id', '=', category)
          .select(sql`1`.as('one')),
      ),
    )
  }
  if (query.q) {
    const pattern = likePattern(query.q)
    q = q.where((eb) =>
      eb.or([eb('facilities.name', 'ilike', pattern), eb('facilities.description', 'ilike', pattern)]),
    )
  }
  if (query.powerKwMin !== undefined) q = q.where('facilities.power_kw', '>=', query.powerKwMin)
  if (query.maxLoadKgMin !== undefined) q = q.where('facilities.max_load_kg', '>=', query.maxLoadKgMin)
  if (query.heightMMin !== undefined) q = q.where('facilities.height_m', '>=', query.heightMMin)
  if (query.indoor !== undefined) q = q.where('facilities.indoor', '=', query.indoor)
  if (query.connectivity && query.connectivity.length > 0) {
    q = q.where(sql<boolean>`facilities.connectivity @> ${sql.val(query.connectivity)}::text[]`)
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor)
    q = q.where(sql<boolean>`(facilities.name, facilities.id) > (${after.key}, ${after.id}::uuid)`)
  }
  const rows = await q
    .orderBy('facilities.name')
    .orderBy('facilities.id')
    .limit(query.limit + 1)
    .execute()
  const { rows: pageRows, nextCursor } = paginate(rows, query.limit, (r) => r.name)
  return { items: pageRows.map(toFacility), nextCursor }
}

/** One facility, or undefined when there is none the caller may see. */
export async function findFacility(db: Executor, id: string, scope: UnpublishedScope = publicScope) {
  const q = selectFacilities(db).where('facilities.id', '=', id).where(visibleFacility(scope))
  const row = await q.executeTakeFirst()
  return row ? toFacility(row) : undefined
}

/** Every published facility with its area, by area name and then facility name. */
export async function publishedFacilitiesByArea(db: Executor) {
  return db
    .selectFrom('facilities')
    .innerJoin('areas', 'areas.id', 'facilities.area_id')
    .select(['facilities.id', 'facilities.name', 'areas.id as area_id', 'areas.name as area_name'])
    .where('facilities.published', '=', true)
    .orderBy('areas.name')
    .orderBy('facilities.name')
    .execute()
}

/** A facility row's booking rules but its opening hours, as the API and the domain name them. */
export function durationRulesOf(
  row: Pick<
    Selectable<FacilitiesTable>,
    | 'min_duration_minutes'
    | 'max_duration_minutes'
    | 'lead_time_minutes'
    | 'horizon_days'
    | 'setup_minutes'
    | 'teardown_minutes'
  >,
) {
  return {
    minDurationMinutes: row.min_duration_minutes,
    maxDurationMinutes: row.max_duration_minutes,
    leadTimeMinutes: row.lead_time_minutes,
    horizonDays: row.horizon_days,
    setupMinutes: row.setup_minutes,
    teardownMinutes: row.teardown_minutes,
  }
}
