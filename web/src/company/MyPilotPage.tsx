import { useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { type Booking, call, client } from '../api.ts'
import {
  Field,
  fieldValue,
  Loading,
  Notice,
  problemText,
  StateBadge,
  useLoad,
  usePageTitle,
  ZoneNote,
} from '../components/ui.tsx'
import { fromLocalInput, span, toLocalInput } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'

function BookingItem({ booking, onChange }: { booking: Booking; onChange: (message: string) => void }) {
  const [editing, setEditing] = useState(false)
  const [start, setStart] = useState(toLocalInput(booking.start))
  const [end, setEnd] = useState(toLocalInput(booking.end))
  const [error, setError] = useState<string>()
  const editable = booking.state === 'pending' || booking.state === 'changes_requested'
  const cancellable = editable || booking.state === 'approved'
  const idPart = booking.id.slice(0, 8)

  async function save(e: Event) {
    e.preventDefault()
    try {
      await call(
        client.api.bookings[':id'].$patch({
          param: { id: booking.id },
          json: { start: fromLocalInput(start), end: fromLocalInput(end), version: booking.version },
        }),
      )
      setEditing(false)
      onChange(t('saved'))
    } catch (err) {
      setError(problemText(err))
    }
  }

  async function withdraw() {
    try {
      await call(client.api.bookings[':id'].cancel.$post({ param: { id: booking.id }, json: {} }))
      onChange(t('done'))
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <li class="booking">
      <h3>
        <a href={`/sites/${booking.facilityId}`}>{booking.facilityName}</a>{' '}
        <StateBadge state={booking.state} />
      </h3>
      <p>{span(booking.start, booking.end)}</p>
      {booking.cancelReason && (
        <p>
          {t('reason')}: {booking.cancelReason}
        </p>
      )}
      <ul class="plain decisions" aria-label={t('decisions')}>
        {booking.reviews.map((r) => (
          <li key={r.departmentId}>
            {t('decidedBy', { department: r.departmentName, decision: t(r.decision as TextKey) })}
            {r.note && <q>{r.note}</q>}
          </li>
        ))}
      </ul>
      {editing ? (
        <form onSubmit={save} class="inline-form">
          <Field label={t('start')} id={`edit-start-${idPart}`}>
            <input
              id={`edit-start-${idPart}`}
              type="datetime-local"
              required
              value={start}
              onInput={(e) => setStart(fieldValue(e))}
            />
          </Field>
          <Field label={t('end')} id={`edit-end-${idPart}`}>
            <input
              id={`edit-end-${idPart}`}
              type="datetime-local"
              required
              value={end}
              onInput={(e) => setEnd(fieldValue(e))}
            />
          </Field>
          <button type="submit">{t('saveChanges')}</button>
        </form>
      ) : (
        <p class="actions">
          {editable && (
            <button type="button" onClick={() => setEditing(true)}>
              {t('edit')}
            </button>
          )}
          {cancellable && (
            <button type="button" class="secondary" onClick={withdraw}>
              {t('withdraw')}
            </button>
          )}
        </p>
      )}
      <Notice kind="error" message={error} />
    </li>
  )
}

/** One of the company's pilots: its bookings, their states and reasons; edit and withdraw. */
export default function MyPilotPage() {
  const { params } = useRoute()
  const { route } = useLocation()
  const pilot = useLoad(
    () => call(client.api.pilots[':id'].$get({ param: { id: params.id as string } })),
    [params.id],
  )
  const [message, setMessage] = useState<string>()
  usePageTitle(pilot.data?.title ?? t('myPilots'))
  if (!pilot.data) return <Loading error={pilot.error} />
  const p = pilot.data
  return (
    <>
      <h1>{p.title}</h1>
      <p class="lead">{p.summary}</p>
      <p>
        <button type="button" onClick={() => route(`/my/pilots/${p.id}/request`)}>
          {t('requestSlot')}
        </button>{' '}
        <a href={`/pilots/${p.id}`}>{t('pilots')}</a>
      </p>
      <Notice message={message} />
      <h2>{t('bookings')}</h2>
      <ZoneNote />
      <ul class="plain">
        {p.bookings.map((b) => (
          <BookingItem
            key={`${b.id}-${b.version}`}
            booking={b}
            onChange={(text) => {
              setMessage(text)
              pilot.reload()
            }}
          />
        ))}
        {p.bookings.length === 0 && <li>{t('noBookings')}</li>}
      </ul>
    </>
  )
}
