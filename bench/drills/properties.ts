/**
 * Drill: the property-based tests (fast-check) and the booking model, with more runs than
 * `npm test` gives them.
 *
 * `node bench/drills/properties.ts [--quick]`
 */
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'

/** Runs the property tests in a vitest process of their own; `quick` gives them fewer runs. */
export async function run(options: { quick: boolean }) {
  const runs = { FC_RUNS: options.quick ? 300 : 2000, MODEL_RUNS: options.quick ? 40 : 200 }
  const fuzzRuns = options.quick ? 30 : 100
  const vitest = spawnSync(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      'tests/unit/properties.test.ts',
      'tests/api/booking-model.test.ts',
      'tests/api/fuzz.test.ts',
    ],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        FC_RUNS: String(runs.FC_RUNS),
        MODEL_RUNS: String(runs.MODEL_RUNS),
        FUZZ_RUNS: String(fuzzRuns),
      },
    },
  )
  const ok = vitest.status === 0
  return {
    name: 'properties',
    ok,
    figures: { propertyRuns: runs.FC_RUNS, modelRuns: runs.MODEL_RUNS, fuzzRuns },
    failures: ok ? [] : [`vitest exited with ${vitest.status}`],
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outcome = await run({ quick: process.argv.includes('--quick') })
  console.log(JSON.stringify(outcome.figures))
  process.exit(outcome.ok ? 0 : 1)
}
