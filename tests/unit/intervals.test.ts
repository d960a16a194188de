import { describe, expect, it } from 'vitest'
import {
  contains,
  covers,
  type Interval,
  intersect,
  maxOverlap,
  merge,
  overlaps,
  spansWithRoom,
  subtract,
} from '../../api/domain/intervals.ts'

const i = (start: number, end: number): Interval => ({ start, end })

describe('half-open intervals', () => {
  it.each([
    [i(10, 20), i(20, 30), false, 'touching intervals do not overlap'],
    [i(10, 20), i(19, 30), true, 'one instant in common overlaps'],
    [i(10, 20), i(12, 15), true, 'inside'],
    [i(10, 20), i(0, 10), false, 'touching from below'],
    [i(10, 20), i(0, 100), true, 'around'],
    [i(10, 10), i(0, 100), false, 'empty overlaps nothing'],
  ])('overlaps(%o, %o) is %s: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected)
    expect(overlaps(b, a)).toBe(expected)
  })

  it('contains its own edges but nothing past them', () => {
    expect(contains(i(10, 20), i(10, 20))).toBe(true)
    expect(contains(i(10, 20), i(10, 21))).toBe(false)
    expect(contains(i(10, 20), i(9, 20))).toBe(false)
  })

  it.each([
    [[], []],
    [[i(1, 2), i(2, 3)], [i(1, 3)]],
    [
      [i(5, 6), i(1, 3), i(2, 4)],
      [i(1, 4), i(5, 6)],
    ],
    [[i(1, 10), i(2, 3)], [i(1, 10)]],
    [[i(3, 3), i(4, 2)], []],
  ])('merge(%o) = %o', (input, expected) => {
    expect(merge(input)).toEqual(expected)
  })

  it.each([
    [[i(0, 10)], [i(3, 5)], [i(0, 3), i(5, 10)]],
    [[i(0, 10)], [i(0, 10)], []],
    [[i(0, 10)], [i(-5, 2), i(8, 20)], [i(2, 8)]],
    [[i(0, 10), i(20, 30)], [i(5, 25)], [i(0, 5), i(25, 30)]],
    [[i(0, 10)], [i(10, 20)], [i(0, 10)]],
    [[i(0, 10)], [], [i(0, 10)]],
  ])('subtract(%o, %o) = %o', (from, minus, expected) => {
    expect(subtract(from, minus)).toEqual(expected)
  })

  it('intersects sets of intervals', () => {
    expect(intersect([i(0, 10), i(20, 30)], [i(5, 25)])).toEqual([i(5, 10), i(20, 25)])
    expect(intersect([i(0, 10)], [i(10, 20)])).toEqual([])
  })

  it('covers a span only when no instant of it is missing', () => {
    expect(covers([i(0, 5), i(5, 10)], i(2, 8))).toBe(true)
    expect(covers([i(0, 5), i(6, 10)], i(2, 8))).toBe(false)
    expect(covers([i(0, 10)], i(5, 5))).toBe(false)
  })

  it.each([
    [[], 0],
    [[i(0, 10)], 1],
    [[i(0, 10), i(10, 20)], 1],
    [[i(0, 10), i(9, 20)], 2],
    [[i(0, 10), i(2, 8), i(3, 4), i(8, 9)], 3],
    [[i(0, 10), i(0, 10), i(10, 20), i(10, 20)], 2],
  ])('maxOverlap(%o) = %i', (input, expected) => {
    expect(maxOverlap(input)).toBe(expected)
  })

  it('finds the spans that still have room at a given capacity', () => {
    const held = [i(0, 10), i(5, 15), i(20, 30)]
    expect(spansWithRoom(held, 1, i(0, 40))).toEqual([i(15, 20), i(30, 40)])
    expect(spansWithRoom(held, 2, i(0, 40))).toEqual([i(0, 5), i(10, 40)])
    expect(spansWithRoom(held, 3, i(0, 40))).toEqual([i(0, 40)])
    expect(spansWithRoom([], 1, i(0, 40))).toEqual([i(0, 40)])
  })
})
