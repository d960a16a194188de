import { useRoute } from 'preact-iso'
import { call, client } from '../api.ts'
import { BookingStatus } from '../company/BookingStatus.tsx'
import { Loading, useLoad, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'
import { bookingRowId, MoreBookings, usePilotBookings } from './MoreBookings.tsx'

/** A pilot's public page: who, what, where, when, why, and which data. */
export default function PilotPage() {
  const { params } = useRoute()
  const pilot = useLoad(
    () => call(client.api.pilots[':id'].$get({ param: { id: params.id as string } })),
    [params.id],
  )
  const paging = usePilotBookings(pilot.data)
  usePageTitle(pilot.data?.title ?? t('pilots'))
  if (!pilot.data) return <Loading error={pilot.error} />
  const p = pilot.data
  return (
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
  )
}
