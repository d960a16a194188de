import { useLocation } from 'preact-iso'
import { call, client } from '../api.ts'
import MapView from '../components/MapView.tsx'
import { Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'
import { NearList } from './NearList.tsx'
import { PlaceSearch } from './PlaceSearch.tsx'
import { parseNear, pilotsNear } from './residents.ts'

const path = (url: string) => new URL(url, location.origin).pathname

/**
 * Areas and sites on a map, and "what is being tested near …": `?near=lat,lng&place=Name` (the
 * address a picked place leads to) marks the place and lists the active and upcoming pilots near
 * it. The lists beside the map say what it shows and are the keyboard and screen-reader path.
 */
export default function MapPage() {
  usePageTitle(t('map'))
  const { query } = useLocation()
  const near = parseNear(query.near)
  const placeName = query.place || t('near.thePoint')
  const features = useLoad(() => call(client.api['map.geojson'].$get()).then((c) => c.features))
  const nearby = useLoad(() => (near ? pilotsNear(near) : Promise.resolve(undefined)), [near?.lat, near?.lng])
  const all = features.data ?? []
  const areas = all.filter((f) => f.properties.featureType === 'area')
  const sites = all.filter((f) => f.properties.featureType === 'facility')
  const highlight = (nearby.data ?? []).flatMap((p) => (p.places ?? []).map((s) => s.facilityId))
  return (
    <>
      <h1>{t('map')}</h1>
      <PlaceSearch initial={query.place ?? ''} />
      <div class="map-layout">
        <div>
          {features.data ? (
            <MapView
              features={features.data}
              highlight={highlight}
              mark={near ? { name: placeName, point: [near.lng, near.lat] } : undefined}
              label={t('mapLabel')}
            />
          ) : (
            <Loading error={features.error} />
          )}
        </div>
        <div class="map-list">
          {near &&
            (nearby.data ? (
              <NearList pilots={nearby.data} from={near} placeName={placeName} />
            ) : (
              <Loading error={nearby.error} />
            ))}
          <section aria-labelledby="map-list-heading">
            <h2 id="map-list-heading">{t('mapList')}</h2>
            {areas.map((a) => (
              <div key={a.id}>
                <h3>
                  <a href={path(a.properties.url)}>{a.properties.name}</a>
                </h3>
                <ul>
                  {sites
                    .filter((s) => s.properties.areaId === a.id)
                    .map((s) => (
                      <li key={s.id}>
                        <a href={path(s.properties.url)}>{s.properties.name}</a> (
                        {t(`kind.${s.properties.kind}` as TextKey)})
                        {s.properties.activePilots && s.properties.activePilots.length > 0 && (
                          <ul aria-label={t('activePilots')}>
                            {s.properties.activePilots.map((p) => (
                              <li key={p.id}>
                                <a href={path(p.url)}>{p.title}</a> — {p.organisation}, {span(p.start, p.end)}
                              </li>
                            ))}
                          </ul>
                        )}
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </section>
        </div>
      </div>
    </>
  )
}
