import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client } from '../api.ts'
import { Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'
import { BookingStatus } from './BookingStatus.tsx'
import { deletedPilotNotice } from './DeletePilot.tsx'

/** The organisation's private iCalendar address: made (or replaced) on request, shown once. */
function PrivateFeed() {
  const [url, setUrl] = useState<string>()
  const [error, setError] = useState<string>()
  return (
    <section>
      <h2>{t('privateFeed')}</h2>
      <p class="hint">{t('feedHint')}</p>
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          try {
            setUrl((await call(client.api.feeds['organisation-token'].$post())).url)
            setError(undefined)
          } catch (err) {
            setError(problemText(err))
          }
        }}
      >
        {t('makeFeed')}
      </button>
      {url && (
        <p>
          <a href={url}>{url}</a>
        </p>
      )}
      <Notice kind="error" message={error} />
    </section>
  )
}

/** A company's pilots, with the state of every booking. */
export default function MyPilotsPage() {
  usePageTitle(t('myPilots'))
  const { route } = useLocation()
  const pilots = useLoad(() => call(client.api.pilots.$get({ query: { mine: 'true', limit: '500' } })))
  // Said once: the pilot deleted on its page just before coming here.
  const [deleted] = useState(() => {
    const notice = deletedPilotNotice.value
    deletedPilotNotice.value = undefined
    return notice
  })
  return (
    <>
      <h1>{t('myPilots')}</h1>
      <Notice message={deleted} />
      <p>
        <button type="button" onClick={() => route('/my/pilots/new')}>
          {t('newPilot')}
        </button>
      </p>
      <PrivateFeed />
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
                    {b.facilityName}: <BookingStatus booking={b} />
                  </li>
                ))}
              </ul>
              {p.bookingsTotal > p.bookings.length && (
                <p>
                  <a href={`/my/pilots/${p.id}`}>{t('myPilots.allBookings', { total: p.bookingsTotal })}</a>
                </p>
              )}
            </li>
          ))}
          {pilots.data.items.length === 0 && <li>{t('noPilots')}</li>}
        </ul>
      )}
    </>
  )
}
