import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiProblem, call, client, type Pilot } from '../api.ts'
import { Notice, problemText } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { PilotFields, type PilotTexts } from './PilotFields.tsx'

function textsOf(pilot: Pilot): PilotTexts {
  return {
    title: pilot.title,
    summary: pilot.summary,
    publicDescription: pilot.publicDescription,
    dataCollected: pilot.dataCollected,
    contactEmail: pilot.contactEmail,
    website: pilot.website ?? '',
  }
}

/**
 * A pilot's texts, changed in place and saved with the version the page read. When someone
 * changed the pilot meanwhile (409), the page reloads it (`onStale`) and the form keeps what the
 * user typed, so that saving again, now on the current version, is a deliberate second step.
 */
export function EditPilotForm(props: {
  pilot: Pilot
  onSaved: () => void
  onStale: () => void
  onClose: () => void
}) {
  const [form, setForm] = useState(() => textsOf(props.pilot))
  const [error, setError] = useState<string>()
  const first = useRef<HTMLFormElement>(null)
  useEffect(() => first.current?.querySelector('input')?.focus(), [])

  async function save(e: Event) {
    e.preventDefault()
    const { website, ...rest } = form
    const json = { ...rest, website: website.trim() ? website.trim() : null, version: props.pilot.version }
    try {
      await call(client.api.pilots[':id'].$patch({ param: { id: props.pilot.id }, json }))
      props.onSaved()
    } catch (err) {
      const stale = err instanceof ApiProblem && err.code === 'version_conflict'
      setError(stale ? t('pilotEdit.stale') : problemText(err))
      if (stale) props.onStale()
    }
  }

  return (
    <section aria-labelledby="edit-pilot-heading">
      <h2 id="edit-pilot-heading">{t('pilotEdit.open')}</h2>
      <form ref={first} onSubmit={save} class="stack">
        <PilotFields
          form={form}
          onChange={(next) => {
            setForm(next)
            setError(undefined)
          }}
        />
        <p class="actions">
          <button type="submit">{t('saveChanges')}</button>{' '}
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('pilotEdit.discard')}
          </button>
        </p>
        <Notice kind="error" message={error} />
      </form>
    </section>
  )
}
