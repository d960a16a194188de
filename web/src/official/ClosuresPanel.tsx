import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { Notice, problemText, useLoad } from '../components/ui.tsx'
import { fromLocalInput, span } from '../format.ts'
import { t } from '../i18n.ts'
import { useOverlapWarning } from './ClosureOverlaps.tsx'
import { ClosureTimeFields } from './ClosureTimeFields.tsx'

/** An official's closures of one of their sites: list, add (warned of the bookings it meets), remove (confirmed). */
export function ClosuresPanel({ facilityId, onChange }: { facilityId: string; onChange?: () => void }) {
  const closures = useLoad(
    () =>
      call(
        client.api.facilities[':id'].closures.$get({
          param: { id: facilityId },
          query: { from: new Date().toISOString() },
        }),
      ),
    [facilityId],
  )
  const [form, setForm] = useState({ start: '', end: '', reason: '' })
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()

  const saved = () => {
    setForm({ start: '', end: '', reason: '' })
    setMessage({ text: t('saved'), kind: 'info' })
    closures.reload()
    onChange?.()
  }
  const warning = useOverlapWarning(saved)

  async function add(e: Event) {
    e.preventDefault()
    // An incomplete time is left out of the body, and the server's answer says which.
    const json = {
      start: fromLocalInput(form.start) as string,
      end: fromLocalInput(form.end) as string,
      reason: form.reason,
    }
    try {
      await warning.saveChecked({ facilityId, start: json.start, end: json.end }, () =>
        call(client.api.facilities[':id'].closures.$post({ param: { id: facilityId }, json })),
      )
    } catch (error) {
      setMessage({ text: problemText(error), kind: 'error' })
    }
  }

  const [removing, setRemoving] = useState<{ id: string; when: string; reason: string }>()
  const [removeError, setRemoveError] = useState<string>()
  async function remove() {
    try {
      if (removing) await call(client.api.closures[':id'].$delete({ param: { id: removing.id } }))
      return true
    } catch (error) {
      setRemoveError(problemText(error))
      return false
    }
  }
  function removed() {
    setMessage({ text: t('done'), kind: 'info' })
    closures.reload()
    onChange?.()
  }

  return (
    <section>
      <h2>{t('closures')}</h2>
      <ul>
        {closures.data?.items.map((c) => (
          <li key={c.id}>
            {span(c.start, c.end)} — {c.reason}{' '}
            {c.facilityId && (
              <button
                type="button"
                aria-label={t('closures.deleteOf', { place: t('site'), when: span(c.start, c.end) })}
                onClick={() => setRemoving({ id: c.id, when: span(c.start, c.end), reason: c.reason })}
              >
                {t('remove')}
              </button>
            )}
          </li>
        ))}
        {closures.data?.items.length === 0 && <li>{t('noClosures')}</li>}
      </ul>
      <form onSubmit={add} class="inline-form">
        <h3>{t('addClosure')}</h3>
        <ClosureTimeFields value={form} onChange={(time) => setForm({ ...form, ...time })} />
        <button type="submit">{t('addClosure')}</button>
      </form>
      <Notice message={message?.text} kind={message?.kind} />
      {warning.dialog}
      <ConfirmDialog
        open={!!removing}
        title={t('closures.deleteTitle')}
        confirmLabel={t('closures.deleteConfirm')}
        cancelLabel={t('closures.keep')}
        error={removeError}
        onConfirm={remove}
        focusAfterConfirm={() => document.getElementById('main')}
        onDone={removed}
        onClose={() => {
          setRemoving(undefined)
          setRemoveError(undefined)
        }}
      >
        <p>
          {removing?.when} — {removing?.reason}
        </p>
      </ConfirmDialog>
    </section>
  )
}
