import { useRoute } from 'preact-iso'
import { call, client } from '../api.ts'
import { Loading, StateBadge, useLoad, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'

/** A pilot's public page: who, what, where, when, why, and which data. */
export default function PilotPage() {
  const { params } = useRoute()
  const pilot = useLoad(
    () => call(client.api.pilots[':id'].$get({ param: { id: params.id as string } })),
    [params.id],
  )
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
        {p.bookings.map((b) => (
          <li key={b.id}>
            <a href={`/sites/${b.facilityId}`}>{b.facilityName}</a>: {span(b.start, b.end)}{' '}
            {b.state !== 'approved' && <StateBadge state={b.state} />}
          </li>
        ))}
      </ul>
    </article>
  )
}
