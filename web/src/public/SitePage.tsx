import { useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { CalendarView } from '../components/CalendarView.tsx'
import { availabilityEvents, FacilityFacts } from '../components/FacilityFacts.tsx'
import { Field, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { ClosuresPanel } from '../official/ClosuresPanel.tsx'
import { useStore } from '../store.ts'

/** One test site: specs, rules, free/busy time; companies go on to request a slot, officials keep closures. */
export default function SitePage() {
  const { params } = useRoute()
  const id = params.id as string
  const user = useStore(me)
  const [refresh, setRefresh] = useState(0)
  const site = useLoad(async () => {
    const facility = await call(client.api.facilities[':id'].$get({ param: { id } }))
    const [area, departments] = await Promise.all([
      call(client.api.areas[':id'].$get({ param: { id: facility.areaId } })),
      call(client.api.departments.$get()),
    ])
    return { facility, area, departments: departments.items }
  }, [id])
  const mine = useLoad(
    async () =>
      user?.role === 'company'
        ? (await call(client.api.pilots.$get({ query: { mine: 'true', limit: '500' } }))).items
        : [],
    [user?.id],
  )
  const [pilotId, setPilotId] = useState('')
  usePageTitle(site.data?.facility.name ?? t('sites'))
  if (!site.data) return <Loading error={site.error} />
  const { facility, area, departments } = site.data
  const departmentName = (d: string) => departments.find((x) => x.id === d)?.name ?? d
  const manages =
    user?.role === 'admin' || (user?.role === 'official' && user.department?.id === facility.departmentId)
  const chosen = pilotId || mine.data?.[0]?.id || ''

  return (
    <>
      <h1>{facility.name}</h1>
      {facility.address && <p class="address">{facility.address}</p>}
      <p class="meta">
        <a href={`/sites?areaId=${area.id}`}>{area.name}</a> · {t('managedBy')}:{' '}
        {departmentName(facility.departmentId)}
        {facility.signoffDepartmentIds.length > 0 &&
          ` · ${t('requiredSignoffs')}: ${facility.signoffDepartmentIds.map(departmentName).join(', ')}`}
      </p>
      <p>{facility.description}</p>
      <FacilityFacts facility={facility} />
      {user?.role === 'company' && (
        <section class="request">
          <h2>{t('requestSlot')}</h2>
          {mine.data && mine.data.length > 0 ? (
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault()
                window.location.assign(`/my/pilots/${chosen}/request?site=${facility.id}`)
              }}
            >
              <Field label={t('pilots')} id="site-pilot">
                <select id="site-pilot" value={chosen} onChange={(e) => setPilotId(fieldValue(e))}>
                  {mine.data.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title}
                    </option>
                  ))}
                </select>
              </Field>
              <button type="submit">{t('requestSlot')}</button>
            </form>
          ) : (
            <p>
              <a href="/my/pilots/new">{t('newPilot')}</a>
            </p>
          )}
        </section>
      )}
      <h2>{t('freeBusy')}</h2>
      <p>
        <a href={`/api/facilities/${facility.id}/calendar.ics`}>{t('subscribe')}</a>
      </p>
      <CalendarView
        label={t('freeBusy')}
        events={availabilityEvents(facility.id)}
        initialView="timeGridWeek"
        views="timeGridWeek,dayGridMonth"
        refreshKey={String(refresh)}
      />
      {manages && <ClosuresPanel facilityId={facility.id} onChange={() => setRefresh((n) => n + 1)} />}
    </>
  )
}
