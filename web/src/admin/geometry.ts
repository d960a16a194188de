/**
 * GeoJSON as the admin screens type or draw it: parsed and checked in the browser with the rules
 * of the API's schema (api/schemas/geojson.ts), so that a mistake is named before saving. The API
 * checks again; these checks only save a round trip.
 */

export type Position = [number, number]
export type Shape =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

type Problem = 'geo.notJson' | 'geo.wrongType' | 'geo.badPosition' | 'geo.badRing'
/** The shape a text describes, or what is wrong with it as a key of the interface's texts. */
export type Parsed = { shape: Shape; problem?: undefined } | { problem: Problem; shape?: undefined }

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === 'number' &&
  typeof p[1] === 'number' &&
  Math.abs(p[0]) <= 180 &&
  Math.abs(p[1]) <= 90

const isRing = (ring: unknown): boolean => {
  if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition)) return false
  const first = ring[0] as Position
  const last = ring[ring.length - 1] as Position
  return first[0] === last[0] && first[1] === last[1]
}

function checkCoordinates(type: string, c: unknown): Problem | 'ok' {
  if (type === 'Point') return isPosition(c) ? 'ok' : 'geo.badPosition'
  if (type === 'LineString')
    return Array.isArray(c) && c.length >= 2 && c.every(isPosition) ? 'ok' : 'geo.badPosition'
  if (type === 'Polygon') return Array.isArray(c) && c.length >= 1 && c.every(isRing) ? 'ok' : 'geo.badRing'
  return Array.isArray(c) &&
    c.length >= 1 &&
    c.every((p) => Array.isArray(p) && p.length >= 1 && p.every(isRing))
    ? 'ok'
    : 'geo.badRing'
}

/** Parses a geometry (or a Feature holding one) and checks it is one of `allowed`. */
export function parseGeometry(text: string, allowed: readonly Shape['type'][]): Parsed {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { problem: 'geo.notJson' }
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Feature') {
    value = (value as { geometry?: unknown }).geometry
  }
  const type = value && typeof value === 'object' ? (value as { type?: unknown }).type : undefined
  if (typeof type !== 'string' || !(allowed as readonly string[]).includes(type))
    return { problem: 'geo.wrongType' }
  const verdict = checkCoordinates(type, (value as { coordinates?: unknown }).coordinates)
  if (verdict !== 'ok') return { problem: verdict }
  return { shape: { type, coordinates: (value as { coordinates: unknown }).coordinates } as Shape }
}

/** The geometry clicked points make: a point, or a polygon closed on its first vertex (three at least). */
export function shapeOfClicks(kind: 'Point' | 'Polygon', clicks: readonly Position[]): Shape | undefined {
  const last = clicks[clicks.length - 1]
  if (kind === 'Point') return last ? { type: 'Point', coordinates: last } : undefined
  const first = clicks[0]
  if (clicks.length < 3 || !first) return undefined
  return { type: 'Polygon', coordinates: [[...clicks, first]] }
}

/** Rounds a clicked coordinate to about 10 cm, as a person would type it. */
export const roundPosition = (lng: number, lat: number): Position => [
  Math.round(lng * 1e6) / 1e6,
  Math.round(lat * 1e6) / 1e6,
]
