import type { ComponentChildren } from 'preact'
import { Field, fieldValue } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/** A pilot's texts as its forms hold them (`website` empty for none). */
export interface PilotTexts {
  title: string
  summary: string
  publicDescription: string
  dataCollected: string
  contactEmail: string
  website: string
}

/**
 * The fields of a pilot's texts, shared by the new-pilot form and the edit form. `afterSummary`
 * goes between the summary and the description (the new-pilot form's category).
 */
export function PilotFields(props: {
  form: PilotTexts
  onChange: (form: PilotTexts) => void
  afterSummary?: ComponentChildren
}) {
  const { form } = props
  const set = (key: keyof PilotTexts) => (e: Event) => props.onChange({ ...form, [key]: fieldValue(e) })
  return (
    <>
      <Field label={t('title')} id="pilot-title">
        <input id="pilot-title" required maxLength={200} value={form.title} onInput={set('title')} />
      </Field>
      <Field label={t('summary')} id="pilot-summary">
        <input id="pilot-summary" required maxLength={1000} value={form.summary} onInput={set('summary')} />
      </Field>
      {props.afterSummary}
      <Field label={t('publicDescription')} id="pilot-description">
        <textarea
          id="pilot-description"
          required
          rows={5}
          value={form.publicDescription}
          onInput={set('publicDescription')}
        />
      </Field>
      <Field label={t('dataCollected')} id="pilot-data">
        <textarea
          id="pilot-data"
          required
          rows={3}
          value={form.dataCollected}
          onInput={set('dataCollected')}
        />
      </Field>
      <Field label={t('contactEmail')} id="pilot-contact">
        <input
          id="pilot-contact"
          type="email"
          required
          value={form.contactEmail}
          onInput={set('contactEmail')}
        />
      </Field>
      <Field label={t('website')} id="pilot-website">
        <input id="pilot-website" type="url" value={form.website} onInput={set('website')} />
      </Field>
    </>
  )
}
