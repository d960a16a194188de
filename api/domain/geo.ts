/**
 * Distances and representative points on the city map. Coordinates are GeoJSON's
 * `[longitude, latitude]` in degrees (WGS 84); distances in metres.
 */

/** The mean Earth radius (IUGG), in metres: what haversine distances are measured with. */
export const earthRadiusM = 6_371_008.8

/** A point as `[longitude, latitude]`. */
export type LngLat = [number, number]

type Position = readonly number[]

/** A geometry as areas and facilities store it. */
export type PlaceGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: readonly Position[] }
  | { type: 'Polygon'; coordinates: readonly (readonly Position[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly Position[])[])[] }

const radians = (degrees: number) => (degrees * Math.PI) / 180

/** The great-circle distance between two points in metres, by the haversine formula. */
export function haversineM(a: LngLat, b: LngLat): number {
  const dLat = radians(b[1] - a[1])
  const dLng = radians(b[0] - a[0])
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a[1])) * Math.cos(radians(b[1])) * Math.sin(dLng / 2) ** 2
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** A box of latitudes and longitudes, in degrees. */
export interface BoundingBox {
  minLat: number
  maxLat: number
  minLng: number
  maxLng: number
}

/**
 * A box that holds every point within `radiusM` of `centre` (a little more, never less): the
 * cheap prefilter an index can answer before the exact haversine test. Near a pole, or when the
 * circle would cross the antimeridian, it spans every longitude.
 */
export function boundingBox(centre: LngLat, radiusM: number): BoundingBox {
  const [lng, lat] = centre
  const dLat = (radiusM / earthRadiusM) * (180 / Math.PI)
  const minLat = Math.max(-90, lat - dLat)
  const maxLat = Math.min(90, lat + dLat)
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat))
  if (widest >= 89.999) return { minLat, maxLat, minLng: -180, maxLng: 180 }
  const ratio = Math.sin(radiusM / earthRadiusM) / Math.cos(radians(widest))
  if (ratio >= 1) return { minLat, maxLat, minLng: -180, maxLng: 180 }
  const dLng = Math.asin(ratio) * (180 / Math.PI)
  if (lng - dLng < -180 || lng + dLng > 180) return { minLat, maxLat, minLng: -180, maxLng: 180 }
  return { minLat, maxLat, minLng: lng - dLng, maxLng: lng + dLng }
}

function ringCentroid(ring: readonly Position[]): { x: number; y: number; area: number } {
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
    // A degenerate ring: the mean of its corners.
    const n = Math.max(1, ring.length)
    return {
      x: ring.reduce((s, p) => s + (p[0] ?? 0), 0) / n,
      y: ring.reduce((s, p) => s + (p[1] ?? 0), 0) / n,
      area: 0,
    }
  }
  return { x: x / (3 * twiceArea), y: y / (3 * twiceArea), area: Math.abs(twiceArea / 2) }
}

/**
 * The point that stands for a place on lists and in "near" searches: a point itself, the
 * length-weighted middle of a line, the area centroid of a polygon's outer ring (of several
 * polygons, weighted by area). Planar in degrees, which at a city's scale errs by metres.
 */
export function representativePoint(geometry: PlaceGeometry): LngLat {
  if (geometry.type === 'Point') return [geometry.coordinates[0] ?? 0, geometry.coordinates[1] ?? 0]
  if (geometry.type === 'LineString') {
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
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  const parts = polygons.map((p) => ringCentroid(p[0] ?? []))
  const total = parts.reduce((s, p) => s + p.area, 0)
  if (total === 0) {
    const first = parts[0] ?? { x: 0, y: 0 }
    return [first.x, first.y]
  }
  return [
    parts.reduce((s, p) => s + p.x * p.area, 0) / total,
    parts.reduce((s, p) => s + p.y * p.area, 0) / total,
  ]
}

/** Parses `near=<lat>,<lng>` into `[lng, lat]`; undefined unless both are finite and in range. */
export function parseNear(text: string): LngLat | undefined {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)
  if (!match) return undefined
  const lat = Number(match[1])
  const lng = Number(match[2])
  if (!(Math.abs(lat) <= 90 && Math.abs(lng) <= 180)) return undefined
  return [lng, lat]
}
