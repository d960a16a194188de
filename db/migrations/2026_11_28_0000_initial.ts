import { type Kysely, sql } from 'kysely'

/**
 * The whole model of docs/design.md in one frozen migration: later work adds behaviour, not tables.
 *
 * Frozen in time: this file never imports application code, so changing the app cannot change
 * what this migration does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db)

  await db.schema
    .createTable('departments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute()

  await db
    .insertInto('categories')
    .values([
      { id: 'lighting', name_en: 'Lighting', name_ru: 'Освещение', position: 1 },
      { id: 'construction', name_en: 'Construction', name_ru: 'Строительство', position: 2 },
      { id: 'digital', name_en: 'Digital services', name_ru: 'Цифровые сервисы', position: 3 },
      { id: 'tourism', name_en: 'Tourist services', name_ru: 'Туристические сервисы', position: 4 },
      { id: 'mobility', name_en: 'Mobility', name_ru: 'Мобильность', position: 5 },
      { id: 'energy', name_en: 'Energy', name_ru: 'Энергетика', position: 6 },
      { id: 'environment', name_en: 'Environment', name_ru: 'Экология', position: 7 },
      { id: 'other', name_en: 'Other', name_ru: 'Другое', position: 8 },
    ])
    .execute()

  await db.schema
    .createTable('clusters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute()

  await db
    .insertInto('clusters')
    .values([
      { id: 'ict', name_en: 'Information and communication technology', name_ru: 'ИКТ', position: 1 },
      { id: 'energy', name_en: 'Energy and utilities', name_ru: 'Энергетика и ЖКХ', position: 2 },
      {
        id: 'construction',
        name_en: 'Construction and materials',
        name_ru: 'Строительство и материалы',
        position: 3,
      },
      { id: 'transport', name_en: 'Transport and logistics', name_ru: 'Транспорт и логистика', position: 4 },
      {
        id: 'tourism',
        name_en: 'Tourism and creative industries',
        name_ru: 'Туризм и креативные индустрии',
        position: 5,
      },
      { id: 'cleantech', name_en: 'Clean technology', name_ru: 'Чистые технологии', position: 6 },
      {
        id: 'electronics',
        name_en: 'Electronics and instruments',
        name_ru: 'Электроника и приборостроение',
        position: 7,
      },
      { id: 'other', name_en: 'Other', name_ru: 'Другое', position: 8 },
    ])
    .execute()

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_id', 'text')
    .addColumn('website', 'text')
    .addColumn('cluster_id', 'text', (c) => c.references('clusters.id'))
    // Private iCalendar feed: only a hash of the token is kept, so a leaked database cannot subscribe.
    .addColumn('feed_token_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('company', 'official', 'admin')`))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('department_id', 'uuid', (c) => c.references('departments.id'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en').check(sql`language in ('en', 'ru')`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'users_role_membership',
      sql`(role = 'company' and organisation_id is not null and department_id is null)
        or (role = 'official' and department_id is not null and organisation_id is null)
        or (role = 'admin' and organisation_id is null)`,
    )
    .execute()
  await sql`create unique index users_email_key on users (lower(email))`.execute(db)

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // SHA-256 of the opaque token; the token itself is never stored.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

  // Failed sign-ins, kept in the database so throttling holds across Worker isolates.
  await db.schema
    .createTable('login_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('login_failures_key_at_idx')
    .on('login_failures')
    .columns(['key', 'at'])
    .execute()

  await db.schema
    .createTable('areas')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('geometry', 'jsonb', (c) => c.notNull())
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('area_categories')
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id').onDelete('cascade'))
    .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
    .addPrimaryKeyConstraint('area_categories_pk', ['area_id', 'category_id'])
    .execute()

  await db.schema
    .createTable('facilities')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('area_id', 'uuid', (c) => c.notNull().references('areas.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('lighting_pole', 'road_segment', 'rooftop', 'public_space', 'building_space', 'network_point', 'other')`,
        ),
    )
    .addColumn('geometry', 'jsonb', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(1).check(sql`capacity >= 1`))
    // Technical specs: typed columns, so that they can be filtered and indexed.
    .addColumn('power_kw', 'double precision', (c) => c.check(sql`power_kw >= 0`))
    .addColumn('voltage', 'integer', (c) => c.check(sql`voltage > 0`))
    .addColumn('connectivity', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('mounting', 'text')
    .addColumn('max_load_kg', 'double precision', (c) => c.check(sql`max_load_kg >= 0`))
    .addColumn('height_m', 'double precision', (c) => c.check(sql`height_m >= 0`))
    .addColumn('indoor', 'boolean')
    .addColumn('access_notes', 'text')
    // Booking rules.
    .addColumn('min_duration_minutes', 'integer', (c) =>
      c.notNull().defaultTo(60).check(sql`min_duration_minutes > 0`),
    )
    .addColumn('max_duration_minutes', 'integer', (c) => c.notNull().defaultTo(525600))
    .addColumn('lead_time_minutes', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`lead_time_minutes >= 0`),
    )
    .addColumn('horizon_days', 'integer', (c) => c.notNull().defaultTo(365).check(sql`horizon_days > 0`))
    .addColumn('setup_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`setup_minutes >= 0`))
    .addColumn('teardown_minutes', 'integer', (c) =>
      c.notNull().defaultTo(0).check(sql`teardown_minutes >= 0`),
    )
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('facilities_duration_range', sql`max_duration_minutes >= min_duration_minutes`)
    .execute()
  await db.schema.createIndex('facilities_area_idx').on('facilities').column('area_id').execute()
  await sql`create index facilities_connectivity_idx on facilities using gin (connectivity)`.execute(db)

  // Weekly opening windows in the city's local time. A window whose end is not after its start
  // runs past midnight into the next day; a facility without rows is always open.
  await db.schema
    .createTable('facility_opening_hours')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('facility_id', 'uuid', (c) => c.notNull().references('facilities.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('opens', 'time', (c) => c.notNull())
    .addColumn('closes', 'time', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('facility_opening_hours_facility_idx')
    .on('facility_opening_hours')
    .column('facility_id')
    .execute()

  await db.schema
    .createTable('facility_signoff_departments')
    .addColumn('facility_id', 'uuid', (c) => c.notNull().references('facilities.id').onDelete('cascade'))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addPrimaryKeyConstraint('facility_signoff_departments_pk', ['facility_id', 'department_id'])
    .execute()

  await db.schema
    .createTable('closures')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('facility_id', 'uuid', (c) => c.references('facilities.id').onDelete('cascade'))
    .addColumn('area_id', 'uuid', (c) => c.references('areas.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('closures_one_target', sql`(facility_id is null) <> (area_id is null)`)
    .addCheckConstraint('closures_period', sql`starts_at < ends_at`)
    .execute()
  await sql`create index closures_facility_period_idx on closures using gist (facility_id, tstzrange(starts_at, ends_at))`.execute(
    db,
  )
  await sql`create index closures_area_period_idx on closures using gist (area_id, tstzrange(starts_at, ends_at))`.execute(
    db,
  )

  await db.schema
    .createTable('pilots')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
    .addColumn('public_description', 'text', (c) => c.notNull())
    .addColumn('data_collected', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema.createIndex('pilots_organisation_idx').on('pilots').column('organisation_id').execute()

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('pilot_id', 'uuid', (c) => c.notNull().references('pilots.id'))
    .addColumn('facility_id', 'uuid', (c) => c.notNull().references('facilities.id'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    // The span the facility is occupied, buffers included, fixed when the booking is requested so
    // that a later change of the facility's buffers does not move existing bookings.
    .addColumn('occupied_from', 'timestamptz', (c) => c.notNull())
    .addColumn('occupied_to', 'timestamptz', (c) => c.notNull())
    .addColumn('occupied', sql`tstzrange`, (c) =>
      c.generatedAlwaysAs(sql`tstzrange(occupied_from, occupied_to, '[)')`).stored(),
    )
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('pending', 'changes_requested', 'approved', 'rejected', 'cancelled')`),
    )
    .addColumn('note', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('bookings_period', sql`starts_at < ends_at`)
    .addCheckConstraint('bookings_occupied', sql`occupied_from <= starts_at and ends_at <= occupied_to`)
    .execute()
  await sql`create index bookings_facility_occupied_idx on bookings using gist (facility_id, occupied)
    where state in ('pending', 'changes_requested', 'approved')`.execute(db)
  await db.schema.createIndex('bookings_pilot_idx').on('bookings').column('pilot_id').execute()
  await db.schema
    .createIndex('bookings_state_starts_idx')
    .on('bookings')
    .columns(['state', 'starts_at'])
    .execute()

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('booking_id', 'uuid', (c) => c.notNull().references('bookings.id').onDelete('cascade'))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('decision', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`decision in ('pending', 'approved', 'rejected', 'changes_requested')`),
    )
    .addColumn('note', 'text')
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addUniqueConstraint('reviews_booking_department_key', ['booking_id', 'department_id'])
    .execute()
  await db.schema
    .createIndex('reviews_department_idx')
    .on('reviews')
    .columns(['department_id', 'decision'])
    .execute()

  // Append-only audit trail. bigserial gives a total order within the database.
  await db.schema
    .createTable('events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()
  await db.schema
    .createIndex('events_subject_idx')
    .on('events')
    .columns(['subject_type', 'subject_id', 'id'])
    .execute()

  // Notifications written in the same transaction as their cause, sent afterwards.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('recipient_user_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('recipient_email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending'`.execute(db)

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'scope', 'key'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'outbox',
    'events',
    'reviews',
    'bookings',
    'pilots',
    'closures',
    'facility_signoff_departments',
    'facility_opening_hours',
    'facilities',
    'area_categories',
    'areas',
    'login_failures',
    'sessions',
    'users',
    'organisations',
    'clusters',
    'categories',
    'departments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
