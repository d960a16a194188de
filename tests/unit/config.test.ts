import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../api/lib/config.ts'

describe('parseConfig', () => {
  it('defaults to the embedded database in demo mode, St. Petersburg time, port 8787', () => {
    expect(parseConfig({})).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dataDir: './.data',
      databaseUrl: undefined,
      preparedStatements: true,
      cityTimeZone: 'Europe/Moscow',
      demo: true,
      publicUrl: undefined,
      corsOrigins: [],
      trustProxy: false,
      smtpUrl: undefined,
      mailFrom: 'City Testbed <no-reply@testbed.invalid>',
      bookingExpiryDays: 30,
      mapTilesUrl: undefined,
      mapTilesAttribution: undefined,
      publicCacheSeconds: 5,
    })
  })

  it('is not in demo mode with a PostgreSQL URL unless SEED_DEMO says so', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/testbed'
    expect(parseConfig({ DATABASE_URL: url }).demo).toBe(false)
    expect(parseConfig({ DATABASE_URL: url, SEED_DEMO: '1' }).demo).toBe(true)
    expect(parseConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined()
  })

  it('uses named prepared statements unless DATABASE_PREPARED turns them off', () => {
    expect(parseConfig({}).preparedStatements).toBe(true)
    expect(parseConfig({ DATABASE_PREPARED: '' }).preparedStatements).toBe(true)
    for (const on of ['1', 'true', 'yes'])
      expect(parseConfig({ DATABASE_PREPARED: on }).preparedStatements).toBe(true)
    for (const off of ['0', 'false', 'no'])
      expect(parseConfig({ DATABASE_PREPARED: off }).preparedStatements).toBe(false)
  })

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ CITY_TIMEZONE: 'Mars/Olympus_Mons' }, 'CITY_TIMEZONE'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ SEED_DEMO: 'perhaps' }, 'SEED_DEMO'],
    [{ DATABASE_PREPARED: 'off' }, 'DATABASE_PREPARED'],
    [{ CORS_ORIGINS: 'https://ok.example, not a url' }, 'CORS_ORIGINS'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ BOOKING_EXPIRY_DAYS: '0' }, 'BOOKING_EXPIRY_DAYS'],
    [{ MAP_TILES_URL: 'http://tiles.example/{z}/{x}/{y}.png' }, 'MAP_TILES_URL'],
  ])('refuses %o, naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(name)
  })
})
