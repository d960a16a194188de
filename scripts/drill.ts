/**
 * `npm run drill [-- --quick] [-- --only a,b]`: runs the reliability drills in bench/drills/ one
 * after another, prints each one's figures and writes them all to bench/drill.json. Each drill
 * also runs alone: `node bench/drills/<name>.ts [--quick]`. Exits non-zero when a drill fails.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'

interface DrillOutcome {
  name: string
  ok: boolean
  figures: Record<string, unknown>
  failures: string[]
}

/** In the order a failure is cheapest to find: start-up first, the long ones last. */
const drills = [
  'startup-errors',
  'one-writer',
  'shutdown',
  'disk-full',
  'mail',
  'db-restart',
  'properties',
  'upload-crash',
]

const quick = process.argv.includes('--quick')
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : undefined
const unknown = only?.filter((name) => !drills.includes(name)) ?? []
if (unknown.length > 0) {
  console.error(`unknown drill ${unknown.join(', ')}; the drills are: ${drills.join(', ')}`)
  process.exit(2)
}

const report: Record<string, unknown> = { at: new Date().toISOString(), quick, cores: cpus().length }
let failed = false
for (const name of drills.filter((d) => !only || only.includes(d))) {
  const file = `bench/drills/${name}.ts`
  if (!existsSync(file)) {
    console.error(`== drill ${name}: ${file} is missing`)
    failed = true
    continue
  }
  console.log(`== drill: ${name}`)
  const started = performance.now()
  const module = (await import(`../${file}`)) as { run(o: { quick: boolean }): Promise<DrillOutcome> }
  const outcome = await module
    .run({ quick })
    .catch((error: unknown): DrillOutcome => ({ name, ok: false, figures: {}, failures: [String(error)] }))
  const seconds = Math.round((performance.now() - started) / 100) / 10
  report[name] = { ok: outcome.ok, seconds, figures: outcome.figures, failures: outcome.failures }
  console.log(JSON.stringify(outcome.figures, null, 2))
  console.log(`${outcome.ok ? 'passed' : 'FAILED'}: ${name} (${seconds} s)`)
  for (const failure of outcome.failures) console.error(`  - ${failure}`)
  if (!outcome.ok) failed = true
}

writeFileSync('bench/drill.json', `${JSON.stringify(report, null, 2)}\n`)
console.log(failed ? 'drill: FAILED' : 'drill: all passed')
process.exit(failed ? 1 : 0)
