import { TZDate } from '@date-fns/tz'
import type { InferRequestType, InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { connectivityKinds } from '../../../api/domain/vocabulary.ts'
import { call, cityTimeZone, client } from '../api.ts'
import { CategoryOptions, KindOptions } from '../components/options.tsx'
import {
  Field,
  fieldChecked,
  fieldValue,
  Loading,
  Notice,
  problemText,
  useLoad,
  usePageTitle,
  ZoneNote,
} from '../components/ui.tsx'
import { span } from '../format.ts'
import { duration, t } from '../i18n.ts'

type FreeTimeQuery = InferRequestType<(typeof client.api)['free-time']['$get']>['query']
type FreeSpan = InferResponseType<(typeof client.api)['free-time']['$get'], 200>['items'][number]

const units = { hours: 60, days: 24 * 60, weeks: 7 * 24 * 60 } as const
type Unit = keyof typeof units

const pad = (n: number) => String(n).padStart(2, '0')

/** Today (or `days` later) in the city, as a date field's value. */
function cityDate(days = 0): string {
  const now = new TZDate(Date.now(), cityTimeZone.value)
  const d = new TZDate(now.getFullYear(), now.getMonth(), now.getDate() + days, cityTimeZone.value)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Midnight at the start of a date field's day (or of the day after it), city time, as an instant. */
function midnight(date: string, dayAfter = false): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return undefined
  const at = new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (dayAfter ? 1 : 0), cityTimeZone.value)
  return new Date(at.getTime()).toISOString()
}

/** The spans of one page grouped by site, in the order the sites first appear. */
function bySite(spans: FreeSpan[]) {
  const groups = new Map<string, { name: string; areaName: string; spans: FreeSpan[] }>()
  for (const s of spans) {
    const group = groups.get(s.facilityId) ?? { name: s.facilityName, areaName: s.areaName, spans: [] }
    group.spans.push(s)
    groups.set(s.facilityId, group)
  }
  return [...groups.entries()]
}

/**
 * "Find time": a company says how long it needs, when, and what kind of site, and sees every
 * span across the city where that fits, grouped by site, each with "Request this" that opens the
 * request form filled in. Choosing one of its pilots sets the category (only sites whose area
 * accepts it are searched).
 */
