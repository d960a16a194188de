import { useLocation } from 'preact-iso'
import { api, type Page, type Pilot } from '../api.ts'
import { Loading, StateBadge, useLoad, usePageTitle } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'

/** A company's pilots, with the state of every booking. */
export default function MyPilotsPage() {
  usePageTitle(t('myPilots'))
  const { route } = useLocation()
  const pilots = useLoad(() => api<Page<Pilot>>('/pilots?mine=true&limit=500'))
  return (
    <>
      <h1>{t('myPilots')}</h1>
      <p>
        <button type="button" onClick={() => route('/my/pilots/new')}>
          {t('newPilot')}
        </button>
      </p>
      {!pilots.data ? (
        <Loading error={pilots.error} />
      ) : (
        <ul class="cards">
          {pilots.data.items.map((p) => (
            <li key={p.id} class="card">
              <h2>
                <a href={`/my/pilots/${p.id}`}>{p.title}</a>
              </h2>
              <p class="meta">{t(`category.${p.category}` as TextKey)}</p>
              <ul class="plain">
                {p.bookings.map((b) => (
                  <li key={b.id}>
                    {b.facilityName}: <StateBadge state={b.state} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
          {pilots.data.items.length === 0 && <li>{t('noPilots')}</li>}
        </ul>
      )}
    </>
  )
}
