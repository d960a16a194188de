import type { InferRequestType } from 'hono/client'
import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { CategoryOptions } from '../components/options.tsx'
import { Field, fieldValue, Notice, problemText, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { useStore } from '../store.ts'

type Category = InferRequestType<typeof client.api.pilots.$post>['json']['category']

/** A company describes a new pilot: what is tested, why, and which data it collects. */
export default function NewPilotPage() {
  usePageTitle(t('newPilot'))
  const { route } = useLocation()
  const user = useStore(me)
  const [form, setForm] = useState({
    title: '',
    summary: '',
    category: 'lighting',
    publicDescription: '',
    dataCollected: '',
    contactEmail: user?.email ?? '',
    website: '',
  })
  const [error, setError] = useState<string>()
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: fieldValue(e) })

  async function submit(e: Event) {
    e.preventDefault()
    try {
      const { website, ...rest } = form
      const pilot = await call(
        client.api.pilots.$post({
          json: { ...rest, category: rest.category as Category, ...(website ? { website } : {}) },
        }),
      )
      route(`/my/pilots/${pilot.id}`)
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <>
      <h1>{t('newPilot')}</h1>
      <form onSubmit={submit} class="stack">
        <Field label={t('title')} id="pilot-title">
          <input id="pilot-title" required maxLength={200} value={form.title} onInput={set('title')} />
        </Field>
        <Field label={t('summary')} id="pilot-summary">
          <input id="pilot-summary" required maxLength={1000} value={form.summary} onInput={set('summary')} />
        </Field>
        <Field label={t('category')} id="pilot-category">
          <select id="pilot-category" value={form.category} onChange={set('category')}>
            <CategoryOptions />
          </select>
        </Field>
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
        <button type="submit">{t('create')}</button>
        <Notice kind="error" message={error} />
      </form>
    </>
  )
}
