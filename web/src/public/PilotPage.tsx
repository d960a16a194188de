import { lazy, useRoute } from 'preact-iso'
import { call, client } from '../api.ts'
import { BookingStatus } from '../company/BookingStatus.tsx'
import type { MapFeature } from '../components/MapView.tsx'
import { Loading, useLoad, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'
import { FeedbackForm } from './FeedbackForm.tsx'
import { bookingRowId, MoreBookings, usePilotBookings } from './MoreBookings.tsx'
import { type PilotPlace, type PilotResults, pilotResults } from './residents.ts'

// Leaflet comes with the map only, after the page's words.
const MapView = lazy(() => import('../components/MapView.tsx'))

/**
 * The pilot's sites as the map draws them (their shapes, from the map's answer), and any site the
 * map's answer does not hold yet (it is cached a few seconds) as a point where the pilot says it is.
 */
function usePilotSites(places: PilotPlace[]) {
  const ids = places.map((p) => p.facilityId)
  return useLoad(async (): Promise<MapFeature[]> => {
    if (places.length === 0) return []
    const collection = await call(client.api['map.geojson'].$get())
    const drawn = collection.features.filter(
      (f) => f.properties.featureType !== 'area' && ids.includes(String(f.id)),
    )
    const missing = places.filter((p) => p.point && !drawn.some((f) => String(f.id) === p.facilityId))
    return [
      ...drawn,
      ...missing.map((p) => ({
        type: 'Feature' as const,
        id: p.facilityId,
        geometry: { type: 'Point', coordinates: p.point as [number, number] },
        properties: {
          featureType: 'facility' as const,
          name: p.name,
          address: p.address,
          url: `/sites/${p.facilityId}`,
        },
      })),
    ]
  }, [ids.join(',')])
}

/** A pilot's public page: who, what, where, when, why, and which data. */
export default function PilotPage() {
  const { params } = useRoute()
  const pilot = useLoad(
    () => call(client.api.pilots[':id'].$get({ param: { id: params.id as string } })),
    [params.id],
  )
  const paging = usePilotBookings(pilot.data)
  const sites = usePilotSites(pilot.data?.places ?? [])
  // The pilot's answer carries its results; GET /api/pilots/:id/results is asked only if it does not.
  const given = (pilot.data as { results?: PilotResults | null } | undefined)?.results
  const results = useLoad(
    () =>
      !pilot.data || given !== undefined ? Promise.resolve(given ?? null) : pilotResults(params.id as string),
    [pilot.data],
  )
  usePageTitle(pilot.data?.title ?? t('pilots'))
  if (!pilot.data) return <Loading error={pilot.error} />
  const p = pilot.data
  return (
    <>
      <article>
        <h1>{p.title}</h1>
        <p class="lead">{p.summary}</p>
        <dl class="pilot">
          <div>
            <dt>{t('who')}</dt>
            <dd>{p.organisationName}</dd>
          </div>
          <div>
            <dt>{t('category')}</dt>
            <dd>{t(`category.${p.category}` as TextKey)}</dd>
          </div>
          {p.phase && (
            <div>
              <dt>{t('phase')}</dt>
              <dd>{t(p.phase)}</dd>
            </div>
          )}
          <div>
            <dt>{t('what')}</dt>
            <dd>{p.publicDescription}</dd>
          </div>
          <div>
            <dt>{t('data')}</dt>
            <dd>{p.dataCollected}</dd>
          </div>
          <div>
            <dt>{t('contact')}</dt>
            <dd>
              <a href={`mailto:${p.contactEmail}`}>{p.contactEmail}</a>
              {p.website && (
                <>
                  {' · '}
                  <a href={p.website} rel="noopener noreferrer">
                    {t('website')}
                  </a>
                </>
              )}
            </dd>
          </div>
        </dl>
        <h2>{t('where')}</h2>
        {sites.data && sites.data.length > 0 && (
          <MapView features={sites.data} label={t('pilot.mapLabel', { title: p.title })} />
        )}
        <ZoneNote />
        <ul>
          {paging.bookings.map((b) => (
            <li key={b.id} id={bookingRowId(b.id)} tabIndex={-1}>
              <a href={`/sites/${b.facilityId}`}>{b.facilityName}</a>: {span(b.start, b.end)}{' '}
              {b.state !== 'approved' && <BookingStatus booking={b} />}
              {/* The parties (the officials who sign it off too) read why it was cancelled. */}
              {b.cancelReason && (
                <>
                  {' '}
                  {t('reason')}: <q>{b.cancelReason}</q>
                </>
              )}
            </li>
          ))}
        </ul>
        <MoreBookings paging={paging} />
      </article>
      {results.data && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">{t('results.heading')}</h2>
          <p>{results.data.summary}</p>
          <h3>{t('results.findings')}</h3>
          <p class="prewrap">{results.data.findings}</p>
          {results.data.dataUrl && /^https?:\/\//.test(results.data.dataUrl) && (
            <p>
              <a href={results.data.dataUrl} rel="noopener noreferrer">
                {t('results.openData')}
              </a>
            </p>
          )}
        </section>
      )}
      <FeedbackForm pilotId={p.id} />
    </>
  )
}
