import { describe, expect, it } from 'vitest'
import { boundingBox, haversineM, type LngLat, parseNear, representativePoint } from '../../api/domain/geo.ts'
import { normaliseSearchText, placeSearchText, searchWords } from '../../api/domain/text-search.ts'

describe('haversineM', () => {
  it.each([
    // Palace Square to St Isaac's Cathedral: about 780 m.
    { a: [30.3157, 59.9391], b: [30.3061, 59.9341], metres: 776, within: 10 },
    // One degree of latitude: 111.2 km on the mean sphere.
    { a: [0, 0], b: [0, 1], metres: 111_195, within: 1 },
    // Along a parallel at 60°, a degree of longitude is half as long.
    { a: [30, 60], b: [31, 60], metres: 55_597, within: 30 },
    // Across the antimeridian, the short way round.
    { a: [179.5, 0], b: [-179.5, 0], metres: 111_195, within: 1 },
    { a: [30, 60], b: [30, 60], metres: 0, within: 0 },
  ] as { a: LngLat; b: LngLat; metres: number; within: number }[])(
    '$a → $b ≈ $metres m',
    ({ a, b, metres, within }) => {
      expect(Math.abs(haversineM(a, b) - metres)).toBeLessThanOrEqual(within)
      expect(haversineM(b, a)).toBeCloseTo(haversineM(a, b), 9)
    },
  )
})

describe('boundingBox', () => {
  it('holds every point of the circle, compass points and diagonals', () => {
    const centre: LngLat = [30.3141, 59.9386]
    for (const radius of [1, 1000, 20_000]) {
      const box = boundingBox(centre, radius)
      for (let bearing = 0; bearing < 360; bearing += 15) {
        // A point on that bearing, its offset scaled until it lies just inside the circle.
        let dLat = Math.cos((bearing * Math.PI) / 180) / 111_195
        let dLng = Math.sin((bearing * Math.PI) / 180) / (111_195 * Math.cos((centre[1] * Math.PI) / 180))
        for (let i = 0; i < 4; i++) {
          const scale = (radius * 0.99999) / haversineM(centre, [centre[0] + dLng, centre[1] + dLat])
          dLat *= scale
          dLng *= scale
        }
        const p: LngLat = [centre[0] + dLng, centre[1] + dLat]
        expect(haversineM(centre, p)).toBeLessThanOrEqual(radius)
        expect(haversineM(centre, p)).toBeGreaterThan(radius * 0.9999)
        expect(p[1]).toBeGreaterThanOrEqual(box.minLat)
        expect(p[1]).toBeLessThanOrEqual(box.maxLat)
        expect(p[0]).toBeGreaterThanOrEqual(box.minLng)
        expect(p[0]).toBeLessThanOrEqual(box.maxLng)
      }
    }
  })

  it('is not much larger than the circle', () => {
    const box = boundingBox([30, 60], 1000)
    expect(haversineM([30, box.minLat], [30, box.maxLat])).toBeLessThan(2010)
    expect(haversineM([box.minLng, 60], [box.maxLng, 60])).toBeLessThan(2050)
  })

  it('spans every longitude near a pole or across the antimeridian', () => {
    expect(boundingBox([0, 89.99], 5000)).toMatchObject({ minLng: -180, maxLng: 180 })
    expect(boundingBox([179.999, 0], 5000)).toMatchObject({ minLng: -180, maxLng: 180 })
  })
})

describe('representativePoint', () => {
  it('is the point of a point', () => {
    expect(representativePoint({ type: 'Point', coordinates: [30.1, 59.9] })).toEqual([30.1, 59.9])
  })

  it('is the length-weighted middle of a line', () => {
    // A long leg east and a short leg north: the middle lies on the long leg's side.
    const [x, y] = representativePoint({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [4, 0],
        [4, 1],
      ],
    })
    expect(x).toBeCloseTo((2 * 4 + 4 * 1) / 5, 9)
    expect(y).toBeCloseTo((0 * 4 + 0.5 * 1) / 5, 9)
  })

  it('is the area centroid of a polygon, whichever way its ring turns', () => {
    const ring = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ]
    expect(representativePoint({ type: 'Polygon', coordinates: [ring] })).toEqual([1, 1])
    expect(representativePoint({ type: 'Polygon', coordinates: [[...ring].reverse()] })).toEqual([1, 1])
    // An L shape: not the mean of its corners.
    const [x, y] = representativePoint({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [3, 0],
          [3, 1],
          [1, 1],
          [1, 3],
          [0, 3],
          [0, 0],
        ],
      ],
    })
    expect(x).toBeCloseTo(1.1, 9)
    expect(y).toBeCloseTo(1.1, 9)
  })

  it('weights the polygons of a multipolygon by area', () => {
    const square = (x0: number, size: number) => [
      [
        [x0, 0],
        [x0 + size, 0],
        [x0 + size, size],
        [x0, size],
        [x0, 0],
      ],
    ]
    const [x] = representativePoint({ type: 'MultiPolygon', coordinates: [square(0, 2), square(10, 1)] })
    expect(x).toBeCloseTo((1 * 4 + 10.5 * 1) / 5, 9)
  })

  it('falls back to the corners’ mean for a ring with no area', () => {
    expect(
      representativePoint({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 0],
            [0, 0],
            [0, 0],
          ],
        ],
      }),
    ).toEqual([0.5, 0])
  })
})

describe('parseNear', () => {
  it.each([
    ['59.9386,30.3141', [30.3141, 59.9386]],
    [' -33.5 , 151 ', [151, -33.5]],
    ['90,180', [180, 90]],
  ] as [string, LngLat][])('reads %s as latitude, longitude', (text, point) => {
    expect(parseNear(text)).toEqual(point)
  })

  it.each(['', '59.9', '59.9,30.3,1', 'a,b', '91,0', '0,181', '1e3,0', 'NaN,0', '59.9;30.3'])(
    'refuses %j',
    (text) => {
      expect(parseNear(text)).toBeUndefined()
    },
  )
})

describe('place search text', () => {
  it('lowers case and reads ё as е, in Russian and English', () => {
    expect(normaliseSearchText('ЁЛКА Ёлочная')).toBe('елка елочная')
    expect(normaliseSearchText('Nevsky PROSPEKT')).toBe('nevsky prospekt')
    expect(placeSearchText('Фонарь', 'Невский проспект, 28')).toBe('фонарь\nневский проспект, 28')
    expect(placeSearchText('Pole', null)).toBe('pole')
  })

  it('splits a query into distinct words, punctuation dropped', () => {
    expect(searchWords('Невский пр., 28 невский')).toEqual(['невский', 'пр', '28'])
    expect(searchWords('  ,;! ')).toEqual([])
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8)
  })
})
