import { type Kysely, sql } from 'kysely'

/**
 * Residents (issue 18): street addresses and a representative point for areas and facilities
 * (the centroid of the geometry, kept in plain indexed columns so that "near me" narrows by a
 * bounding box before measuring), a normalised search text (lower case, ё as е) for place
 * search, a pilot's results, residents' feedback, and the date the overdue-results reminder went.
 *
 * Frozen in time: this file never imports application code. The centroid and the normalisation
 * below are copies of api/domain/geo.ts and api/domain/text-search.ts as they were on this date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['areas', 'facilities']) {
    await db.schema
      .alterTable(table)
      .addColumn('address', 'text')
      .addColumn('point_lng', 'double precision')
      .addColumn('point_lat', 'double precision')
      .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
    const rows = await db.selectFrom(table).select(['id', 'name', 'geometry']).execute()
    for (const row of rows) {
      const [lng, lat] = centroid(row.geometry)
      await db
        .updateTable(table)
        .set({ point_lng: lng, point_lat: lat, search_text: normalise(row.name) })
        .where('id', '=', row.id)
        .execute()
    }
    await sql`create index ${sql.id(`${table}_point_idx`)} on ${sql.table(table)} (point_lat, point_lng)`.execute(
      db,
    )
  }

  await db.schema.alterTable('pilots').addColumn('results_reminded_at', 'timestamptz').execute()

  await db.schema
    .createTable('pilot_results')
    .addColumn('pilot_id', 'uuid', (c) => c.primaryKey().references('pilots.id').onDelete('cascade'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('data_url', 'text')
    .addColumn('submitted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('pilot_feedback')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pilot_id', 'uuid', (c) => c.notNull().references('pilots.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index pilot_feedback_pilot_idx on pilot_feedback (pilot_id, created_at desc)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('pilot_feedback').ifExists().execute()
  await db.schema.dropTable('pilot_results').ifExists().execute()
  await db.schema.alterTable('pilots').dropColumn('results_reminded_at').execute()
  for (const table of ['facilities', 'areas']) {
    await sql`drop index if exists ${sql.id(`${table}_point_idx`)}`.execute(db)
    await db.schema
      .alterTable(table)
      .dropColumn('search_text')
      .dropColumn('point_lat')
      .dropColumn('point_lng')
      .dropColumn('address')
      .execute()
  }
}

function normalise(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е')
}

type Position = number[]

function ringCentroid(ring: Position[]): { x: number; y: number; area: number } {
  let twiceArea = 0
  let x = 0
  let y = 0
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0 = 0, y0 = 0] = ring[i] as Position
    const [x1 = 0, y1 = 0] = ring[i + 1] as Position
    const cross = x0 * y1 - x1 * y0
    twiceArea += cross
    x += (x0 + x1) * cross
    y += (y0 + y1) * cross
  }
  if (twiceArea === 0) {
    const n = Math.max(1, ring.length)
    return {
      x: ring.reduce((s, p) => s + (p[0] ?? 0), 0) / n,
      y: ring.reduce((s, p) => s + (p[1] ?? 0), 0) / n,
      area: 0,
    }
  }
  return { x: x / (3 * twiceArea), y: y / (3 * twiceArea), area: Math.abs(twiceArea / 2) }
}

function centroid(geometry: any): [number, number] {
  const g = typeof geometry === 'string' ? JSON.parse(geometry) : geometry
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]]
  if (g.type === 'LineString') {
    let length = 0
    let x = 0
    let y = 0
    for (let i = 0; i + 1 < g.coordinates.length; i++) {
      const [x0, y0] = g.coordinates[i]
      const [x1, y1] = g.coordinates[i + 1]
      const d = Math.hypot(x1 - x0, y1 - y0)
      length += d
      x += ((x0 + x1) / 2) * d
      y += ((y0 + y1) / 2) * d
    }
    if (length === 0) return [g.coordinates[0][0], g.coordinates[0][1]]
    return [x / length, y / length]
  }
  const polygons: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  const parts = polygons.map((p) => ringCentroid(p[0] as Position[]))
  const total = parts.reduce((s, p) => s + p.area, 0)
  if (total === 0) {
    const first = parts[0] as { x: number; y: number }
    return [first.x, first.y]
  }
  return [
    parts.reduce((s, p) => s + p.x * p.area, 0) / total,
    parts.reduce((s, p) => s + p.y * p.area, 0) / total,
  ]
}
