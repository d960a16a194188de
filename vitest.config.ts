import { defineConfig } from 'vitest/config'

/**
 * `npm test` runs two projects:
 * - unit: pure domain functions, no database;
 * - api:  the whole app through `app.request` against a real database — PostgreSQL when
 *         DATABASE_URL is set, otherwise embedded PGlite. The global setup migrates and seeds
 *         it once; each worker process keeps one connection for all its files (isolate: false),
 *         and every test makes its own rows with fresh ids.
 * - e2e:  the built web app in Debian's Chromium (playwright-core), over the same database.
 * - workers: the Worker inside real workerd (wrangler's test harness, as `wrangler dev` runs it)
 *         reaching PostgreSQL through the Hyperdrive binding; runs only when DATABASE_URL is set.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          pool: 'forks',
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/global-setup.ts'],
          pool: 'forks',
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page condition (focus, a count, a field's value) is awaited until it holds, up to
          // 10 s: a loaded machine (CI, test:dates under faketime) renders slower than 1 s.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      {
        test: {
          name: 'workers',
          include: ['tests/workers/**/*.test.ts'],
          globalSetup: ['tests/helpers/postgres-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
