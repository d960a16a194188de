import type { BookingState, ReviewDecision } from '../../db/types.ts'
import type { Interval } from './intervals.ts'

/** States that hold the facility: a pending request keeps its slot, as in the reference systems. */
export const holdingStates: readonly BookingState[] = ['pending', 'changes_requested', 'approved']

/** The applicant may edit a request until it is decided. */
export function isEditable(state: BookingState): boolean {
  return state === 'pending' || state === 'changes_requested'
}

/** Departments decide while a request is pending; after changes are asked for, the applicant acts first. */
export function isReviewable(state: BookingState): boolean {
  return state === 'pending'
}

/** Withdrawing or revoking is possible until a booking is rejected or cancelled. */
export function isCancellable(state: BookingState): boolean {
  return state === 'pending' || state === 'changes_requested' || state === 'approved'
}

/**
 * A booking's state from its departments' sign-offs: any rejection rejects it, any request for
 * changes sends it back, every approval approves it, otherwise it stays pending.
 */
export function stateFromDecisions(decisions: readonly ReviewDecision[]): BookingState {
  if (decisions.includes('rejected')) return 'rejected'
  if (decisions.includes('changes_requested')) return 'changes_requested'
  if (decisions.length > 0 && decisions.every((d) => d === 'approved')) return 'approved'
  return 'pending'
}

export type Phase = 'upcoming' | 'active' | 'completed'

/** For an approved booking, where the clock stands: before, during or after it. */
export function phaseOf(state: BookingState, span: Interval, now: number): Phase | null {
  if (state !== 'approved') return null
  if (now < span.start) return 'upcoming'
  if (now < span.end) return 'active'
  return 'completed'
}

/** A pilot is active while any approved booking is; else upcoming if one is ahead; else completed. */
export function pilotPhase(phases: readonly (Phase | null)[]): Phase | null {
  if (phases.includes('active')) return 'active'
  if (phases.includes('upcoming')) return 'upcoming'
  if (phases.includes('completed')) return 'completed'
  return null
}
