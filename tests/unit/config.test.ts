import { describe, expect, it } from 'vitest'
import { ConfigError, isLoopbackHost, parseConfig } from '../../api/lib/config.ts'

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
      trustProxy: 0,
      smtpUrl: undefined,
      mailFrom: 'City Testbed <no-reply@testbed.invalid>',
      bookingExpiryDays: 30,
      mapTilesUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      mapTilesAttribution: '© OpenStreetMap contributors',
      publicCacheSeconds: 5,
      shutdownGraceSeconds: 10,
      smtpTimeoutSeconds: 10,
      storageReserveMb: 64,
      digestHour: 8,
    })
  })

  it('counts TRUST_PROXY as the number of proxies in front: a flag is one or none', () => {
    for (const none of ['', '0', 'false', 'no']) expect(parseConfig({ TRUST_PROXY: none }).trustProxy).toBe(0)
    for (const one of ['1', 'true', 'yes']) expect(parseConfig({ TRUST_PROXY: one }).trustProxy).toBe(1)
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(parseConfig({ TRUST_PROXY: ' 10 ' }).trustProxy).toBe(10)
    // wrangler.toml [vars] may give a number rather than a string.
    expect(parseConfig({ TRUST_PROXY: 3 }).trustProxy).toBe(3)
  })

  it.each(['11', '-1', '1.5', 'on', 'TRUE', '2 proxies'])(
    'refuses TRUST_PROXY=%j in one line that says what to write',
    (value) => {
      const error = configError({ TRUST_PROXY: value })
      expect(error.problems).toHaveLength(1)
      const [line] = error.problems
      expect(line).not.toContain('\n')
      expect(line).toMatch(/^TRUST_PROXY: /)
      expect(line).toContain('write 1 (or yes) behind one reverse proxy, 2 to 10')
    },
  )

  it('reads SMTP_TIMEOUT_SECONDS and STORAGE_RESERVE_MB as whole numbers; empty takes the default', () => {
    expect(parseConfig({ SMTP_TIMEOUT_SECONDS: '30' }).smtpTimeoutSeconds).toBe(30)
    expect(parseConfig({ SMTP_TIMEOUT_SECONDS: '' }).smtpTimeoutSeconds).toBe(10)
    expect(parseConfig({ STORAGE_RESERVE_MB: '0' }).storageReserveMb).toBe(0)
    expect(parseConfig({ STORAGE_RESERVE_MB: '100000' }).storageReserveMb).toBe(100_000)
    expect(parseConfig({ STORAGE_RESERVE_MB: '' }).storageReserveMb).toBe(64)
  })

  it('reads DIGEST_HOUR as an hour of the day, 8 by default', () => {
    expect(parseConfig({ DIGEST_HOUR: '0' }).digestHour).toBe(0)
    expect(parseConfig({ DIGEST_HOUR: '23' }).digestHour).toBe(23)
    expect(parseConfig({ DIGEST_HOUR: '' }).digestHour).toBe(8)
    for (const bad of ['24', '-1', '7.5', 'eight']) {
      expect(configError({ DIGEST_HOUR: bad }).problems[0]).toMatch(/^DIGEST_HOUR: must be a whole number/)
    }
  })

  it('is in demo mode by default only with the embedded database on a loopback address', () => {
    expect(parseConfig({ HOST: 'localhost' }).demo).toBe(true)
    expect(parseConfig({ HOST: '::1' }).demo).toBe(true)
    expect(parseConfig({ HOST: '0.0.0.0' }).demo).toBe(false)
    expect(parseConfig({ HOST: '::' }).demo).toBe(false)
    expect(parseConfig({ HOST: '192.168.1.20' }).demo).toBe(false)
    // 127.0.0.1 behind a reverse proxy, or with a public address, is reachable by anyone.
    expect(parseConfig({ TRUST_PROXY: '1' }).demo).toBe(false)
    expect(parseConfig({ PUBLIC_URL: 'https://testbed.city.example' }).demo).toBe(false)
    expect(parseConfig({ PUBLIC_URL: 'http://localhost:8787' }).demo).toBe(true)
    expect(parseConfig({ TRUST_PROXY: '1', SEED_DEMO: '1' }).demo).toBe(true)
    expect(parseConfig({ HOST: '0.0.0.0', SEED_DEMO: '1' }).demo).toBe(true)
    expect(parseConfig({ HOST: '0.0.0.0', SEED_DEMO: '' }).demo).toBe(false)
    expect(parseConfig({ SEED_DEMO: '0' }).demo).toBe(false)
  })

  it('tells loopback addresses from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'city.example', '127.0.0.1.example', ''])
      expect(isLoopbackHost(host)).toBe(false)
  })

  it('gives requests in flight SHUTDOWN_GRACE_SECONDS to finish on shutdown', () => {
    expect(parseConfig({ SHUTDOWN_GRACE_SECONDS: '2.5' }).shutdownGraceSeconds).toBe(2.5)
    expect(parseConfig({ SHUTDOWN_GRACE_SECONDS: '0' }).shutdownGraceSeconds).toBe(0)
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
    [{ DATABASE_URL: 'postgres://db.example:fivefourthreetwo/testbed' }, 'DATABASE_URL'],
    [{ SHUTDOWN_GRACE_SECONDS: 'soon' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ SHUTDOWN_GRACE_SECONDS: '-1' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ SEED_DEMO: 'perhaps' }, 'SEED_DEMO'],
    [{ DATABASE_PREPARED: 'off' }, 'DATABASE_PREPARED'],
    [{ CORS_ORIGINS: 'https://ok.example, not a url' }, 'CORS_ORIGINS'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
    [{ BOOKING_EXPIRY_DAYS: '0' }, 'BOOKING_EXPIRY_DAYS'],
    [{ MAP_TILES_URL: 'http://tiles.example/{z}/{x}/{y}.png' }, 'MAP_TILES_URL'],
    [{ SMTP_TIMEOUT_SECONDS: '0' }, 'SMTP_TIMEOUT_SECONDS'],
    [{ SMTP_TIMEOUT_SECONDS: '61' }, 'SMTP_TIMEOUT_SECONDS'],
    [{ SMTP_TIMEOUT_SECONDS: '2.5' }, 'SMTP_TIMEOUT_SECONDS'],
    [{ STORAGE_RESERVE_MB: '-1' }, 'STORAGE_RESERVE_MB'],
    [{ STORAGE_RESERVE_MB: '100001' }, 'STORAGE_RESERVE_MB'],
    [{ STORAGE_RESERVE_MB: '1e3' }, 'STORAGE_RESERVE_MB'],
  ])('refuses %o, naming %s', (env, name) => {
    expect(() => parseConfig(env)).toThrow(name)
  })

  it('says what a whole-number setting must be', () => {
    expect(configError({ SMTP_TIMEOUT_SECONDS: 'ten' }).problems).toEqual([
      'SMTP_TIMEOUT_SECONDS: must be a whole number of seconds from 1 to 60',
    ])
    expect(configError({ STORAGE_RESERVE_MB: '64MB' }).problems).toEqual([
      'STORAGE_RESERVE_MB: must be a whole number of megabytes from 0 to 100000',
    ])
  })
})

function configError(env: Record<string, unknown>): ConfigError {
  try {
    parseConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`)
}
