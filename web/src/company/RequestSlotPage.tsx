import { useEffect, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { checkBookingRules, type RuleViolation } from '../../../api/domain/booking-rules.ts'
import { covers } from '../../../api/domain/intervals.ts'
import { call, cityTimeZone, client, type Facility } from '../api.ts'
import { CalendarView } from '../components/CalendarView.tsx'
import { availabilityEvents, FacilityFacts } from '../components/FacilityFacts.tsx'
import { Field, fieldValue, Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { fromLocalInput, toLocalInput } from '../format.ts'
import { duration, type TextKey, t } from '../i18n.ts'

const minute = 60_000

/** A rule the request breaks, in words of the interface language. */
function explain(v: RuleViolation, facility: Facility, span: { start: number; end: number }): string {
  const r = facility.rules
  switch (v.code) {
    case 'duration':
      return span.end - span.start < r.minDurationMinutes * minute
        ? t('rule.duration.short', { value: duration(r.minDurationMinutes) })
        : t('rule.duration.long', { value: duration(r.maxDurationMinutes) })
    case 'lead_time':
      return t('rule.lead_time', { value: duration(r.leadTimeMinutes) })
    case 'horizon':
      return t('rule.horizon', { value: duration(r.horizonDays * 24 * 60) })
    case 'in_closure':
      return t('rule.in_closure', { value: v.detail.replace(/^The site is closed then: /, '') })
    default:
      return t(`rule.${v.code}` as TextKey)
  }
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
    const [pilot, facilities] = await Promise.all([
      call(client.api.pilots[':id'].$get({ param: { id: pilotId } })),
      call(client.api.facilities.$get({ query: { limit: '500' } })),
    ])
    return { pilot, facilities: facilities.items }
  }, [pilotId])
  const [facilityId, setFacilityId] = useState((query.site as string | undefined) ?? '')
  const [start, setStart] = useState('')
  const [end, setEnd] = useState('')
  const [note, setNote] = useState('')
  const [problems, setProblems] = useState<string[]>([])
  const [checked, setChecked] = useState(false)
  const [error, setError] = useState<string>()
  usePageTitle(t('requestSlot'))

  const facility = data.data?.facilities.find((f) => f.id === facilityId) ?? data.data?.facilities[0]

  // Check the rules whenever the choice changes, so that problems show before submitting.
  useEffect(() => {
    setChecked(false)
    const startIso = fromLocalInput(start)
    const endIso = fromLocalInput(end)
    if (!facility || !startIso || !endIso || !data.data) {
      setProblems([])
      return
    }
    const span = { start: Date.parse(startIso), end: Date.parse(endIso) }
    if (span.end <= span.start) {
      setProblems([t('rule.end_before_start')])
      return
    }
    let live = true
    const occupied = {
      start: span.start - facility.rules.setupMinutes * minute,
      end: span.end + facility.rules.teardownMinutes * minute,
    }
    const param = { id: facility.id }
    const query = { from: new Date(occupied.start).toISOString(), to: new Date(occupied.end).toISOString() }
    Promise.all([
      call(client.api.facilities[':id'].closures.$get({ param, query })),
      call(client.api.facilities[':id'].availability.$get({ param, query })),
    ]).then(
      ([closures, availability]) => {
        if (!live) return
        const violation = checkBookingRules(
          span,
          { ...facility.rules, openingHours: facility.rules.openingHours ?? [] },
          {
            now: Date.now(),
            timeZone: cityTimeZone.value,
            closures: closures.items.map((c) => ({
              start: Date.parse(c.start),
              end: Date.parse(c.end),
              reason: c.reason,
            })),
            categoryAccepted: true, // the server knows the area's categories; it says so if not
            published: facility.published,
          },
        )
        if (violation) setProblems([explain(violation, facility, span)])
        else if (
          !covers(
            availability.free.map((f) => ({ start: Date.parse(f.start), end: Date.parse(f.end) })),
            span,
          )
        ) {
          setProblems([t('busyBooking')])
        } else setProblems([])
        setChecked(true)
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [start, end, facility?.id, data.data])

  if (!data.data) return <Loading error={data.error} />
  const { pilot, facilities } = data.data

  async function submit(e: Event) {
    e.preventDefault()
    setError(undefined)
    try {
      await call(
        client.api.pilots[':id'].bookings.$post({
          param: { id: pilotId },
          // A missing value is left out of the body, and the server's answer says which.
          json: {
            facilityId: facility?.id as string,
            start: fromLocalInput(start) as string,
            end: fromLocalInput(end) as string,
            ...(note ? { note } : {}),
          },
        }),
      )
      route(`/my/pilots/${pilotId}`)
    } catch (err) {
      setError(problemText(err))
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
