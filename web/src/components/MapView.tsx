import 'leaflet/dist/leaflet.css'
import type { InferResponseType } from 'hono/client'
import L from 'leaflet'
import { useEffect, useRef, useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { t } from '../i18n.ts'

export type MapFeature = InferResponseType<
  (typeof client.api)['map.geojson']['$get'],
  200
>['features'][number]

/** A point to mark (a place a resident looked for), [longitude, latitude] as GeoJSON orders them. */
export interface MapMark {
  name: string
  point: [number, number]
}

export interface MapViewProps {
  features: MapFeature[]
  /** Facilities to draw stronger than the rest (the sites near a place). */
  highlight?: string[]
  mark?: MapMark | undefined
  label: string
}

const pathOf = (url: string) => new URL(url, location.origin).pathname
const osmHost = /^https:\/\/tile\.openstreetmap\.org\//

/** Loaded once per page: where tiles come from is the operator's setting (MAP_TILES_URL). */
let tileSettings: Promise<{ url: string | null; attribution: string | null }> | undefined
function loadTiles() {
  tileSettings ??= call(client.api.settings.$get()).then(
    (s) => ({ url: s.mapTilesUrl, attribution: s.mapTilesAttribution }),
    () => ({ url: null, attribution: null }),
  )
  return tileSettings
}

/** An element holding text only: names typed by people never become markup. */
function textElement(tag: string, text: string) {
  const el = document.createElement(tag)
  el.textContent = text
  return el
}

function link(text: string, url: string) {
  const a = textElement('a', text) as HTMLAnchorElement
  a.href = pathOf(url)
  return a
}

/** A site's popup: its name as a link, and the pilots on it, built as DOM nodes. */
function popupOf(f: MapFeature) {
  const box = document.createElement('div')
  box.appendChild(link(f.properties.name, f.properties.url))
  const pilots = f.properties.activePilots ?? []
  if (pilots.length > 0) {
    const list = document.createElement('ul')
    for (const p of pilots) {
      const item = document.createElement('li')
      item.appendChild(link(p.title, p.url))
      item.appendChild(document.createTextNode(` — ${p.organisation}`))
      list.appendChild(item)
    }
    box.appendChild(list)
  }
  return box
}

/**
 * Areas and sites on a Leaflet map over the operator's tiles (OpenStreetMap's by default, with
 * their attribution). When tiles cannot load (offline, blocked) or are switched off, the shapes
 * stay on a plain background and a note says so: never an empty grey box. Names go into
 * tooltips and popups as text nodes, never as HTML.
 */
export default function MapView({ features, highlight = [], mark, label }: MapViewProps) {
  const host = useRef<HTMLDivElement>(null)
  const [tiles, setTiles] = useState<{ url: string | null; attribution: string | null }>()
  const [failed, setFailed] = useState(false)
  const highlighted = highlight.join(',')

  useEffect(() => {
    let live = true
    loadTiles().then((s) => live && setTiles(s))
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    if (!host.current || !tiles) return
    const map = L.map(host.current, { keyboard: true, attributionControl: false })
    if (tiles.url && !failed) {
      const layer = L.tileLayer(tiles.url, { maxZoom: 19, referrerPolicy: 'strict-origin-when-cross-origin' })
      // One failed tile is enough: the plain background with its note reads better than holes.
      layer.once('tileerror', () => setFailed(true))
      layer.addTo(map)
    }
    const strong = new Set(highlight)
    const shapes = L.geoJSON(
      { type: 'FeatureCollection', features } as unknown as GeoJSON.FeatureCollection,
      {
        style: (f) => {
          const props = f?.properties as MapFeature['properties'] | undefined
          if (props?.featureType === 'area') return { color: '#0a4f9e', weight: 2, fillOpacity: 0.08 }
          const near = strong.has(String(f?.id))
          return { color: near ? '#6a040f' : '#a4161a', weight: near ? 6 : 4, fillOpacity: 0.3 }
        },
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, {
            radius: strong.has(String(f.id)) ? 10 : 7,
            color: '#a4161a',
            weight: 2,
            fillOpacity: 0.8,
          }),
        onEachFeature: (f, layer) => {
          const feature = f as unknown as MapFeature
          layer.bindTooltip(textElement('span', feature.properties.name))
          if (feature.properties.featureType !== 'area') layer.bindPopup(popupOf(feature))
        },
      },
    ).addTo(map)
    const bounds = shapes.getBounds()
    const at = mark ? L.latLng(mark.point[1], mark.point[0]) : undefined
    if (at) bounds.extend(at)
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 })
    else map.setView([59.93, 30.33], 11)
    // After the view is set: a permanent label needs the map's projection to place itself.
    if (mark && at) {
      L.circleMarker(at, { radius: 9, color: '#1b4332', weight: 3, fillColor: '#ffffff', fillOpacity: 1 })
        .bindTooltip(textElement('span', mark.name), { permanent: true, direction: 'top' })
        .addTo(map)
    }
    return () => map.remove()
  }, [tiles, failed, features, highlighted, mark?.point[0], mark?.point[1], mark?.name])

  const plain = tiles && (!tiles.url || failed)
  const osm = tiles?.url ? osmHost.test(tiles.url) : false
  return (
    <section class={plain ? 'map-view map-plain' : 'map-view'} aria-label={label}>
      {/* Leaflet makes the map focusable and movable with the arrow keys. */}
      <div ref={host} class="map" />
      {tiles?.url && !failed && (
        <p class="map-attribution">
          {osm ? (
            <>
              © <a href="https://www.openstreetmap.org/copyright">{t('map.osmContributors')}</a>
            </>
          ) : (
            tiles.attribution
          )}
        </p>
      )}
      {plain && (
        <p class="map-note" role="status">
          {tiles.url ? t('map.tilesFailed') : t('map.tilesOff')}
        </p>
      )}
    </section>
  )
}
