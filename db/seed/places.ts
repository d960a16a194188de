/**
 * The derived place columns of the demo city (point and search text), computed as the app
 * computes them on every write (api/queries/places.ts → api/domain/geo.ts, text-search.ts).
 * db/ imports nothing from api/, so this is a copy; tests/api/places.test.ts checks that the
 * seeded values equal the app's, so the two cannot drift apart unnoticed.
 */

type Position = readonly number[]
type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: readonly Position[] }
  | { type: 'Polygon'; coordinates: readonly (readonly Position[])[] }

function ringCentroid(ring: readonly Position[]): [number, number] {
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
    return [ring.reduce((s, p) => s + (p[0] ?? 0), 0) / n, ring.reduce((s, p) => s + (p[1] ?? 0), 0) / n]
  }
  return [x / (3 * twiceArea), y / (3 * twiceArea)]
}

function centroid(geometry: Geometry): [number, number] {
  if (geometry.type === 'Point') return [geometry.coordinates[0] ?? 0, geometry.coordinates[1] ?? 0]
  if (geometry.type === 'Polygon') return ringCentroid(geometry.coordinates[0] ?? [])
  const c = geometry.coordinates
  let length = 0
  let x = 0
  let y = 0
  for (let i = 0; i + 1 < c.length; i++) {
    const [x0 = 0, y0 = 0] = c[i] as Position
    const [x1 = 0, y1 = 0] = c[i + 1] as Position
    const d = Math.hypot(x1 - x0, y1 - y0)
    length += d
    x += ((x0 + x1) / 2) * d
    y += ((y0 + y1) / 2) * d
  }
  const first = c[0] ?? [0, 0]
  return length === 0 ? [first[0] ?? 0, first[1] ?? 0] : [x / length, y / length]
}

/** Point and search text of a demo area or facility. */
export function seededPlaceColumns(name: string, address: string, geometry: object) {
  const [lng, lat] = centroid(geometry as Geometry)
  return {
    address,
    point_lng: lng,
    point_lat: lat,
    search_text: `${name}\n${address}`.toLowerCase().replaceAll('ё', 'е'),
  }
}
