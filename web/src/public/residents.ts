import type { InferResponseType } from 'hono/client'
import type { PilotPlace, PilotResults, Place } from '../../../api/schemas/residents.ts'
import { ApiProblem, call, client } from '../api.ts'
import { lang } from '../i18n.ts'

export type { PilotPlace, PilotResults, Place }

/** A pilot as GET /api/pilots lists it (with `near`, `places` are those within the radius). */
export type ListedPilot = InferResponseType<typeof client.api.pilots.$get, 200>['items'][number]
export type NearPilot = ListedPilot

type Phase = NonNullable<ListedPilot['phase']>
type Category = ListedPilot['category']

export async function findPlaces(q: string): Promise<Place[]> {
  return (await call(client.api.places.$get({ query: { q } }))).items
}

export async function pilotsNear(
  near: { lat: number; lng: number },
  filters: { phase?: Phase | undefined; category?: Category | undefined; areaId?: string | undefined } = {},
): Promise<NearPilot[]> {
  const query = { near: `${near.lat},${near.lng}`, limit: '500', ...filters }
  return (await call(client.api.pilots.$get({ query }))).items
}

/** A pilot's published results, or null while there are none. */
export async function pilotResults(id: string): Promise<PilotResults | null> {
  try {
    return await call(client.api.pilots[':id'].results.$get({ param: { id } }))
  } catch (err) {
    if (err instanceof ApiProblem && err.status === 404) return null
    throw err
  }
}

export function sendFeedback(id: string, json: { message: string; email?: string }) {
  return call(client.api.pilots[':id'].feedback.$post({ param: { id }, json }))
}

/** `lat,lng` from a URL parameter, or undefined when it is not one. */
export function parseNear(value: string | undefined): { lat: number; lng: number } | undefined {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(value ?? '')
  if (!m) return undefined
  const lat = Number(m[1])
  const lng = Number(m[2])
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : undefined
}

/** Metres between two points on the earth (haversine; enough for "how far from here"). */
export function metresBetween(a: { lat: number; lng: number }, b: [number, number] | null): number {
  if (!b) return Number.POSITIVE_INFINITY
  const rad = Math.PI / 180
  const dLat = (b[1] - a.lat) * rad
  const dLng = (b[0] - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h))
}

/** A distance in the interface language: "350 m", "1.2 km" / "350 м", "1,2 км". */
export function distanceText(metres: number): string {
  const locale = lang.value === 'ru' ? 'ru-RU' : 'en-GB'
  return metres < 1000
    ? new Intl.NumberFormat(locale, { style: 'unit', unit: 'meter', maximumFractionDigits: 0 }).format(
        Math.round(metres / 10) * 10,
      )
    : new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 }).format(
        metres / 1000,
      )
}

/** A pilot's first and last day as a date range, in the city's calendar and the interface language. */
export function dateRange(startIso: string, endIso: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat(lang.value === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'medium',
    timeZone,
  })
  // The last day is the one the last booking ends in (an end at midnight belongs to the day before).
  return f.formatRange(new Date(startIso), new Date(Date.parse(endIso) - 1))
}
