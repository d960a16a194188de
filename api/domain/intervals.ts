/**
 * Half-open intervals `[start, end)` of instants in epoch milliseconds, and the algebra the
 * booking rules are built from. Touching intervals do not overlap: [10, 20) and [20, 30) share
 * no instant.
 */
export interface Interval {
  start: number
  end: number
}

/** True when the two intervals share at least one instant (an empty interval shares none). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end && a.start < a.end && b.start < b.end
}

/** True when every instant of `inner` lies in `outer`. */
export function contains(outer: Interval, inner: Interval): boolean {
  return outer.start <= inner.start && inner.end <= outer.end
}

/** The union as sorted, disjoint intervals; touching intervals join, empty ones vanish. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.start < i.end).sort((a, b) => a.start - b.start || a.end - b.end)
  const out: Interval[] = []
  for (const i of sorted) {
    const last = out[out.length - 1]
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end)
    else out.push({ start: i.start, end: i.end })
  }
  return out
}

/** What remains of `from` once every interval of `minus` is taken out. */
export function subtract(from: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const cuts = merge(minus)
  const out: Interval[] = []
  for (const piece of merge(from)) {
    let cursor = piece.start
    for (const cut of cuts) {
      if (cut.end <= cursor) continue
      if (cut.start >= piece.end) break
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start })
      cursor = Math.max(cursor, cut.end)
      if (cursor >= piece.end) break
    }
    if (cursor < piece.end) out.push({ start: cursor, end: piece.end })
  }
  return out
}

/** The instants in both sets. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = merge(a)
  const right = merge(b)
  const out: Interval[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) {
    const l = left[i] as Interval
    const r = right[j] as Interval
    const start = Math.max(l.start, r.start)
    const end = Math.min(l.end, r.end)
    if (start < end) out.push({ start, end })
    if (l.end < r.end) i++
    else j++
  }
  return out
}

/** True when the union of `covering` contains all of `span`. */
export function covers(covering: readonly Interval[], span: Interval): boolean {
  return subtract([span], covering).length === 0 && span.start < span.end
}

/**
 * The greatest number of intervals that hold one instant at the same time. An interval that
 * ends where another starts is not counted with it.
 */
export function maxOverlap(intervals: readonly Interval[]): number {
  const edges: [number, number][] = []
  for (const i of intervals) {
    if (i.start >= i.end) continue
    edges.push([i.start, 1], [i.end, -1])
  }
  // At equal instants, ends come before starts: half-open intervals that touch do not overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let current = 0
  let most = 0
  for (const [, delta] of edges) {
    current += delta
    most = Math.max(most, current)
  }
  return most
}

/**
 * The spans within `range` where fewer than `capacity` intervals hold — where one more would
 * still fit — as sorted, disjoint intervals.
 */
export function spansWithRoom(intervals: readonly Interval[], capacity: number, range: Interval): Interval[] {
  const edges: [number, number][] = []
  for (const i of intervals) {
    const start = Math.max(i.start, range.start)
    const end = Math.min(i.end, range.end)
    if (start < end) edges.push([start, 1], [end, -1])
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const full: Interval[] = []
  let current = 0
  let fullSince: number | undefined
  for (const [at, delta] of edges) {
    current += delta
    if (current >= capacity && fullSince === undefined) fullSince = at
    if (current < capacity && fullSince !== undefined) {
      full.push({ start: fullSince, end: at })
      fullSince = undefined
    }
  }
  return subtract([range], full)
}
