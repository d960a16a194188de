import 'leaflet/dist/leaflet.css'
import type { InferResponseType } from 'hono/client'
import L from 'leaflet'
import { useEffect, useRef, useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Loading, usePageTitle } from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'

type Feature = InferResponseType<(typeof client.api)['map.geojson']['$get'], 200>['features'][number]

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  )
const path = (url: string) => new URL(url).pathname

/**
 * Areas and sites on a map (Leaflet), with background tiles only when MAP_TILES_URL is set: without
 * them, as on an offline machine, the shapes are drawn on a plain background. The list beside the
 * map says the same and is the keyboard and screen-reader path.
 */
export default function MapPage() {
  usePageTitle(t('map'))
  const host = useRef<HTMLDivElement>(null)
  const [features, setFeatures] = useState<Feature[]>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    let map: L.Map | undefined
    Promise.all([call(client.api['map.geojson'].$get()), call(client.api.settings.$get())]).then(
      ([collection, settings]) => {
        setFeatures(collection.features)
        if (!host.current) return
        map = L.map(host.current, { keyboard: true, attributionControl: Boolean(settings.mapTilesUrl) })
        if (settings.mapTilesUrl) {
          L.tileLayer(settings.mapTilesUrl, {
            attribution: settings.mapTilesAttribution ?? '',
            maxZoom: 19,
          }).addTo(map)
        }
        const layer = L.geoJSON<Feature['properties']>(collection as unknown as GeoJSON.FeatureCollection, {
          style: (f) =>
            f?.properties.featureType === 'area'
              ? { color: '#0a4f9e', weight: 2, fillOpacity: 0.08 }
              : { color: '#a4161a', weight: 4, fillOpacity: 0.3 },
          pointToLayer: (_f, latlng) =>
            L.circleMarker(latlng, { radius: 7, color: '#a4161a', weight: 2, fillOpacity: 0.8 }),
          onEachFeature: (f, l) => {
            const pilots = (f.properties.activePilots ?? [])
              .map(
                (p) =>
                  `<li><a href="${path(p.url)}">${escapeHtml(p.title)}</a> — ${escapeHtml(p.organisation)}</li>`,
              )
              .join('')
            l.bindPopup(
              `<a href="${path(f.properties.url)}">${escapeHtml(f.properties.name)}</a>${pilots ? `<ul>${pilots}</ul>` : ''}`,
            )
            l.bindTooltip(f.properties.name)
          },
        }).addTo(map)
        map.fitBounds(layer.getBounds(), { padding: [20, 20] })
      },
      (e) => setError(String(e)),
    )
    return () => map?.remove()
  }, [])

  const areas = features?.filter((f) => f.properties.featureType === 'area') ?? []
  const sites = features?.filter((f) => f.properties.featureType === 'facility') ?? []
  return (
    <>
      <h1>{t('map')}</h1>
      <div class="map-layout">
        {/* Leaflet makes the map focusable and movable with the arrow keys. */}
        <section aria-label={t('mapLabel')}>
          <div ref={host} class="map" />
        </section>
        <section class="map-list" aria-labelledby="map-list-heading">
          <h2 id="map-list-heading">{t('mapList')}</h2>
          {!features && <Loading error={error} />}
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
    </>
  )
}
