import { useState } from 'preact/hooks'
import { Field, fieldValue, Notice } from '../../components/ui.tsx'
import { t } from '../../i18n.ts'
import type { Decision } from './model.ts'

/**
 * One note and three decisions for every picked row. The note is required unless approving, as
 * the API says; it is checked here first so that nothing is sent without it.
 */
export function DecisionControls(props: {
  id: string
  count: number
  labels: Record<Decision, string>
  decide: (decision: Decision, note: string) => Promise<void>
}) {
  const [note, setNote] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  async function run(decision: Decision) {
    if (decision !== 'approve' && !note.trim()) return setError(t('noteRequired'))
    setError(undefined)
    setBusy(true)
    try {
      await props.decide(decision, note.trim())
      setNote('')
    } finally {
      setBusy(false)
    }
  }
  const disabled = busy || props.count === 0
  return (
    <div class="decide">
      <Field label={t('note')} id={props.id} hint={t('queue.noteHint')}>
        <textarea
          id={props.id}
          rows={2}
          value={note}
          onInput={(e) => setNote(fieldValue(e))}
          aria-describedby={`${props.id}-hint`}
        />
      </Field>
      <p class="actions">
        <button type="button" disabled={disabled} onClick={() => run('approve')}>
          {props.labels.approve}
        </button>
        <button type="button" class="secondary" disabled={disabled} onClick={() => run('request_changes')}>
          {props.labels.request_changes}
        </button>
        <button type="button" class="danger" disabled={disabled} onClick={() => run('reject')}>
          {props.labels.reject}
        </button>
      </p>
      <Notice kind="error" message={error} />
    </div>
  )
}

/** The bulk decision for the picked rows. */
export function BulkBar(props: {
  count: number
  decide: (decision: Decision, note: string) => Promise<void>
}) {
  return (
    <section class="bulk" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t('queue.selected', { count: props.count })}</h2>
      <DecisionControls
        id="bulk-note"
        count={props.count}
        labels={{
          approve: t('queue.approveSelected'),
          request_changes: t('queue.changesSelected'),
          reject: t('queue.rejectSelected'),
        }}
        decide={props.decide}
      />
    </section>
  )
}
