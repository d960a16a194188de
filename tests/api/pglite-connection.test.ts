import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Connection, connect } from '../../db/connect.ts'

/**
 * PGlite is one database session. Kysely hands its one connection to one user at a time (its
 * PGlite adapter says it has no second connection, so the runtime driver holds a mutex from
 * acquire to release): a transaction owns the session from begin to commit, and a statement sent
 * meanwhile waits instead of running inside someone else's transaction. Were that to change (a
 * Kysely upgrade, another driver), a write acknowledged to one request could be rolled back with
 * another request's failed transaction. On PostgreSQL each transaction has its own connection.
 */
describe('the embedded database under overlapping work', () => {
  let connection: Connection
  // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the schema
  let db: Kysely<any>
  beforeAll(async () => {
    connection = await connect({ databaseUrl: process.env.DATABASE_URL })
    db = connection.db
    await sql`drop table if exists overlap_probe`.execute(db)
    await sql`create table overlap_probe (id int primary key, who text)`.execute(db)
  })
  afterAll(async () => {
    await sql`drop table if exists overlap_probe`.execute(db)
    await connection.close()
  })

  /** Lets everything already queued run (several turns of the event loop; no clock involved). */
  async function letOthersRun() {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
  }

  function gate() {
    let open = () => {}
    const opened = new Promise<void>((resolve) => {
      open = resolve
    })
    return { open, opened }
  }

  async function ids(from: number, to: number) {
    const { rows } = await sql<{
      id: number
    }>`select id from overlap_probe where id between ${from} and ${to} order by id`.execute(db)
    return rows.map((r) => r.id)
  }

  it('keeps a write made while another request’s transaction is open and then rolls back', async () => {
    const inside = gate()
    const release = gate()
    const failing = db.transaction().execute(async (tx) => {
      await sql`insert into overlap_probe values (1, 'rolled back')`.execute(tx)
      inside.open()
      await release.opened
      throw new Error('the request failed')
    })
    const failed = expect(failing).rejects.toThrow('the request failed')
    await inside.opened
    const plain = sql`insert into overlap_probe values (2, 'acknowledged')`.execute(db)
    await letOthersRun()
    release.open()
    await failed
    await plain
    expect(await ids(1, 2)).toEqual([2])
  })

  it('commits one transaction and rolls back the other when they overlap', async () => {
    const inside = gate()
    const release = gate()
    const committing = db.transaction().execute(async (tx) => {
      await sql`insert into overlap_probe values (10, 'a')`.execute(tx)
      inside.open()
      await release.opened
      await sql`insert into overlap_probe values (11, 'a')`.execute(tx)
    })
    await inside.opened
    const failing = db.transaction().execute(async (tx) => {
      await sql`insert into overlap_probe values (20, 'b')`.execute(tx)
      throw new Error('the second request failed')
    })
    const failed = expect(failing).rejects.toThrow('the second request failed')
    await letOthersRun()
    release.open()
    await committing
    await failed
    expect(await ids(10, 20)).toEqual([10, 11])
  })
})
