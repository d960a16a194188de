/**
 * The bench's load generator, in a process of its own so that it does not share the server's
 * event loop: runs autocannon with the options given as JSON in argv[2] and prints the result as
 * JSON. With `bookings`, every request books a distinct slot; with `paths`, requests take them in turn.
 */
import autocannon from 'autocannon'

interface Options {
  url: string
  method?: 'GET' | 'POST'
  connections: number
  amount: number
  headers?: Record<string, string>
  bookings?: { facilities: string[]; slotBase: number; firstSlot: number }
  /** Paths (with query) asked in turn instead of the url's own, e.g. to miss a cache on purpose. */
  paths?: string[]
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
const hour = 3_600_000
let slot = options.bookings?.firstSlot ?? 0
let turn = 0
const began = performance.now()
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
    amount: options.amount,
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
    ...(options.paths
      ? {
          requests: [
            {
              setupRequest: (req: autocannon.Request) => {
                const paths = options.paths as string[]
                return { ...req, path: paths[turn++ % paths.length] }
              },
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
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: Math.round((result.requests.total / seconds) * 10) / 10,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    bytes: result.throughput.total,
  }),
)
