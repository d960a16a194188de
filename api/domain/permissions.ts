import type { SessionUser } from '../lib/context.ts'

/** Which unpublished catalogue entries a caller may see besides the published ones. */
export type UnpublishedScope =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'department'; departmentId: string }

/** Admins see every draft; officials their own department's; everyone else only what is published. */
export function unpublishedScope(user: SessionUser | null): UnpublishedScope {
  if (user?.role === 'admin') return { kind: 'all' }
  if (user?.role === 'official' && user.departmentId)
    return { kind: 'department', departmentId: user.departmentId }
  return { kind: 'none' }
}

/** Whether a scope lets a caller see a facility: published, or a draft the scope covers. */
export function seesFacility(
  scope: UnpublishedScope,
  facility: { published: boolean; departmentId: string; areaDepartmentId: string },
): boolean {
  if (facility.published || scope.kind === 'all') return true
  return (
    scope.kind === 'department' &&
    [facility.departmentId, facility.areaDepartmentId].includes(scope.departmentId)
  )
}

/** May this user change the catalogue entries a department manages? Admins, and that department's officials. */
export function managesDepartment(user: SessionUser | null, departmentId: string): boolean {
  if (!user) return false
  return user.role === 'admin' || (user.role === 'official' && user.departmentId === departmentId)
}

/** What one caller may see of a booking: everything (a party to it), the public view, or nothing. */
export type BookingAccess = 'party' | 'public' | 'none'

/**
 * The parties to a booking are its pilot's organisation, the departments that must sign it off,
 * and admins; anyone may see an approved booking's public view; nobody else sees it at all.
 */
export function bookingAccess(
  user: SessionUser | null,
  booking: { organisationId: string; requiredDepartmentIds: readonly string[]; state: string },
): BookingAccess {
  if (user?.role === 'admin') return 'party'
  if (user?.role === 'company' && user.organisationId === booking.organisationId) return 'party'
  if (
    user?.role === 'official' &&
    user.departmentId &&
    booking.requiredDepartmentIds.includes(user.departmentId)
  ) {
    return 'party'
  }
  return booking.state === 'approved' ? 'public' : 'none'
}
