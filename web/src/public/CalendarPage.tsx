import type { EventInput } from '@fullcalendar/core'
import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client } from '../api.ts'
import { CalendarView } from '../components/CalendarView.tsx'
import { CategoryOptions } from '../components/options.tsx'
import { Field, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'

/** The public calendar of approved pilots, filtered by area, category and site. */
export default function CalendarPage() {
  usePageTitle(t('calendar'))
  const { route } = useLocation()
  const [areaId, setAreaId] = useState('')
  const [category, setCategory] = useState('')
  const [facilityId, setFacilityId] = useState('')
  const lists = useLoad(async () => {
    const [areas, facilities] = await Promise.all([
      call(client.api.areas.$get({ query: { limit: '500' } })),
      call(client.api.facilities.$get({ query: { limit: '500' } })),
    ])
    return { areas: areas.items, facilities: facilities.items }
  })
  const sites = (lists.data?.facilities ?? []).filter((f) => !areaId || f.areaId === areaId)

  const events = async (info: { startStr: string; endStr: string }): Promise<EventInput[]> => {
    const items = await call(
      client.api.calendar.$get({
        query: {
          start: info.startStr,
          end: info.endStr,
          areaId: areaId || undefined,
          facilityId: facilityId || undefined,
        },
      }),
    )
    return items
      .filter((e) => !category || e.extendedProps.category === category)
      .map((e) => ({ ...e, classNames: [`state-${e.extendedProps.state}`] }))
  }

  return (
    <>
      <h1>{t('calendar')}</h1>
      <form class="filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('area')} id="filter-area">
          <select id="filter-area" value={areaId} onChange={(e) => setAreaId(fieldValue(e))}>
            <option value="">{t('all')}</option>
            {lists.data?.areas.map((a) => (
              <option value={a.id} key={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('category')} id="filter-category">
          <select id="filter-category" value={category} onChange={(e) => setCategory(fieldValue(e))}>
            <option value="">{t('all')}</option>
            <CategoryOptions />
          </select>
        </Field>
        <Field label={t('site')} id="filter-site">
          <select id="filter-site" value={facilityId} onChange={(e) => setFacilityId(fieldValue(e))}>
            <option value="">{t('all')}</option>
            {sites.map((f) => (
              <option value={f.id} key={f.id}>
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
        refreshKey={`${areaId}|${category}|${facilityId}`}
        onEventClick={(_id, props) => route(`/pilots/${props.pilotId as string}`)}
      />
    </>
  )
}