export default function FindTimePage() {
  usePageTitle(t('findTime'))
  const { query: params } = useRoute()
  const pilots = useLoad(() => call(client.api.pilots.$get({ query: { mine: 'true', limit: '500' } })))
  const [form, setForm] = useState({
    pilotId: (params.pilot as string | undefined) ?? '',
    category: '',
    amount: '2',
    unit: 'hours' as Unit,
    from: cityDate(1),
    to: cityDate(30),
    areaId: '',
    kind: '',
    powerKwMin: '',
    connectivity: [] as string[],
    nightsOnly: false,
  })
  const areas = useLoad(() => call(client.api.areas.$get({ query: { limit: '500' } })))
  const [result, setResult] = useState<{ items: FreeSpan[]; nextCursor: string | null; minutes: number }>()
  const [query, setQuery] = useState<FreeTimeQuery>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const pilot = pilots.data?.items.find((p) => p.id === form.pilotId)
  const set = (key: keyof typeof form) => (e: Event) => {
    setError(undefined)
    setForm({ ...form, [key]: fieldValue(e) })
  }

  async function load(q: FreeTimeQuery, more: boolean) {
    setBusy(true)
    setError(undefined)
    try {
      const page = await call(client.api['free-time'].$get({ query: q }))
      const minutes = Number(q.minutes)
      setResult((before) => ({
        items: more && before ? [...before.items, ...page.items] : page.items,
        nextCursor: page.nextCursor,
        minutes,
      }))
    } catch (err) {
      setError(problemText(err))
      if (!more) setResult(undefined)
    } finally {
      setBusy(false)
    }
  }

  function search(e: Event) {
    e.preventDefault()
    const category = pilot?.category ?? form.category
    const q: FreeTimeQuery = {
      minutes: String(Math.round(Number(form.amount) * units[form.unit])),
      from: midnight(form.from),
      to: midnight(form.to, true),
      category: (category || undefined) as FreeTimeQuery['category'],
      areaId: form.areaId || undefined,
      kind: (form.kind || undefined) as FreeTimeQuery['kind'],
      powerKwMin: form.powerKwMin || undefined,
      connectivity: form.connectivity.length ? form.connectivity.join(',') : undefined,
      nightsOnly: form.nightsOnly ? 'true' : undefined,
      limit: '100',
    }
    setQuery(q)
    void load(q, false)
  }

  function requestLink(s: FreeSpan, minutes: number): string | undefined {
    if (!pilot) return undefined
    const end = new Date(Date.parse(s.start) + minutes * 60_000).toISOString()
    const search = new URLSearchParams({ site: s.facilityId, start: s.start, end })
    return `/my/pilots/${pilot.id}/request?${search}`
  }

  if (!pilots.data) return <Loading error={pilots.error} />
  return (
    <>
      <h1>{t('findTime')}</h1>
      <p class="hint">{t('findTimeHint')}</p>
      <ZoneNote />
      <form class="filters" onSubmit={search} aria-label={t('findTime')}>
        <Field label={t('pilot')} id="find-pilot" hint={t('findTimePilotHint')}>
          <select id="find-pilot" value={form.pilotId} onChange={set('pilotId')}>
            <option value="">{t('noPilotChosen')}</option>
            {pilots.data.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </Field>
        {!pilot && (
          <Field label={t('category')} id="find-category">
            <select id="find-category" value={form.category} onChange={set('category')}>
              <option value="">{t('all')}</option>
              <CategoryOptions />
            </select>
          </Field>
        )}
        <div class="row">
          <Field label={t('howLong')} id="find-amount">
            <input
              id="find-amount"
              type="number"
              min="1"
              step="1"
              required
              value={form.amount}
              onInput={set('amount')}
            />
          </Field>
          <Field label={t('unit')} id="find-unit">
            <select id="find-unit" value={form.unit} onChange={set('unit')}>
              <option value="hours">{t('unit.hours')}</option>
              <option value="days">{t('unit.days')}</option>
              <option value="weeks">{t('unit.weeks')}</option>
            </select>
          </Field>
        </div>
        <div class="row">
          <Field label={t('fromDate')} id="find-from">
            <input id="find-from" type="date" required value={form.from} onInput={set('from')} />
          </Field>
          <Field label={t('toDate')} id="find-to">
            <input id="find-to" type="date" required value={form.to} onInput={set('to')} />
          </Field>
        </div>
        <Field label={t('area')} id="find-area">
          <select id="find-area" value={form.areaId} onChange={set('areaId')}>
            <option value="">{t('all')}</option>
            {areas.data?.items.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('kind')} id="find-kind">
          <select id="find-kind" value={form.kind} onChange={set('kind')}>
            <option value="">{t('all')}</option>
            <KindOptions />
          </select>
        </Field>
        <Field label={t('powerMin')} id="find-power">
          <input
            id="find-power"
            type="number"
            min="0"
            step="any"
            value={form.powerKwMin}
            onInput={set('powerKwMin')}
          />
        </Field>
        <fieldset class="checks">
          <legend>{t('connectivity')}</legend>
          {connectivityKinds.map((link) => (
            <label key={link}>
              <input
                type="checkbox"
                checked={form.connectivity.includes(link)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    connectivity: fieldChecked(e)
                      ? [...form.connectivity, link]
                      : form.connectivity.filter((c) => c !== link),
                  })
                }
              />{' '}
              {link.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={form.nightsOnly}
            onChange={(e) => setForm({ ...form, nightsOnly: fieldChecked(e) })}
          />{' '}
          {t('nightsOnly')}
        </label>
        <button type="submit" disabled={busy}>
          {t('findTime')}
        </button>
      </form>
      <Notice kind="error" message={error} />
      <div role="status" aria-live="polite">
        {result &&
          (result.items.length === 0
            ? t('noFreeTime')
            : t('freeSpansFound', { count: result.items.length, length: duration(result.minutes) }))}
      </div>
      {result && result.items.length > 0 && (
        <>
          {bySite(result.items).map(([facilityId, group]) => (
            <section key={facilityId} class="card" aria-labelledby={`free-${facilityId}`}>
              <h2 id={`free-${facilityId}`}>
                <a href={`/sites/${facilityId}`}>{group.name}</a>
              </h2>
              <p class="meta">{group.areaName}</p>
              <ul>
                {group.spans.map((s) => {
                  const link = requestLink(s, result.minutes)
                  return (
                    <li key={s.start}>
                      {span(s.start, s.end)}{' '}
                      {link && (
                        <a
                          href={link}
                          aria-label={t('requestThisAt', { site: group.name, when: span(s.start, s.end) })}
                        >
                          {t('requestThis')}
                        </a>
                      )}
                    </li>
                  )
                })}
              </ul>
            </section>
          ))}
          {result.nextCursor && query && (
            <button
              type="button"
              disabled={busy}
              onClick={() => load({ ...query, cursor: result.nextCursor ?? undefined }, true)}
            >
              {t('moreFreeTime')}
            </button>
          )}
        </>
      )}
    </>
  )
}
