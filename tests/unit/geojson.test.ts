import { describe, expect, it } from 'vitest'
import { AreaGeometry, FacilityGeometry } from '../../api/schemas/geojson.ts'

const square = [
  [30.3, 59.9],
  [30.31, 59.9],
  [30.31, 59.91],
  [30.3, 59.9],
]

describe('GeoJSON geometries', () => {
  it.each([
    [{ type: 'Point', coordinates: [30.3, 59.9] }, true],
    [{ type: 'Point', coordinates: [30.3, 59.9, 12] }, true],
    [
      {
        type: 'LineString',
        coordinates: [
          [30.3, 59.9],
          [30.4, 59.95],
        ],
      },
      true,
    ],
    [{ type: 'Polygon', coordinates: [square] }, true],
    [{ type: 'Point', coordinates: [59.9] }, false],
    [{ type: 'Point', coordinates: [200, 59.9] }, false],
    [{ type: 'Point', coordinates: [30.3, 95] }, false],
    [{ type: 'LineString', coordinates: [[30.3, 59.9]] }, false],
    [{ type: 'Polygon', coordinates: [square.slice(0, 3)] }, false],
    [{ type: 'Polygon', coordinates: [[...square.slice(0, 3), [30.2, 59.8]]] }, false],
    [{ type: 'Circle', coordinates: [30.3, 59.9] }, false],
  ])('facility %o valid: %s', (geometry, valid) => {
    expect(FacilityGeometry.safeParse(geometry).success).toBe(valid)
  })

  it('takes only polygons for areas', () => {
    expect(AreaGeometry.safeParse({ type: 'Polygon', coordinates: [square] }).success).toBe(true)
    expect(AreaGeometry.safeParse({ type: 'MultiPolygon', coordinates: [[square]] }).success).toBe(true)
    expect(AreaGeometry.safeParse({ type: 'Point', coordinates: [30.3, 59.9] }).success).toBe(false)
  })
})
