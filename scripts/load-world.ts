import type { Kysely } from 'kysely'
import { hashToken, newToken } from '../api/lib/tokens.ts'
import type { Database } from '../db/types.ts'

/** Rules for the facilities of a load world; the defaults suit short, dense bookings. */
export interface LoadFacilityRules {
  capacity?: number
  setupMinutes?: number
  teardownMinutes?: number
}

/**
 * What the bench and the drill write against: a department, a published area accepting lighting,
 * a company with a signed-in member and a pilot, an official to notify, and a facility maker.
 * Fresh names each time, so that runs against one database do not meet.
 */
export async function loadWorld(db: Kysely<Database>, label: string, rules: LoadFacilityRules = {}) {
  const tag = crypto.randomUUID()
  const dept = await db
    .insertInto('departments')
    .values({ name: `${label} ${tag}` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const area = await db
    .insertInto('areas')
    .values({
      name: `${label} area`,
      department_id: dept.id,
      geometry: JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [30, 59],
            [30.1, 59],
            [30.1, 59.1],
            [30, 59],
          ],
        ],
      }),
      published: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('area_categories').values({ area_id: area.id, category_id: 'lighting' }).execute()
  const facility = (name: string, capacity = rules.capacity ?? 1) =>
    db
      .insertInto('facilities')
      .values({
        area_id: area.id,
        name,
        kind: 'lighting_pole',
        geometry: JSON.stringify({ type: 'Point', coordinates: [30.05, 59.05] }),
        department_id: dept.id,
        published: true,
        capacity,
        min_duration_minutes: 30,
        horizon_days: 3650,
        setup_minutes: rules.setupMinutes ?? 0,
        teardown_minutes: rules.teardownMinutes ?? 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((r) => r.id)
  const org = await db
    .insertInto('organisations')
    .values({ name: `${label} Co` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const user = await db
    .insertInto('users')
    .values({
      email: `${label.toLowerCase()}-${tag}@example.org`,
      name: label,
      password_hash: 'x',
      role: 'company',
      organisation_id: org.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const official = await db
    .insertInto('users')
    .values({
      email: `${label.toLowerCase()}-official-${tag}@example.org`,
      name: 'Official',
      password_hash: 'x',
      role: 'official',
      department_id: dept.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const token = newToken()
  await db
    .insertInto('sessions')
    .values({
      user_id: user.id,
      token_hash: await hashToken(token),
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute()
  const pilot = await db
    .insertInto('pilots')
    .values({
      organisation_id: org.id,
      title: `${label} pilot`,
      summary: 's',
      category_id: 'lighting',
      public_description: 'd',
      data_collected: 'd',
      contact_email: 'load@example.org',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return {
    dept: dept.id,
    area: area.id,
    facility,
    user: user.id,
    official: official.id,
    token,
    pilot: pilot.id,
  }
}
