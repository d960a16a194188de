import { useEffect, useState } from 'preact/hooks'
import { type Booking, call, client, type Pilot } from '../api.ts'
import { Notice, problemText } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/** The element id of a booking's row, so that focus can move to it. */
export const bookingRowId = (id: string) => `booking-${id}`

interface Loaded {
  /** The pilot answer these pages follow; a reloaded pilot starts again from its first page. */
  of: Pilot
  items: Booking[]
  cursor: string | null
}

function nextPage(pilotId: string, cursor: string) {
  return call(client.api.pilots[':id'].bookings.$get({ param: { id: pilotId }, query: { cursor } }))
}

/**
 * A pilot's bookings, page by page: the first page comes with the pilot, `more` appends the
 * next. The status line says how many are shown; when the last page arrives the button goes
 * away, so focus moves to the first booking it brought instead of being lost.
 */
export function usePilotBookings(pilot: Pilot | undefined) {
  const [loaded, setLoaded] = useState<Loaded>()
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<{ message?: string; error?: string; focus?: string }>({})
  const current = pilot && loaded?.of === pilot ? loaded : undefined
  const bookings = pilot ? [...pilot.bookings, ...(current?.items ?? [])] : []
  const cursor = current ? current.cursor : (pilot?.bookingsCursor ?? null)
  const total = pilot?.bookingsTotal ?? 0
  useEffect(() => {
    if (status.focus) document.getElementById(bookingRowId(status.focus))?.focus()
  }, [status.focus])

  async function more() {
    if (!pilot || !cursor || busy) return
    setBusy(true)
    try {
      const page = await nextPage(pilot.id, cursor)
      setLoaded({ of: pilot, items: [...(current?.items ?? []), ...page.items], cursor: page.nextCursor })
      const shown = bookings.length + page.items.length
      const message = t('moreBookingsLoaded', { count: page.items.length, shown, total })
      setStatus({ message, ...(page.nextCursor === null ? { focus: page.items[0]?.id } : {}) })
    } catch (err) {
      setStatus({ error: problemText(err) })
    } finally {
      setBusy(false)
    }
  }
  return { bookings, total, hasMore: cursor !== null, busy, status, more }
}

/** Below a pilot's bookings: how many are shown (read out as it changes) and the "More bookings" button. */
export function MoreBookings({ paging }: { paging: ReturnType<typeof usePilotBookings> }) {
  const { bookings, total, hasMore, busy, status, more } = paging
  const paged = hasMore || status.message !== undefined
  return (
    <div class="more-bookings">
      <Notice
        message={
          paged ? (status.message ?? t('bookingsShown', { shown: bookings.length, total })) : undefined
        }
      />
      {hasMore && (
        // aria-disabled, not disabled: a disabled button would drop the keyboard focus while it loads.
        <button type="button" aria-disabled={busy} onClick={more}>
          {busy ? t('loading') : t('moreBookings')}
        </button>
      )}
      <Notice kind="error" message={status.error} />
    </div>
  )
}
