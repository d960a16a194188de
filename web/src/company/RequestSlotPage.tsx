import { useEffect, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { ApiProblem, call, client } from '../api.ts'
import { CalendarView } from '../components/CalendarView.tsx'
import { availabilityEvents, FacilityFacts } from '../components/FacilityFacts.tsx'
import { Field, fieldValue, Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { fromLocalInput, toLocalInput } from '../format.ts'
import { t } from '../i18n.ts'
import { noRepeat, type RepeatChoice, RepeatFields, recurrenceOf } from './RepeatFields.tsx'
import { RequiredDocuments } from './RequiredDocuments.tsx'
import { useRuleCheck } from './useRuleCheck.ts'

/** A time from the address (Find time's "Request this") as the field's value; empty if none or not a time. */
function prefill(value: string | undefined): string {
  return value && !Number.isNaN(Date.parse(value)) ? toLocalInput(value) : ''
}

/** The occurrences of a series the server refused, by index, with its words for each. */
function occurrenceProblems(problem: ApiProblem): Map<number, string> {
  const found = new Map<number, string>()
  for (const e of problem.errors) {
    const m = /^occurrences\/(\d+)$/.exec(e.path)
    if (m) found.set(Number(m[1]), e.message)
  }
  return found
}

/**
 * A company requests a slot for a pilot: pick the site, see its free and busy time, choose a span
 * by dragging on the calendar or by typing Start and End (the keyboard path), see any broken rule
 * in words before submitting.
 */
export default function RequestSlotPage() {
  const { params, query } = useRoute()
  const { route } = useLocation()
  const pilotId = params.id as string
  const data = useLoad(async () => {
    const pilot = await call(client.api.pilots[':id'].$get({ param: { id: pilotId } }))
    // Only sites whose area accepts the pilot's category: the server would refuse the others.
    const facilities = await call(
      client.api.facilities.$get({ query: { limit: '500', category: pilot.category } }),
    )
    return { pilot, facilities: facilities.items }
  }, [pilotId])
  const [facilityId, setFacilityId] = useState((query.site as string | undefined) ?? '')
  // "Request this" on the Find time page opens the form filled in.
  const [start, setStart] = useState(() => prefill(query.start))
  const [end, setEnd] = useState(() => prefill(query.end))
  const [note, setNote] = useState('')
  const [error, setError] = useState<string>()
  const [repeat, setRepeat] = useState<RepeatChoice>(noRepeat)
  const [refused, setRefused] = useState(new Map<number, string>())
  usePageTitle(t('requestSlot'))
  // An old refusal goes as soon as the request changes.
  useEffect(() => {
    setError(undefined)
    setRefused(new Map())
  }, [start, end, facilityId, JSON.stringify(repeat)])

  const facility = data.data?.facilities.find((f) => f.id === facilityId) ?? data.data?.facilities[0]
  // The calendar opens at the site's first free time within three months (or at the start given).
  const firstFree = useLoad(async () => {
    if (!facility) return undefined
    const from = new Date()
    const to = new Date(from.getTime() + 90 * 24 * 3600 * 1000)
    const a = await call(
      client.api.facilities[':id'].availability.$get({
        param: { id: facility.id },
        query: { from: from.toISOString(), to: to.toISOString() },
      }),
    )
    return a.free[0]?.start
  }, [facility?.id])

  // The rules checked whenever the choice changes, so that problems show before submitting.
  const { problems, checked } = useRuleCheck(facility, start, end)

  if (!data.data) return <Loading error={data.error} />
  const { pilot, facilities } = data.data

  async function submit(e: Event) {
    e.preventDefault()
    setError(undefined)
    setRefused(new Map())
    // A missing value is left out of the body, and the server's answer says which.
    const json = {
      facilityId: facility?.id as string,
      start: fromLocalInput(start) as string,
      end: fromLocalInput(end) as string,
      ...(note ? { note } : {}),
    }
    const recurrence = recurrenceOf(repeat)
    try {
      if (recurrence) {
        await call(
          client.api.pilots[':id'].series.$post({ param: { id: pilotId }, json: { ...json, recurrence } }),
        )
      } else await call(client.api.pilots[':id'].bookings.$post({ param: { id: pilotId }, json }))
      route(`/my/pilots/${pilotId}`)
    } catch (err) {
      setError(problemText(err))
      if (err instanceof ApiProblem) setRefused(occurrenceProblems(err))
    }
  }

  return (
    <>
      <h1>
        {t('requestSlot')}: {pilot.title}
      </h1>
      <form onSubmit={submit} class="stack">
        <Field label={t('site')} id="request-site">
          <select id="request-site" value={facility?.id} onChange={(e) => setFacilityId(fieldValue(e))}>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </Field>
        <p class="hint">{t('dragHint')}</p>
        <div class="row">
          <Field label={t('start')} id="request-start">
            <input
              id="request-start"
              type="datetime-local"
              required
              value={start}
              onInput={(e) => setStart(fieldValue(e))}
            />
          </Field>
          <Field label={t('end')} id="request-end">
            <input
              id="request-end"
              type="datetime-local"
              required
              value={end}
              onInput={(e) => setEnd(fieldValue(e))}
            />
          </Field>
        </div>
        <RepeatFields
          facility={facility}
          start={start}
          end={end}
          choice={repeat}
          onChange={setRepeat}
          serverProblems={refused}
        />
        <RequiredDocuments pilotId={pilotId} facility={facility} start={start} end={end} repeat={repeat} />
        <Field label={t('note')} id="request-note">
          <textarea id="request-note" rows={2} value={note} onInput={(e) => setNote(fieldValue(e))} />
        </Field>
        <div role="status" aria-live="polite" class="checks-result">
          {problems.map((p) => (
            <p class="error" key={p}>
              {p}
            </p>
          ))}
          {checked && problems.length === 0 && <p class="ok">{t('checksPass')}</p>}
        </div>
        <button type="submit">{t('submitRequest')}</button>
        <Notice kind="error" message={error} />
      </form>
      {facility && (
        <>
          <CalendarView
            label={t('freeBusy')}
            events={availabilityEvents(facility.id)}
            initialView="timeGridWeek"
            views="timeGridWeek,dayGridMonth"
            refreshKey={facility.id}
            initialDate={fromLocalInput(start) ?? firstFree.data}
            onSelect={(s, e) => {
              setStart(toLocalInput(s))
              setEnd(toLocalInput(e))
            }}
          />
          <FacilityFacts facility={facility} />
        </>
      )}
    </>
  )
}
