import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiProblem, call, client, type Pilot } from '../api.ts'
import { Field, fieldValue, Notice, problemText } from '../components/ui.tsx'
import { dateTime } from '../format.ts'
import { t } from '../i18n.ts'

/** Whether a failure is the API saying "not yet": no approved booking of the pilot has started. */
const tooEarly = (error: unknown) => error instanceof ApiProblem && error.status === 409

/** Results as the pilot's answer carries them (asking for them apart would answer 404 until published). */
type Results = NonNullable<Pilot['results']>

function ResultsForm(props: {
  pilotId: string
  results: Results | null
  onSaved: (saved: Results, message: string) => void
  onTooEarly: () => void
  onCancel: () => void
}) {
  const [form, setForm] = useState({
    summary: props.results?.summary ?? '',
    findings: props.results?.findings ?? '',
    dataUrl: props.results?.dataUrl ?? '',
  })
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const set = (key: keyof typeof form) => (e: Event) => setForm((f) => ({ ...f, [key]: fieldValue(e) }))

  async function submit(e: Event) {
    e.preventDefault()
    setBusy(true)
    try {
      const dataUrl = form.dataUrl.trim()
      const saved = await call(
        client.api.pilots[':id'].results.$post({
          param: { id: props.pilotId },
          json: { summary: form.summary, findings: form.findings, dataUrl: dataUrl || null },
        }),
      )
      props.onSaved(saved, t(props.results ? 'results.replaced' : 'results.published'))
    } catch (err) {
      if (tooEarly(err)) props.onTooEarly()
      else setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="stack narrow" onSubmit={submit} aria-labelledby="results-form-heading">
      <h3 id="results-form-heading" tabIndex={-1}>
        {props.results ? t('results.edit') : t('results.publish')}
      </h3>
      {props.results && <p class="hint">{t('results.replaceHint')}</p>}
      <Field label={t('results.summary')} id="results-summary">
        <textarea
          id="results-summary"
          rows={3}
          required
          maxLength={2000}
          value={form.summary}
          onInput={set('summary')}
        />
      </Field>
      <Field label={t('results.findings')} id="results-findings">
        <textarea
          id="results-findings"
          rows={8}
          required
          maxLength={20000}
          value={form.findings}
          onInput={set('findings')}
        />
      </Field>
      <Field label={t('results.dataUrl')} id="results-data-url" hint={t('results.dataUrlHint')}>
        <input
          id="results-data-url"
          type="url"
          maxLength={500}
          aria-describedby="results-data-url-hint"
          value={form.dataUrl}
          onInput={set('dataUrl')}
        />
      </Field>
      <Notice kind="error" message={error} />
      <p class="actions">
        <button type="submit" disabled={busy}>
          {props.results ? t('results.saveReplace') : t('results.publish')}
        </button>{' '}
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('adm.cancel')}
        </button>
      </p>
    </form>
  )
}

/**
 * The results of one of the company's pilots (issue 18): what it found, and where its open data
 * is. They can be published once the pilot's first approved booking has started (until then the
 * API answers 409 and the section says so); publishing again replaces them.
 */
export function ResultsSection({ pilotId, results }: { pilotId: string; results: Results | null }) {
  const [current, setCurrent] = useState(results)
  // A reloaded pilot brings its results afresh.
  useEffect(() => setCurrent(results), [results])
  const [editing, setEditing] = useState(false)
  const [message, setMessage] = useState<string>()
  const [notYet, setNotYet] = useState(false)
  const openButton = useRef<HTMLButtonElement>(null)
  const focusSoon = (find: () => HTMLElement | null | undefined) =>
    requestAnimationFrame(() => find()?.focus())
  const open = () => {
    setEditing(true)
    setMessage(undefined)
    focusSoon(() => document.getElementById('results-form-heading'))
  }
  const close = () => {
    setEditing(false)
    focusSoon(() => openButton.current)
  }
  const saved = (published: Results, text: string) => {
    setCurrent(published)
    setMessage(text)
    setNotYet(false)
    close()
  }
  const tooEarlyNow = () => {
    setNotYet(true)
    setEditing(false)
    // The open button goes away with the form: the heading, then the notice, come next.
    focusSoon(() => document.getElementById('results-heading'))
  }
  const blocked = notYet && !current

  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" tabIndex={-1}>
        {t('results.heading')}
      </h2>
      <Notice message={message} />
      {blocked && <Notice kind="error" message={t('results.notYet')} />}
      {current ? (
        <div class="stack">
          <p>{current.summary}</p>
          <h3>{t('results.findings')}</h3>
          <p style={{ whiteSpace: 'pre-line' }}>{current.findings}</p>
          {current.dataUrl && (
            <p>
              <a href={current.dataUrl} rel="noopener noreferrer">
                {t('results.openData')}
              </a>
            </p>
          )}
          <p class="hint">{t('results.updatedAt', { when: dateTime(current.updatedAt) })}</p>
        </div>
      ) : (
        !blocked && <p>{t('results.none')}</p>
      )}
      {editing ? (
        <ResultsForm
          pilotId={pilotId}
          results={current}
          onSaved={saved}
          onTooEarly={tooEarlyNow}
          onCancel={close}
        />
      ) : (
        !blocked && (
          <button ref={openButton} type="button" class="secondary" onClick={open}>
            {current ? t('results.edit') : t('results.publish')}
          </button>
        )
      )}
    </section>
  )
}
