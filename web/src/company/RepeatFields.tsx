import { useEffect, useState } from 'preact/hooks'
import { occupiedSpan } from '../../../api/domain/booking-rules.ts'
import type { Interval } from '../../../api/domain/intervals.ts'
import { occurrences, type Recurrence } from '../../../api/domain/recurrence.ts'
import { cityTimeZone, type Facility } from '../api.ts'
import { Field, fieldChecked, fieldValue } from '../components/ui.tsx'
import { fromLocalInput, span } from '../format.ts'
import { lang, type TextKey, t } from '../i18n.ts'
import { judge, readSite } from './useRuleCheck.ts'

export interface RepeatChoice {
  frequency: '' | 'daily' | 'weekly'
  interval: string
  weekdays: number[]
  until: string
}

export const noRepeat: RepeatChoice = { frequency: '', interval: '1', weekdays: [], until: '' }

/** The recurrence to send, or undefined when the request does not repeat. */
export function recurrenceOf(choice: RepeatChoice): (Recurrence & { weekdays?: number[] }) | undefined {
  if (!choice.frequency) return undefined
  return {
    frequency: choice.frequency,
    ...(Number(choice.interval) > 1 ? { interval: Number(choice.interval) } : {}),
    ...(choice.frequency === 'weekly' && choice.weekdays.length
      ? { weekdays: [...choice.weekdays].sort() }
      : {}),
    until: choice.until,
  }
}

/** Every occurrence the choice gives for the first span, or the reason there are none. */
export function plan(
  first: Interval | undefined,
  choice: RepeatChoice,
): { spans: Interval[] } | { problem: string } {
  const recurrence = recurrenceOf(choice)
  if (!first || !recurrence) return { spans: [] }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(recurrence.until)) return { problem: t('repeat.untilMissing') }
  const result = occurrences(first, recurrence, cityTimeZone.value)
  return 'problem' in result ? { problem: result.problem.text[lang.value] } : { spans: result.occurrences }
}

const weekdays = [1, 2, 3, 4, 5, 6, 7]

/** ISO weekday of a datetime-local value in city time. */
function weekdayOf(local: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T/.exec(local)
  if (!m) return undefined
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()
  return day === 0 ? 7 : day
}

/**
 * "Repeat": none, every n days, or every n weeks on chosen weekdays, until a date; then every
 * occurrence listed before anything is sent, each failing one marked with why (the same checks
 * as the single form: rules, closures, and the site's free time). `serverProblems` are the
 * occurrences the server refused, by index.
 */
export function RepeatFields(props: {
  facility: Facility | undefined
  start: string
  end: string
  choice: RepeatChoice
  onChange: (c: RepeatChoice) => void
  serverProblems: Map<number, string>
}) {
  const { choice, onChange } = props
  const startIso = fromLocalInput(props.start)
  const endIso = fromLocalInput(props.end)
  const first = startIso && endIso ? { start: Date.parse(startIso), end: Date.parse(endIso) } : undefined
  const planned = plan(first && first.start < first.end ? first : undefined, choice)
  const spans = 'spans' in planned ? planned.spans : []
  const problems = useOccurrenceChecks(props.facility, spans)
  const set = (key: keyof RepeatChoice) => (e: Event) => onChange({ ...choice, [key]: fieldValue(e) })
  const firstWeekday = weekdayOf(props.start)
  const chosenDays = choice.weekdays.length ? choice.weekdays : firstWeekday ? [firstWeekday] : []

  return (
    <fieldset class="stack">
      <legend>{t('repeat')}</legend>
      <div class="row">
        <Field label={t('repeat.how')} id="repeat-frequency">
          <select id="repeat-frequency" value={choice.frequency} onChange={set('frequency')}>
            <option value="">{t('repeat.none')}</option>
            <option value="daily">{t('repeat.daily')}</option>
            <option value="weekly">{t('repeat.weekly')}</option>
          </select>
        </Field>
        {choice.frequency && (
          <>
            <Field
              label={t(choice.frequency === 'daily' ? 'repeat.everyDays' : 'repeat.everyWeeks')}
              id="repeat-interval"
            >
              <input
                id="repeat-interval"
                type="number"
                min="1"
                max="52"
                value={choice.interval}
                onInput={set('interval')}
              />
            </Field>
            <Field label={t('repeat.until')} id="repeat-until">
              <input id="repeat-until" type="date" required value={choice.until} onInput={set('until')} />
            </Field>
          </>
        )}
      </div>
      {choice.frequency === 'weekly' && (
        <fieldset class="checks">
          <legend>{t('repeat.weekdays')}</legend>
          {weekdays.map((d) => (
            <label key={d}>
              <input
                type="checkbox"
                checked={chosenDays.includes(d)}
                onChange={(e) =>
                  onChange({
                    ...choice,
                    weekdays: fieldChecked(e) ? [...chosenDays, d] : chosenDays.filter((x) => x !== d),
                  })
                }
              />{' '}
              {t(`weekday.${d}` as TextKey)}
            </label>
          ))}
        </fieldset>
      )}
      {'problem' in planned && <p class="error">{planned.problem}</p>}
      {spans.length > 0 && (
        <div role="status" aria-live="polite">
          <p>
            {t('repeat.count', {
              count: spans.length,
              failing: spans.filter((_, i) => problems.get(i) ?? props.serverProblems.get(i)).length,
            })}
          </p>
          <ol class="occurrences">
            {spans.map((s, i) => {
              const problem = props.serverProblems.get(i) ?? problems.get(i)
              return (
                <li key={s.start} class={problem ? 'error' : undefined}>
                  {span(new Date(s.start).toISOString(), new Date(s.end).toISOString())}
                  {problem && ` — ${problem}`}
                </li>
              )
            })}
          </ol>
        </div>
      )}
    </fieldset>
  )
}

/** Checks every occurrence with one read of the site over the whole series (at most a year). */
function useOccurrenceChecks(facility: Facility | undefined, spans: Interval[]): Map<number, string> {
  const [problems, setProblems] = useState(new Map<number, string>())
  const key = spans.map((s) => s.start).join(',')
  useEffect(() => {
    setProblems(new Map())
    if (!facility || spans.length === 0) return
    const occupied = spans.map((s) => occupiedSpan(s, facility.rules))
    const whole = {
      start: Math.min(...occupied.map((o) => o.start)),
      end: Math.max(...occupied.map((o) => o.end)),
    }
    if (whole.end - whole.start > 366 * 24 * 3600 * 1000) return // the server checks a longer series
    let live = true
    readSite(facility, whole).then(
      (read) => {
        const found = new Map<number, string>()
        spans.forEach((s, i) => {
          const problem = judge(facility, s, read)
          if (problem) found.set(i, problem)
        })
        if (live) setProblems(found)
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [facility?.id, key])
  return problems
}
