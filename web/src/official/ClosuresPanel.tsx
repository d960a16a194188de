import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Field, fieldValue, Notice, problemText, useLoad } from '../components/ui.tsx'
import { fromLocalInput, span } from '../format.ts'
import { t } from '../i18n.ts'

/** An official's closures of one of their sites: list, add, remove. */
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

  async function add(e: Event) {
    e.preventDefault()
    try {
      await call(
        client.api.facilities[':id'].closures.$post({
          param: { id: facilityId },
          // An incomplete time is left out of the body, and the server's answer says which.
          json: {
            start: fromLocalInput(form.start) as string,
            end: fromLocalInput(form.end) as string,
            reason: form.reason,
          },
        }),
      )
      setForm({ start: '', end: '', reason: '' })
      setMessage({ text: t('saved'), kind: 'info' })
      closures.reload()
      onChange?.()
    } catch (error) {
      setMessage({ text: problemText(error), kind: 'error' })
    }
  }

  async function remove(id: string) {
    try {
      await call(client.api.closures[':id'].$delete({ param: { id } }))
      setMessage({ text: t('done'), kind: 'info' })
      closures.reload()
      onChange?.()
    } catch (error) {
      setMessage({ text: problemText(error), kind: 'error' })
    }
  }

  return (
    <section>
      <h2>{t('closures')}</h2>
      <ul>
        {closures.data?.items.map((c) => (
          <li key={c.id}>
            {span(c.start, c.end)} — {c.reason}{' '}
            {c.facilityId && (
              <button type="button" onClick={() => remove(c.id)}>
                {t('remove')}
              </button>
            )}
          </li>
        ))}
        {closures.data?.items.length === 0 && <li>{t('noClosures')}</li>}
      </ul>
      <form onSubmit={add} class="inline-form">
        <h3>{t('addClosure')}</h3>
        <Field label={t('start')} id="closure-start">
          <input
            id="closure-start"
            type="datetime-local"
            required
            value={form.start}
            onInput={(e) => setForm({ ...form, start: fieldValue(e) })}
          />
        </Field>
        <Field label={t('end')} id="closure-end">
          <input
            id="closure-end"
            type="datetime-local"
            required
            value={form.end}
            onInput={(e) => setForm({ ...form, end: fieldValue(e) })}
          />
        </Field>
        <Field label={t('reason')} id="closure-reason">
          <input
            id="closure-reason"
            required
            value={form.reason}
            onInput={(e) => setForm({ ...form, reason: fieldValue(e) })}
          />
        </Field>
        <button type="submit">{t('addClosure')}</button>
      </form>
      <Notice message={message?.text} kind={message?.kind} />
    </section>
  )
}
