import { useLocation } from 'preact-iso'
import { call, cityTimeZone, client, type Pilot } from '../api.ts'
import { CategoryOptions } from '../components/options.tsx'
import { Field, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'
import { nearestMetres } from './NearList.tsx'
import {
  dateRange,
  distanceText,
  type ListedPilot,
  type NearPilot,
  parseNear,
  pilotsNear,
} from './residents.ts'

type Phase = NonNullable<Pilot['phase']>
type Category = Pilot['category']
// `places`, `start` and `end` may be absent from older servers' answers: then the bookings say them.
type Listed = Omit<ListedPilot, 'places' | 'start' | 'end'> &
  Partial<Pick<NearPilot, 'places' | 'start' | 'end'>>

const filterKeys = ['phase', 'category', 'areaId', 'near', 'place'] as const

/** Where a pilot runs and its first and last day: from the answer, or from its approved bookings. */
function whereAndWhen(p: Listed) {
  const bookings = p.bookings
  const places = p.places?.map((s) => s.name) ?? [...new Set(bookings.map((b) => b.facilityName))]
  const start = p.start ?? bookings.reduce<string | null>((m, b) => (!m || b.start < m ? b.start : m), null)
  const end = p.end ?? bookings.reduce<string | null>((m, b) => (!m || b.end > m ? b.end : m), null)
  return { places, start, end }
}

/**
 * Public pilots: who tests what, where and when. The filters (phase, category, area, near a
 * place) live in the address, so a filtered list can be shared and survives a reload.
 */
export default function PilotsPage() {
  usePageTitle(t('pilots'))
  const { query, path, route } = useLocation()
  const phase = (query.phase || undefined) as Phase | undefined
  const category = (query.category || undefined) as Category | undefined
  const areaId = query.areaId || undefined
  const near = parseNear(query.near)
  const areas = useLoad(() => call(client.api.areas.$get({ query: { limit: '500' } })))
  const pilots = useLoad<Listed[]>(
    () =>
      near
        ? pilotsNear(near, { phase, category, areaId })
        : call(client.api.pilots.$get({ query: { limit: '500', phase, category, areaId } })).then(
            (r) => r.items,
          ),
    [phase, category, areaId, query.near],
  )
  const setFilter = (key: (typeof filterKeys)[number]) => (e: Event) => {
    const next = new URLSearchParams()
    for (const k of filterKeys) if (query[k]) next.set(k, query[k] as string)
    const value = fieldValue(e)
    if (value) next.set(key, value)
    else next.delete(key)
    const search = next.toString()
    route(search ? `${path}?${search}` : path, true)
  }
  const withoutNear = new URLSearchParams()
  for (const k of ['phase', 'category', 'areaId'] as const)
    if (query[k]) withoutNear.set(k, query[k] as string)

  return (
    <>
      <h1>{t('pilots')}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filters')}>
        <Field label={t('phase')} id="pilot-phase">
          <select id="pilot-phase" value={phase ?? ''} onChange={setFilter('phase')}>
            <option value="">{t('all')}</option>
            <option value="active">{t('active')}</option>
            <option value="upcoming">{t('upcoming')}</option>
            <option value="completed">{t('completed')}</option>
          </select>
        </Field>
        <Field label={t('category')} id="pilot-category">
          <select id="pilot-category" value={category ?? ''} onChange={setFilter('category')}>
            <option value="">{t('all')}</option>
            <CategoryOptions />
          </select>
        </Field>
        <Field label={t('area')} id="pilot-area">
          <select id="pilot-area" value={areaId ?? ''} onChange={setFilter('areaId')}>
            <option value="">{t('all')}</option>
            {areas.data?.items.map((a) => (
              <option value={a.id} key={a.id} selected={a.id === areaId}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {near && (
        <p>
          {t('near.pilotsNear', { place: query.place || t('near.thePoint') })} ·{' '}
          <a href={withoutNear.toString() ? `${path}?${withoutNear}` : path}>{t('near.clear')}</a>
        </p>
      )}
      {!pilots.data ? (
        <Loading error={pilots.error} />
      ) : (
        <ul class="cards" aria-live="polite">
          {pilots.data.map((p) => {
            const { places, start, end } = whereAndWhen(p)
            return (
              <li key={p.id} class="card">
                <h2>
                  <a href={`/pilots/${p.id}`}>{p.title}</a>
                </h2>
                <p class="meta">
                  {near && p.places && p.places.length > 0 && (
                    <span class="distance">{distanceText(nearestMetres(p as NearPilot, near))} · </span>
                  )}
                  {p.organisationName} · {t(`category.${p.category}` as TextKey)}
                  {p.phase && ` · ${t(p.phase)}`}
                </p>
                <p>{p.summary}</p>
                {(places.length > 0 || start) && (
                  <p class="meta">
                    {places.length > 0 && `${t('pilot.places')}: ${places.join(', ')}`}
                    {places.length > 0 && start && end && ' · '}
                    {start && end && `${t('pilot.dates')}: ${dateRange(start, end, cityTimeZone.value)}`}
                  </p>
                )}
              </li>
            )
          })}
          {pilots.data.length === 0 && <li>{t('noPilots')}</li>}
        </ul>
      )}
    </>
  )
}
