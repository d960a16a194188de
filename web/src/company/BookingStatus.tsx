import type { Booking, Pilot } from '../api.ts'
import { StateBadge } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/**
 * A booking as a pilot's pages give it: with how a cancelled one was cancelled. (Optional, as
 * "More bookings" types its pages as plain bookings, though the server sends it there too.)
 */
export type PilotBooking = Booking & Partial<Pick<Pilot['bookings'][number], 'cancellation'>>

/**
 * A booking's state in words, as its applicant reads it: a cancelled one says whether they
 * withdrew it, the city cancelled it, or it expired undecided.
 */
export function BookingStatus({ booking }: { booking: Pick<PilotBooking, 'state' | 'cancellation'> }) {
  if (booking.state !== 'cancelled' || !booking.cancellation) return <StateBadge state={booking.state} />
  return <span class="badge badge-cancelled">{t(`cancellation.${booking.cancellation}`)}</span>
}
