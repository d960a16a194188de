/**
 * A PostgreSQL LISTEN/NOTIFY channel on a connection of its own, so that several server
 * processes on one database can tell each other "something changed" within milliseconds.
 */
export interface ChangeChannel {
  /** Tells every other process listening on the channel (not this one). */
  publish(): Promise<void>
  /** Calls `listener` whenever another process publishes. */
  subscribe(listener: () => void): void
  close(): Promise<void>
}

const channel = 'city_testbed_changes'

/**
 * Opens the channel: one pg client that LISTENs (and NOTIFYs), reconnecting after losing the
 * server. Each process tags its notifications with an id of its own and ignores its own echo.
 *
 * @example
 * const changes = await openChangeChannel(process.env.DATABASE_URL)
 * changes.subscribe(() => cache.clear())
 */
export async function openChangeChannel(databaseUrl: string): Promise<ChangeChannel> {
  const { Client } = await import('pg')
  const self = crypto.randomUUID()
  const listeners: (() => void)[] = []
  let client: InstanceType<typeof Client> | undefined
  let closed = false

  let retrying = false
  // Until the server answers again, try once a second.
  const retry = () => {
    if (closed || retrying) return
    retrying = true
    setTimeout(() => {
      retrying = false
      connect().catch(retry)
    }, 1000)
  }
  const connect = async () => {
    const next = new Client({ connectionString: databaseUrl })
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== self)
        for (const listener of listeners) listener()
    })
    next.on('error', (error) => {
      console.error('change channel lost:', error.message)
      if (client === next) client = undefined
      // Whatever happened meanwhile is unknown: tell the listeners to forget what they hold.
      for (const listener of listeners) listener()
      retry()
    })
    await next.connect()
    await next.query(`listen ${channel}`)
    client = next
  }
  await connect()

  return {
    async publish() {
      await client?.query('select pg_notify($1, $2)', [channel, self])
    },
    subscribe(listener) {
      listeners.push(listener)
    },
    async close() {
      closed = true
      await client?.end()
    },
  }
}
