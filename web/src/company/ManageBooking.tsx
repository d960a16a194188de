import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiProblem, call, client } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { Field, fieldValue, Notice, problemText, useLoad } from '../components/ui.tsx'
import { fromLocalInput, span, toLocalInput } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'
import { bookingRowId } from '../public/MoreBookings.tsx'
import { BookingStatus, type PilotBooking } from './BookingStatus.tsx'
import { useRuleCheck } from './useRuleCheck.ts'

/**
 * What a booking's row and its page tell each other: a change succeeded (with the words to say
 * so), the booking is stale; and how many changes on the page have succeeded, each of which
 * clears an old error.
 */
interface RowEvents {
  onChanged: (message: string) => void
  onStale: () => void
  successes: number
}

/** An error message that goes when a later change on the page succeeds. */
function usePageError(successes: number) {
  const [error, setError] = useState<string>()
  useEffect(() => setError(undefined), [successes])
  return [error, setError] as const
}

/** The new times of a pending request, checked live as on the request form, then sent with the version read. */
function EditTimes(props: { booking: PilotBooking; onClose: () => void } & RowEvents) {
  const { booking } = props
  const site = useLoad(
    () => call(client.api.facilities[':id'].$get({ param: { id: booking.facilityId } })),
    [booking.facilityId],
  )
  const [start, setStart] = useState(toLocalInput(booking.start))
  const [end, setEnd] = useState(toLocalInput(booking.end))
  const [error, setError] = usePageError(props.successes)
  const own = useMemo(
    () => ({ start: Date.parse(booking.start), end: Date.parse(booking.end) }),
    [booking.start, booking.end],
  )
  const check = useRuleCheck(site.data, start, end, own)
  const idPart = booking.id.slice(0, 8)

  async function save(e: Event) {
    e.preventDefault()
    const json = { start: fromLocalInput(start), end: fromLocalInput(end), version: booking.version }
    try {
      await call(client.api.bookings[':id'].$patch({ param: { id: booking.id }, json }))
      props.onChanged(t('editTimes.saved'))
      props.onClose()
    } catch (err) {
      const stale = err instanceof ApiProblem && err.code === 'version_conflict'
      setError(stale ? t('editTimes.stale') : problemText(err))
      if (stale) props.onStale()
    }
  }

  // An old refusal goes as soon as the times it was about change.
  const change = (set: (value: string) => void) => (e: Event) => {
    set(fieldValue(e))
    setError(undefined)
  }
  return (
    <form onSubmit={save} class="inline-form">
      <Field label={t('start')} id={`edit-start-${idPart}`}>
        <input
          id={`edit-start-${idPart}`}
          type="datetime-local"
          required
          value={start}
          onInput={change(setStart)}
        />
      </Field>
      <Field label={t('end')} id={`edit-end-${idPart}`}>
        <input
          id={`edit-end-${idPart}`}
          type="datetime-local"
          required
          value={end}
          onInput={change(setEnd)}
        />
      </Field>
      <div role="status" aria-live="polite" class="checks-result">
        {check.problems.map((p) => (
          <p class="error" key={p}>
            {p}
          </p>
        ))}
        {check.checked && check.problems.length === 0 && <p class="ok">{t('checksPass')}</p>}
      </div>
      <button type="submit">{t('saveChanges')}</button>{' '}
      <button type="button" class="secondary" onClick={props.onClose}>
        {t('editTimes.discard')}
      </button>
      <Notice kind="error" message={error} />
    </form>
  )
}

/** For an occurrence of a series: withdraw only it, or every occurrence of the series not yet ended. */
function SeriesChoice(props: { idPart: string; whole: boolean; onChange: (whole: boolean) => void }) {
  const name = `withdraw-scope-${props.idPart}`
  return (
    <fieldset class="checks">
      <legend>{t('withdraw.scope')}</legend>
      <label>
        <input type="radio" name={name} checked={!props.whole} onChange={() => props.onChange(false)} />{' '}
        {t('withdraw.onlyThis')}
      </label>
      <label>
        <input type="radio" name={name} checked={props.whole} onChange={() => props.onChange(true)} />{' '}
        {t('withdraw.wholeSeries')}
      </label>
    </fieldset>
  )
}

