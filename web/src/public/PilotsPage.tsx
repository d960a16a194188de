import { useState } from 'preact/hooks'
import { call, client, type Pilot } from '../api.ts'
import { Field, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'

type Phase = NonNullable<Pilot['phase']>

/** Public pilots: who tests what, by phase. */
export default function PilotsPage() {
  usePageTitle(t('pilots'))
  const [phase, setPhase] = useState<Phase | ''>('')
  const pilots = useLoad(
    () => call(client.api.pilots.$get({ query: { limit: '500', phase: phase || undefined } })),
    [phase],
  )
  return (
    <>
      <h1>{t('pilots')}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filters')}>
        <Field label={t('phase')} id="pilot-phase">
          <select id="pilot-phase" value={phase} onChange={(e) => setPhase(fieldValue(e) as Phase | '')}>
            <option value="">{t('all')}</option>
            <option value="active">{t('active')}</option>
            <option value="upcoming">{t('upcoming')}</option>
            <option value="completed">{t('completed')}</option>
          </select>
        </Field>
      </form>
      {!pilots.data ? (
        <Loading error={pilots.error} />
      ) : (
        <ul class="cards" aria-live="polite">
          {pilots.data.items.map((p) => (
            <li key={p.id} class="card">
              <h2>
                <a href={`/pilots/${p.id}`}>{p.title}</a>
              </h2>
              <p class="meta">
                {p.organisationName} · {t(`category.${p.category}` as TextKey)}
                {p.phase && ` · ${t(p.phase)}`}
              </p>
              <p>{p.summary}</p>
            </li>
          ))}
          {pilots.data.items.length === 0 && <li>{t('noPilots')}</li>}
        </ul>
      )}
    </>
  )
}
