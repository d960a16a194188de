import { cityTimeZone } from '../api.ts'
import { type TextKey, t } from '../i18n.ts'
import { dateRange, distanceText, metresBetween, type NearPilot } from './residents.ts'

/** The metres from `from` to the nearest of a pilot's places. */
export function nearestMetres(pilot: NearPilot, from: { lat: number; lng: number }) {
  return Math.min(...(pilot.places ?? []).map((p) => metresBetween(from, p.point)))
}

/** Active and upcoming pilots near a place, nearest first, each with its distance and dates. */
export function NearList({
  pilots,
  from,
  placeName,
}: {
  pilots: NearPilot[]
  from: { lat: number; lng: number }
  placeName: string
}) {
  const shown = pilots
    .filter((p) => p.phase === 'active' || p.phase === 'upcoming')
    .map((p) => ({ pilot: p, metres: nearestMetres(p, from) }))
    .sort((a, b) => a.metres - b.metres)
  return (
    <section class="near-list" aria-labelledby="near-list-heading">
      <h2 id="near-list-heading">{t('near.pilotsNear', { place: placeName })}</h2>
      {shown.length === 0 ? (
        <p>{t('near.none')}</p>
      ) : (
        <ul class="cards">
          {shown.map(({ pilot: p, metres }) => (
            <li key={p.id} class="card">
              <h3>
                <a href={`/pilots/${p.id}`}>{p.title}</a>
              </h3>
              <p class="meta">
                {Number.isFinite(metres) && <span class="distance">{distanceText(metres)} · </span>}
                {p.organisationName} · {t(`category.${p.category}` as TextKey)}
                {p.phase && ` · ${t(p.phase)}`}
              </p>
              <p>
                {(p.places ?? []).map((s) => s.name).join(', ')}
                {p.start && p.end && <> · {dateRange(p.start, p.end, cityTimeZone.value)}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