/** "Withdraw" and its confirmation, with an optional reason for the officials (and, in a series, how much). */
function Withdraw(props: { booking: PilotBooking } & RowEvents) {
  const { booking } = props
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [whole, setWhole] = useState(false)
  const [error, setError] = usePageError(props.successes)
  const idPart = booking.id.slice(0, 8)
  const seriesId = booking.seriesId

  async function withdraw(): Promise<boolean> {
    const json = reason.trim() ? { reason: reason.trim() } : {}
    try {
      if (whole && seriesId)
        await call(client.api.series[':id'].cancel.$post({ param: { id: seriesId }, json }))
      else await call(client.api.bookings[':id'].cancel.$post({ param: { id: booking.id }, json }))
      return true
    } catch (err) {
      setError(problemText(err))
      if (err instanceof ApiProblem && err.status === 409) props.onStale()
      return false
    }
  }

  return (
    <>
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t('withdraw')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('withdraw.title')}
        confirmLabel={t('withdraw')}
        cancelLabel={t('withdraw.keep')}
        error={error}
        onConfirm={withdraw}
        onDone={() => props.onChanged(t(whole && seriesId ? 'withdraw.seriesDone' : 'withdraw.done'))}
        onClose={() => {
          setOpen(false)
          setError(undefined)
        }}
        focusAfterConfirm={() => document.getElementById(bookingRowId(booking.id))}
      >
        <p>
          {booking.facilityName}: {span(booking.start, booking.end)}
        </p>
        <p class="hint">{t('withdraw.hint')}</p>
        {seriesId && <SeriesChoice idPart={idPart} whole={whole} onChange={setWhole} />}
        <Field label={t('withdraw.reason')} id={`withdraw-reason-${idPart}`}>
          <textarea
            id={`withdraw-reason-${idPart}`}
            rows={3}
            maxLength={2000}
            value={reason}
            onInput={(e) => {
              setReason(fieldValue(e))
              setError(undefined)
            }}
          />
        </Field>
      </ConfirmDialog>
    </>
  )
}

/** The sign-offs worth showing: all while the booking is open; once it is closed, those that were given. */
function shownReviews(booking: PilotBooking) {
  const open = booking.state === 'pending' || booking.state === 'changes_requested'
  return open ? booking.reviews : booking.reviews.filter((r) => r.decision !== 'pending')
}

/**
 * One booking on its pilot's page, for the company: its state in words, reasons and decisions;
 * change the times of an open request, withdraw one that has not ended.
 */
export function BookingItem(props: { booking: PilotBooking } & RowEvents) {
  const { booking } = props
  const [editing, setEditing] = useState(false)
  const editable = booking.state === 'pending' || booking.state === 'changes_requested'
  const withdrawable = editable || (booking.state === 'approved' && booking.phase !== 'completed')
  return (
    <li class="booking" id={bookingRowId(booking.id)} tabIndex={-1}>
      <h3>
        <a href={`/sites/${booking.facilityId}`}>{booking.facilityName}</a>{' '}
        <BookingStatus booking={booking} />
      </h3>
      <p>{span(booking.start, booking.end)}</p>
      {booking.cancelReason && (
        <p>
          {t('reason')}: {booking.cancelReason}
        </p>
      )}
      <ul class="plain decisions" aria-label={t('decisions')}>
        {shownReviews(booking).map((r) => (
          <li key={r.departmentId}>
            {t('decidedBy', { department: r.departmentName, decision: t(r.decision as TextKey) })}
            {r.note && <q>{r.note}</q>}
          </li>
        ))}
      </ul>
      {editing && editable ? (
        <EditTimes {...props} onClose={() => setEditing(false)} />
      ) : (
        <div class="actions">
          {editable && (
            <button type="button" onClick={() => setEditing(true)}>
              {t('edit')}
            </button>
          )}{' '}
          {withdrawable && <Withdraw {...props} />}
        </div>
      )}
    </li>
  )
}
