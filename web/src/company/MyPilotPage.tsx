import { useRef, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { call, client } from '../api.ts'
import { FeedbackList } from '../components/FeedbackList.tsx'
import { Loading, Notice, useLoad, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { MoreBookings, usePilotBookings } from '../public/MoreBookings.tsx'
import { DeletePilot } from './DeletePilot.tsx'
import { DocumentsSection } from './DocumentsSection.tsx'
import { EditPilotForm } from './EditPilotForm.tsx'
import { BookingItem } from './ManageBooking.tsx'
import { ResultsSection } from './ResultsSection.tsx'

/**
 * One of the company's pilots: edit its texts or delete it; its bookings, their states and
 * reasons; change an open request's times, withdraw a booking. A change that succeeds says so
 * and clears the page's old errors.
 */
export default function MyPilotPage() {
  const { params } = useRoute()
  const { route } = useLocation()
  const pilot = useLoad(
    () => call(client.api.pilots[':id'].$get({ param: { id: params.id as string } })),
    [params.id],
  )
  const [message, setMessage] = useState<string>()
  const [successes, setSuccesses] = useState(0)
  const [editing, setEditing] = useState(false)
  const editButton = useRef<HTMLButtonElement>(null)
  const paging = usePilotBookings(pilot.data)
  usePageTitle(pilot.data?.title ?? t('myPilots'))
  if (!pilot.data) return <Loading error={pilot.error} />
  const p = pilot.data

  const succeeded = (text: string) => {
    setMessage(text)
    setSuccesses((n) => n + 1)
    pilot.reload()
  }
  const closeEditor = () => {
    setEditing(false)
    // The button is back once the form is gone.
    setTimeout(() => editButton.current?.focus())
  }
  const stale = () => {
    setMessage(undefined)
    pilot.reload()
  }
  return (
    <>
      <h1>{p.title}</h1>
      <p class="lead">{p.summary}</p>
      <div class="actions">
        <button type="button" onClick={() => route(`/my/pilots/${p.id}/request`)}>
          {t('requestSlot')}
        </button>{' '}
        <a href={`/pilots/${p.id}`}>{t('pilots')}</a>{' '}
        {!editing && (
          <button ref={editButton} type="button" class="secondary" onClick={() => setEditing(true)}>
            {t('pilotEdit.open')}
          </button>
        )}{' '}
        <DeletePilot pilot={p} />
      </div>
      <Notice message={message} />
      {editing && (
        <EditPilotForm
          pilot={p}
          onSaved={() => {
            succeeded(t('saved'))
            closeEditor()
          }}
          onStale={stale}
          onClose={closeEditor}
        />
      )}
      <h2>{t('bookings')}</h2>
      <ZoneNote />
      <ul class="plain">
        {paging.bookings.map((b) => (
          <BookingItem key={b.id} booking={b} successes={successes} onChanged={succeeded} onStale={stale} />
        ))}
        {paging.bookings.length === 0 && <li>{t('noBookings')}</li>}
      </ul>
      <MoreBookings paging={paging} />
      <DocumentsSection pilotId={p.id} />
      <ResultsSection pilotId={p.id} results={p.results} />
      <section aria-labelledby="feedback-heading">
        <h2 id="feedback-heading">{t('feedback.heading')}</h2>
        <p class="hint">{t('feedback.private')}</p>
        <FeedbackList pilotId={p.id} id="pilot-feedback" />
      </section>
    </>
  )
}
