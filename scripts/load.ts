/**
 * The bench's load generator, in a process of its own so that it does not share the server's
 * event loop: runs autocannon with the options given as JSON in argv[2] and prints the result as
 * JSON. With `bookings`, every request books a distinct slot; with `paths`, requests take them in turn.
 * It also reports its own CPU time over the run's wall time: near 1 (a whole core), the figures
 * measure the load generator more than the server.
 */
import autocannon from 'autocannon'

interface Options {
  url: string
  method?: 'GET' | 'POST'
  connections: number
  /** How many requests; or, without it, for how many seconds. */
  amount?: number
  duration?: number
  /** Requests per second across all connections, e.g. a steady writer; unlimited without it. */
  overallRate?: number
  headers?: Record<string, string>
  bookings?: { facilities: string[]; slotBase: number; firstSlot: number }
  /** Paths (with query) asked in turn instead of the url's own, e.g. to miss a cache on purpose. */
  paths?: string[]
  /**
   * Windows nobody asked before, made here (a list of thousands would not fit in argv): request i
   * asks `path?<from>=…&<to>=…` for span i mod n, moved (i div n) + 1 minutes later.
   */
  windows?: { path: string; names: [string, string]; spans: [number, number][] }
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
/** The path of the i-th request, when requests do not all ask the url's own. */
function pathOf(o: Options): ((i: number) => string) | undefined {
  if (o.windows) {
    const { path, names, spans } = o.windows
    return (i) => {
      const [from, to] = spans[i % spans.length] as [number, number]
      const shift = (Math.floor(i / spans.length) + 1) * 60_000
      return `${path}?${names[0]}=${new Date(from + shift).toISOString()}&${names[1]}=${new Date(to + shift).toISOString()}`
    }
  }
  const paths = o.paths
  return paths ? (i) => paths[i % paths.length] as string : undefined
}
const pathAt = pathOf(options)
const hour = 3_600_000
let slot = options.bookings?.firstSlot ?? 0
let turn = 0
const began = performance.now()
const cpuBefore = process.cpuUsage()
// autocannon notices that `amount` is done only on its one-second tick, so its own elapsed time
// rounds a short run up to whole seconds; the rate here runs from the start to the last answer.
let lastAnswer = began
let finish: (result: autocannon.Result) => void = () => {}
let fail: (error: unknown) => void = () => {}
const finished = new Promise<autocannon.Result>((resolve, reject) => {
  finish = resolve
  fail = reject
})
const run = autocannon(
  {
    url: options.url,
    method: options.method ?? 'GET',
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: options.headers ?? {},
    timeout: 30,
    ...(options.bookings
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const b = options.bookings as NonNullable<Options['bookings']>
                const n = slot++
                const start = b.slotBase + Math.floor(n / b.facilities.length) * 2 * hour
                const body = JSON.stringify({
                  facilityId: b.facilities[n % b.facilities.length],
                  start: new Date(start).toISOString(),
                  end: new Date(start + hour).toISOString(),
                })
                return { ...req, body }
              },
            },
          ],
        }
      : {}),
    ...(pathAt
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => ({ ...req, path: pathAt(turn++) }),
            },
          ],
        }
      : {}),
  },
  (error, result) => (error ? fail(error) : finish(result)),
)
run.on('response', () => {
  lastAnswer = performance.now()
})
const result = await finished
const seconds = (lastAnswer - began) / 1000
const cpu = process.cpuUsage(cpuBefore)
const wall = performance.now() - began
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: Math.round((result.requests.total / seconds) * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytes: result.throughput.total,
    cpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100) / 100,
  }),
)
