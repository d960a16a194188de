/**
 * The machine's clock, read in one place. Everything else takes the time from the clock it is
 * given (`AppDeps.now`, the CLI's and the maintenance run's `now`), so that tests run the same
 * code on a fixed clock they move themselves.
 */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
