import { useState } from 'preact/hooks'
import { Notice, problemText } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { findPlaces, type Place } from './residents.ts'

/** Where picking a place leads: the map with the pilots near it (a shareable address). */
export function nearHref(place: { name: string; point: [number, number] }, target = '/map') {
  const [lng, lat] = place.point
  // The comma stays readable: `near=59.938600,30.314100` is what the API takes too.
  return `${target}?near=${lat.toFixed(6)},${lng.toFixed(6)}&${new URLSearchParams({ place: place.name })}`
}

/**
 * "What is being tested near …": a street, place or site typed, the matching places offered as
 * links (the keyboard and screen-reader path as much as the mouse's).
 */
export function PlaceSearch({ target = '/map', initial = '' }: { target?: string; initial?: string }) {
  const [q, setQ] = useState(initial)
  const [found, setFound] = useState<{ q: string; places: Place[] }>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function search(e: Event) {
    e.preventDefault()
    const words = q.trim()
    if (!words) return
    setBusy(true)
    setError(undefined)
    try {
      setFound({ q: words, places: await findPlaces(words) })
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="place-search" aria-labelledby="place-search-heading">
      <h2 id="place-search-heading">{t('near.heading')}</h2>
      <form class="filters" onSubmit={search}>
        <div class="field">
          <label for="place-q">{t('near.label')}</label>
          <input
            id="place-q"
            type="search"
            autocomplete="street-address"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" aria-disabled={busy}>
          {busy ? t('loading') : t('near.find')}
        </button>
      </form>
      <Notice kind="error" message={error} />
      <Notice
        message={found ? t('near.placesFound', { count: found.places.length, q: found.q }) : undefined}
      />
      {found && found.places.length > 0 && (
        <ul class="place-results">
          {found.places.map(({ point, ...p }) => (
            <li key={`${p.type}-${p.id}`}>
              {point ? <a href={nearHref({ name: p.name, point }, target)}>{p.name}</a> : p.name}
              {[p.address, p.areaName].filter(Boolean).length > 0 && (
                <span class="meta"> — {[p.address, p.areaName].filter(Boolean).join(', ')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
