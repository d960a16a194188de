import { describe, expect, it } from 'vitest'
import { AreaGeometry, FacilityGeometry } from '../../api/schemas/geojson.ts'
import { parseGeometry, shapeOfClicks } from '../../web/src/admin/geometry.ts'

/**
 * The admin screens check typed GeoJSON in the browser before saving: they must agree with the
 * API's schema (api/schemas/geojson.ts), or an admin is told "fine" and then refused, or the reverse.
 */
const ring = [
  [30.3, 59.9],
  [30.31, 59.9],
  [30.31, 59.91],
  [30.3, 59.9],
]
const cases: [string, string, boolean][] = [
  ['a point', JSON.stringify({ type: 'Point', coordinates: [30.3, 59.9] }), true],
  ['a point out of range', JSON.stringify({ type: 'Point', coordinates: [200, 59.9] }), false],
  ['a point with text', JSON.stringify({ type: 'Point', coordinates: ['30', 59.9] }), false],
  ['a line', JSON.stringify({ type: 'LineString', coordinates: [ring[0], ring[1]] }), true],
  ['a one-position line', JSON.stringify({ type: 'LineString', coordinates: [ring[0]] }), false],
  ['a polygon', JSON.stringify({ type: 'Polygon', coordinates: [ring] }), true],
  ['an open ring', JSON.stringify({ type: 'Polygon', coordinates: [ring.slice(0, 3)] }), false],
  ['a ring of three', JSON.stringify({ type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] }), false],
  ['a multipolygon', JSON.stringify({ type: 'MultiPolygon', coordinates: [[ring]] }), true],
  ['a circle', JSON.stringify({ type: 'Circle', coordinates: [30, 59] }), false],
  ['not JSON', '{ type: Point', false],
]

describe('parseGeometry agrees with the API schema', () => {
  it.each(cases)('%s', (_label, text, _valid) => {
    const value = (() => {
      try {
        return JSON.parse(text)
      } catch {
        return undefined
      }
    })()
    expect(parseGeometry(text, ['Point', 'LineString', 'Polygon']).shape !== undefined).toBe(
      FacilityGeometry.safeParse(value).success,
    )
    expect(parseGeometry(text, ['Polygon', 'MultiPolygon']).shape !== undefined).toBe(
      AreaGeometry.safeParse(value).success,
    )
  })

  it('takes the geometry out of a pasted Feature', () => {
    const feature = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'Point', coordinates: [30.3, 59.9] },
    }
    expect(parseGeometry(JSON.stringify(feature), ['Point']).shape).toEqual(feature.geometry)
  })

  it('names what is wrong', () => {
    expect(parseGeometry('nope', ['Point']).problem).toBe('geo.notJson')
    expect(parseGeometry(JSON.stringify({ type: 'Polygon', coordinates: [ring] }), ['Point']).problem).toBe(
      'geo.wrongType',
    )
    expect(
      parseGeometry(JSON.stringify({ type: 'Polygon', coordinates: [ring.slice(0, 3)] }), ['Polygon'])
        .problem,
    ).toBe('geo.badRing')
  })
})

describe('shapeOfClicks', () => {
  it('a point is the last click; a polygon closes on its first corner after three', () => {
    expect(
      shapeOfClicks('Point', [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual({ type: 'Point', coordinates: [3, 4] })
    expect(
      shapeOfClicks('Polygon', [
        [1, 2],
        [3, 4],
      ]),
    ).toBeUndefined()
    const polygon = shapeOfClicks('Polygon', [
      [1, 2],
      [3, 4],
      [5, 2],
    ])
    expect(polygon).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [1, 2],
          [3, 4],
          [5, 2],
          [1, 2],
        ],
      ],
    })
    expect(AreaGeometry.safeParse(polygon).success).toBe(true)
  })
})
