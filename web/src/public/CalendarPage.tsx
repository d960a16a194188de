import { TZDate } from '@date-fns/tz'
import type { EventInput } from '@fullcalendar/core'
import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, cityTimeZone, client } from '../api.ts'
import { CalendarView } from '../components/CalendarView.tsx'
import { CategoryOptions } from '../components/options.tsx'
import { Field, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { span } from '../format.ts'
import { t } from '../i18n.ts'
import { PlaceSearch } from './PlaceSearch.tsx'

const filterKeys = ['areaId', 'category', 'facilityId', 'view'] as const
const views = 'dayGridMonth,timeGridWeek,listMonth'
const knownViews = views.split(',')

/** The instant the city day of `iso` ends (its next midnight, city time). */
function endOfCityDay(iso: string, timeZone: string): number {
  const d = new TZDate(Date.parse(iso), timeZone)
  return new TZDate(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, timeZone).getTime()
}

type Event = Awaited<ReturnType<typeof loadEvents>>[number]
async function loadEvents(query: { start: string; end: string; areaId?: string; facilityId?: string }) {
  return call(client.api.calendar.$get({ query }))
}

/** The instant a range bound FullCalendar gives means: read in the city's zone when it has no offset. */
function instantOf(text: string, timeZone: string): number {
  if (/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text)) return Date.parse(text)
  const [y = 0, m = 1, d = 1, hh = 0, mm = 0, ss = 0] = text.split(/[-T:]/).map(Number)
  return new TZDate(y, m - 1, d, hh, mm, ss, timeZone).getTime()
}

/**
 * A calendar event titled "Pilot — Site". In a list view a booking spanning several days is
 * shown once, on its first day in the range shown (a pilot that began last month still shows in
 * this month's list), with its whole range where the list puts the time (FullCalendar would
 * repeat it on every day it touches).
 */
function toCalendarEvent(e: Event, list: boolean, timeZone: string, from: number): EventInput {
  const base = {
    ...e,
    title: `${e.extendedProps.pilotTitle} — ${e.extendedProps.facilityName}`,
    classNames: [`state-${e.extendedProps.state}`],
  }
  const first = Math.max(Date.parse(e.start), from)
  const firstIso = new Date(first).toISOString()
  const dayEnd = endOfCityDay(firstIso, timeZone)
  if (!list || (first === Date.parse(e.start) && Date.parse(e.end) <= dayEnd)) return base
  return {
    ...base,
    start: firstIso,
    end: new Date(Math.min(dayEnd, Date.parse(e.end))).toISOString(),
    extendedProps: { ...e.extendedProps, listRange: span(e.start, e.end) },
  }
}

/**
 * The public calendar of approved pilots, filtered by area, category and site; the filters and
 * the view live in the address (shareable). Opens at today in the city's time zone.
 */
export default function CalendarPage() {
  usePageTitle(t('calendar'))
  const { query, path, route } = useLocation()
  const areaId = query.areaId ?? ''
  const category = query.category ?? ''
  const facilityId = query.facilityId ?? ''
  const view = knownViews.includes(query.view ?? '') ? (query.view as string) : undefined
  // The view the calendar opened with (changing it later would rebuild the calendar) and the one shown.
  const [openView] = useState(view)
  const [shown, setShown] = useState(view)
  const list = (shown ?? '').startsWith('list')
  const lists = useLoad(async () => {
    const [areas, facilities] = await Promise.all([
      call(client.api.areas.$get({ query: { limit: '500' } })),
      call(client.api.facilities.$get({ query: { limit: '500' } })),
    ])
    return { areas: areas.items, facilities: facilities.items }
  })
  // A site named by the address but beyond the first 500 is fetched on its own, so the filter shows it.
  const listed = lists.data?.facilities.some((f) => f.id === facilityId) ?? true
  const named = useLoad(
    () =>
      facilityId && !listed
        ? call(client.api.facilities[':id'].$get({ param: { id: facilityId } })).catch(() => undefined)
        : Promise.resolve(undefined),
    [facilityId, listed],
  )
  const sites = [...(lists.data?.facilities ?? []), ...(named.data ? [named.data] : [])].filter(
    (f) => !areaId || f.areaId === areaId,
  )

  function setQuery(changes: Partial<Record<(typeof filterKeys)[number], string>>) {
    const next = new URLSearchParams()
    for (const k of filterKeys) {
      const value = k in changes ? changes[k] : query[k]
      if (value) next.set(k, value)
    }
    const search = next.toString()
    route(search ? `${path}?${search}` : path, true)
  }

  const events = async (info: { startStr: string; endStr: string }): Promise<EventInput[]> => {
    const items = await loadEvents({
      start: info.startStr,
      end: info.endStr,
      ...(areaId ? { areaId } : {}),
      ...(facilityId ? { facilityId } : {}),
    })
    return items
      .filter((e) => !category || e.extendedProps.category === category)
      .map((e) => toCalendarEvent(e, list, cityTimeZone.value, instantOf(info.startStr, cityTimeZone.value)))
  }

  return (
    <>
      <h1>{t('calendar')}</h1>
      <PlaceSearch />
      <form class="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('area')} id="filter-area">
          <select
            id="filter-area"
            value={areaId}
            onChange={(e) => setQuery({ areaId: fieldValue(e), facilityId: '' })}
          >
            <option value="">{t('all')}</option>
            {lists.data?.areas.map((a) => (
              <option value={a.id} key={a.id} selected={a.id === areaId}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('category')} id="filter-category">
          <select
            id="filter-category"
            value={category}
            onChange={(e) => setQuery({ category: fieldValue(e) })}
          >
            <option value="">{t('all')}</option>
            <CategoryOptions />
          </select>
        </Field>
        <Field label={t('site')} id="filter-site">
          <select
            id="filter-site"
            value={facilityId}
            onChange={(e) => setQuery({ facilityId: fieldValue(e) })}
          >
            <option value="">{t('all')}</option>
            {sites.map((f) => (
              <option value={f.id} key={f.id} selected={f.id === facilityId}>
                {f.name}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {lists.error && <Loading error={lists.error} />}
      <p>
        <a
          href={
            facilityId
              ? `/api/facilities/${facilityId}/calendar.ics`
              : areaId
                ? `/api/areas/${areaId}/calendar.ics`
                : '/api/feeds/pilots.ics'
          }
        >
          {t('subscribe')}
        </a>{' '}
        · <a href="/api/open-data/pilots">{t('openData')}</a>
      </p>
      <CalendarView
        label={t('calendar')}
        events={events}
        views={views}
        {...(openView ? { initialView: openView } : {})}
        refreshKey={`${areaId}|${category}|${facilityId}|${list}`}
        onView={(type) => {
          // The first view (the default or the address's) is not a choice to write down.
          if (shown !== undefined && type !== shown && knownViews.includes(type)) setQuery({ view: type })
          setShown(type)
        }}
        onEventClick={(_id, props) => route(`/pilots/${props.pilotId as string}`)}
      />
    </>
  )
}
