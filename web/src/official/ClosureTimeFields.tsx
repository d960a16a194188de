import { Field, fieldValue } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/** What a closure form asks of its time: local date-times and the reason residents will read. */
export interface ClosureTime {
  start: string
  end: string
  reason: string
}

/**
 * The start, end and reason fields of a closure, as the closures page and a site's closures
 * panel both ask them.
 *
 * @example
 * <ClosureTimeFields value={form} onChange={(time) => setForm({ ...form, ...time })} />
 */
export function ClosureTimeFields(props: { value: ClosureTime; onChange: (time: ClosureTime) => void }) {
  const { value, onChange } = props
  const set = (key: keyof ClosureTime) => (e: Event) => onChange({ ...value, [key]: fieldValue(e) })
  return (
    <>
      <Field label={t('start')} id="closure-start">
        <input id="closure-start" type="datetime-local" required value={value.start} onInput={set('start')} />
      </Field>
      <Field label={t('end')} id="closure-end">
        <input id="closure-end" type="datetime-local" required value={value.end} onInput={set('end')} />
      </Field>
      <Field label={t('reason')} id="closure-reason">
        <input id="closure-reason" required value={value.reason} onInput={set('reason')} />
      </Field>
    </>
  )
}
