import type { Executor } from '../../db/types.ts'
import { boundingBox, haversineM, parseNear } from '../domain/geo.ts'
import { searchWords } from '../domain/text-search.ts'
import { ApiError } from '../lib/errors.ts'
import { field, requestPart, say } from '../lib/messages.ts'
import { facilitiesInBox, pointOf, searchPlaces } from '../queries/places.ts'
import type { Place } from '../schemas/residents.ts'

/** How many places a search answers with at most: a resident picks from a short list. */
export const maxPlaceResults = 20

/**
 * Published areas and facilities whose name, address or area name hold every word of `q`, case-
 * and ё/е-insensitively: areas first, then facilities, each by name; at most `maxPlaceResults`.
 */
export async function findPlaces(db: Executor, q: string): Promise<{ items: Place[] }> {
  const rows = await searchPlaces(db, searchWords(q), maxPlaceResults)
  return {
    items: rows.map((r) => ({
      type: r.type,
      id: r.id,
      name: r.name,
      address: r.address,
      areaName: r.area_name,
      point: pointOf(r),
    })),
  }
}

/**
 * The published facilities within `radiusM` metres of `near` (`<lat>,<lng>`): a bounding box the
 * point index answers, then the exact haversine distance. 400 for a `near` that is not a point
 * (the schema refuses it first; this guards other callers).
 */
export async function facilitiesNear(db: Executor, near: string, radiusM: number): Promise<Set<string>> {
  const centre = parseNear(near)
  if (!centre) {
    throw new ApiError('validation_failed', say.invalidField(requestPart('query'), 'near', field.nearPoint), {
      errors: [{ path: 'near', message: field.nearPoint }],
    })
  }
  const candidates = await facilitiesInBox(db, boundingBox(centre, radiusM))
  const ids = new Set<string>()
  for (const f of candidates) {
    const point = pointOf(f)
    if (point && haversineM(centre, point) <= radiusM) ids.add(f.id)
  }
  return ids
}
