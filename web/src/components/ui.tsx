import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ApiProblem, type BookingState, cityTimeZone } from '../api.ts'
import { t } from '../i18n.ts'

/** The value of the field (input, select or text area) an input or change event came from. */
export function fieldValue(e: Event): string {
  const field = e.target
  const isField =
    field instanceof HTMLInputElement ||
    field instanceof HTMLSelectElement ||
    field instanceof HTMLTextAreaElement
  return isField ? field.value : ''
}

/** Whether the checkbox an event came from is checked. */
export function fieldChecked(e: Event): boolean {
  return e.target instanceof HTMLInputElement && e.target.checked
}

/** A booking state in words, with a colour that is never the only cue. */
export function StateBadge({ state }: { state: BookingState }) {
  return <span class={`badge badge-${state}`}>{t(state)}</span>
}

/** A labelled form field; the label is what browser tests and screen readers find it by. */
export function Field(props: {
  label: string
  id: string
  children: ComponentChildren
  hint?: string
  error?: string | undefined
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  )
}

/** A status line read out by screen readers when it changes. */
export function Notice({ message, kind = 'info' }: { message: string | undefined; kind?: 'info' | 'error' }) {
  return (
    <p
      class={message ? `notice notice-${kind}` : 'notice-empty'}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      {message ?? ''}
    </p>
  )
}

/** The sentence of an API problem, or of any other failure. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) {
    const fields = error.errors.map((e) => `${e.path}: ${e.message}`).join('; ')
    return fields && !error.message.includes(fields) ? `${error.message} (${fields})` : error.message
  }
  return error instanceof Error ? error.message : String(error)
}

/** Loads data for a page; re-runs when `key` changes. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error: problemText(error), loading: false }),
    )
    return () => {
      live = false
    }
  }, [...key, tick])
  return { ...state, reload: () => setTick((n) => n + 1) }
}

/** Loading and failure states, so that every page says what is happening. */
export function Loading({ error }: { error?: string | undefined }) {
  if (error) return <Notice kind="error" message={t('loadFailed', { reason: error })} />
  return <p role="status">{t('loading')}</p>
}

/** Says in which time zone the page's dates and times are. */
export function ZoneNote() {
  return <p class="hint">{t('timeZoneNote', { zone: cityTimeZone.value })}</p>
}

/** Sets the document title, so that each page is named for screen readers and tabs. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · ${t('appName')}`
  }, [title])
}
