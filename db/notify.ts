/**
 * A PostgreSQL LISTEN/NOTIFY channel on a connection of its own, so that several server
 * processes on one database can tell each other what changed within milliseconds.
 */
export interface ChangeChannel {
  /**
   * Tells every other process listening on the channel (not this one) what changed, as the
   * sender words it (the public cache sends the scope of the change as JSON; under 7,000 bytes).
   */
  publish(message: string): Promise<void>
  /**
   * Calls `listener` with each message another process publishes, and with `undefined` when the
   * channel was lost: what changed meanwhile is unknown, so everything must be forgotten.
   */
  subscribe(listener: (message: string | undefined) => void): void
  close(): Promise<void>
}

const channel = 'city_testbed_changes'

/**
 * Opens the channel: one pg client that LISTENs (and NOTIFYs), reconnecting after losing the
 * server. Each process tags its notifications with an id of its own and ignores its own echo.
 *
 * @example
 * const changes = await openChangeChannel(process.env.DATABASE_URL)
 * changes.subscribe((message) => cache.forget(message))
 */
export async function openChangeChannel(databaseUrl: string): Promise<ChangeChannel> {
  const { Client } = await import('pg')
  const self = crypto.randomUUID()
  const listeners: ((message: string | undefined) => void)[] = []
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
    // A payload is the sender's id, a line break, and its message.
    next.on('notification', (notification) => {
      const payload = notification.payload ?? ''
      const cut = payload.indexOf('\n')
      const sender = cut < 0 ? payload : payload.slice(0, cut)
      if (notification.channel !== channel || sender === self) return
      for (const listener of listeners) listener(cut < 0 ? undefined : payload.slice(cut + 1))
    })
    next.on('error', (error) => {
      console.error('change channel lost:', error.message)
      if (client === next) client = undefined
      // Whatever happened meanwhile is unknown: tell the listeners to forget what they hold.
      for (const listener of listeners) listener(undefined)
      retry()
    })
    await next.connect()
    await next.query(`listen ${channel}`)
    client = next
  }
  await connect()

  return {
    async publish(message) {
      await client?.query('select pg_notify($1, $2)', [channel, `${self}\n${message}`])
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
