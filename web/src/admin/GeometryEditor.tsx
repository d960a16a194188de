import 'leaflet/dist/leaflet.css'
import L from 'leaflet'
import { useEffect, useRef, useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { fieldValue } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { type Position, parseGeometry, roundPosition, type Shape, shapeOfClicks } from './geometry.ts'

const fallbackCentre: L.LatLngTuple = [59.93, 30.31]

function drawOn(layer: L.GeoJSON, shapes: readonly Shape[]) {
  layer.clearLayers()
  for (const shape of shapes) layer.addData(shape as unknown as GeoJSON.Geometry)
}

/** A Leaflet map that keeps a drawn shape and an outline of its surroundings, and reports clicks. */
function useClickMap(
  host: { current: HTMLDivElement | null },
  onClick: (at: Position) => void,
  context: readonly Shape[],
) {
  const map = useRef<L.Map>()
  const shapeLayer = useRef<L.GeoJSON>()
  const clickLayer = useRef<L.LayerGroup>()
  const click = useRef(onClick)
  click.current = onClick
  useEffect(() => {
    if (!host.current) return
    const m = L.map(host.current, {
      keyboard: true,
      // No animations: the form (and its map) may close while one runs, which Leaflet does not survive.
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
    }).setView(fallbackCentre, 12)
    const outline = L.geoJSON(undefined, {
      style: { color: '#555', weight: 1, dashArray: '4', fillOpacity: 0.04 },
    })
    drawOn(outline.addTo(m), context)
    if (context.length) m.fitBounds(outline.getBounds(), { padding: [20, 20] })
    shapeLayer.current = L.geoJSON(undefined, {
      style: { color: '#a4161a', weight: 3, fillOpacity: 0.2 },
      pointToLayer: (_f, at) => L.circleMarker(at, { radius: 8, color: '#a4161a', fillOpacity: 0.8 }),
    }).addTo(m)
    clickLayer.current = L.layerGroup().addTo(m)
    m.on('click', (e: L.LeafletMouseEvent) => click.current(roundPosition(e.latlng.lng, e.latlng.lat)))
    call(client.api.settings.$get()).then(
      (s) =>
        s.mapTilesUrl &&
        // Leaflet shows attributions as HTML: the operator's text goes in escaped.
        L.tileLayer(s.mapTilesUrl, {
          maxZoom: 19,
          attribution: escapeHtml(s.mapTilesAttribution ?? ''),
        }).addTo(m),
      () => undefined,
    )
    map.current = m
    return () => m.remove()
  }, [])
  return { map, shapeLayer, clickLayer }
}

/**
 * A geometry typed or pasted as GeoJSON (the keyboard path), or clicked on the map: each click
 * places the point, or adds a vertex to the polygon (closed after three). The text is what is
 * saved; it is checked as it is typed.
 */
export function GeometryEditor(props: {
  id: string
  label: string
  clicks: 'Point' | 'Polygon'
  allowed: readonly Shape['type'][]
  value: string
  onInput: (text: string) => void
  context?: readonly Shape[]
}) {
  const host = useRef<HTMLDivElement>(null)
  const [clicks, setClicks] = useState<Position[]>([])
  const { map, shapeLayer, clickLayer } = useClickMap(
    host,
    (at) => {
      const next = props.clicks === 'Point' ? [at] : [...clicks, at]
      setClicks(next)
      const shape = shapeOfClicks(props.clicks, next)
      if (shape) props.onInput(JSON.stringify(shape))
    },
    props.context ?? [],
  )
  const parsed = props.value.trim() ? parseGeometry(props.value, props.allowed) : undefined
  const fitted = useRef(false)
  useEffect(() => {
    if (!shapeLayer.current || !map.current) return
    drawOn(shapeLayer.current, parsed?.shape ? [parsed.shape] : [])
    if (parsed?.shape && !fitted.current) {
      fitted.current = true
      map.current.fitBounds(shapeLayer.current.getBounds(), { padding: [30, 30], maxZoom: 17 })
    }
  }, [props.value])
  useEffect(() => {
    clickLayer.current?.clearLayers()
    for (const [lng, lat] of clicks) clickLayer.current?.addLayer(L.circleMarker([lat, lng], { radius: 4 }))
  }, [clicks])

  const errorId = `${props.id}-error`
  return (
    <fieldset class="geometry">
      <legend>{props.label}</legend>
      {/* Pointer-only drawing; the text below is the keyboard path. Arrow keys move the map. */}
      <section aria-label={t('geo.map')}>
        <div ref={host} class="map admin-map" />
      </section>
      <p class="hint" id={`${props.id}-hint`}>
        {t(props.clicks === 'Point' ? 'geo.clickPoint' : 'geo.clickPolygon')}{' '}
        {props.clicks === 'Polygon' &&
          clicks.length > 0 &&
          t('geo.vertices', { count: String(clicks.length) })}
      </p>
      <p>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setClicks([])
            props.onInput('')
          }}
        >
          {t('geo.clear')}
        </button>
      </p>
      <label for={props.id}>{t('geo.text')}</label>
      <textarea
        id={props.id}
        rows={5}
        spellcheck={false}
        value={props.value}
        aria-describedby={`${props.id}-hint${parsed?.problem ? ` ${errorId}` : ''}`}
        aria-invalid={parsed?.problem ? true : undefined}
        onInput={(e) => {
          setClicks([])
          props.onInput(fieldValue(e))
        }}
      />
      {parsed?.problem && (
        <p class="error" id={errorId}>
          {t(parsed.problem)}
        </p>
      )}
    </fieldset>
  )
}

/** Whether a geometry text is ready to save. */
export const geometryProblem = (text: string, allowed: readonly Shape['type'][]) =>
  text.trim() ? parseGeometry(text, allowed).problem : 'geo.missing'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
