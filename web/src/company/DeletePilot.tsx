import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { ApiProblem, call, client, type Pilot } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { problemText } from '../components/ui.tsx'
import { span } from '../format.ts'
import { t } from '../i18n.ts'
import { store } from '../store.ts'

/** What My pilots says once, after a pilot was deleted on its page. */
export const deletedPilotNotice = store<string | undefined>(undefined)

/**
 * Why the deletion was refused, in the interface language: for a booking approved meanwhile, the
 * sentence and the bookings the server names (by site and time, when the page knows them).
 */
function refusal(err: unknown, pilot: Pilot): string {
  if (!(err instanceof ApiProblem) || err.code !== 'invalid_state') return problemText(err)
  const named = err.errors.slice(0, 5).map((e) => {
    const booking = pilot.bookings.find((b) => `bookings/${b.id}` === e.path)
    return booking ? `${booking.facilityName}, ${span(booking.start, booking.end)}` : e.message
  })
  return [t('pilotDelete.blocked'), ...named].join(' ')
}

/**
 * "Delete pilot" with its confirmation, then back to My pilots. A pilot with an approved booking
 * stays on the public record: it gets a sentence saying so instead of the button (and, should a
 * booking be approved meanwhile, the server's refusal names it in the dialog).
 */
export function DeletePilot({ pilot }: { pilot: Pilot }) {
  const { route } = useLocation()
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string>()
  if (pilot.phase !== null) return <p class="hint">{t('pilotDelete.blocked')}</p>

  async function remove(): Promise<boolean> {
    try {
      await call(client.api.pilots[':id'].$delete({ param: { id: pilot.id } }))
      return true
    } catch (err) {
      setError(refusal(err, pilot))
      return false
    }
  }

  return (
    <>
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t('pilotDelete.open')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('pilotDelete.title', { title: pilot.title })}
        confirmLabel={t('pilotDelete.confirm')}
        cancelLabel={t('pilotDelete.keep')}
        error={error}
        onConfirm={remove}
        // The page goes away: focus the main region that My pilots comes into.
        focusAfterConfirm={() => document.getElementById('main')}
        onDone={() => {
          deletedPilotNotice.value = t('pilotDelete.done', { title: pilot.title })
          route('/my')
        }}
        onClose={() => {
          setOpen(false)
          setError(undefined)
        }}
      >
        <p>{t('pilotDelete.hint')}</p>
      </ConfirmDialog>
    </>
  )
}
