import { lastDayNeeded } from '../../../../api/domain/required-documents.ts'
import { cityTimeZone } from '../../api.ts'
import { dayText, fileUrl, kindText, loadDocuments, sizeText } from '../../company/DocumentsSection.tsx'
import { Loading, useLoad } from '../../components/ui.tsx'
import { t } from '../../i18n.ts'
import type { QueueItem } from './model.ts'

/** Whether a queue item's site requires a document the pilot lacks or that ends before the booking. */
export function documentsWanting(item: QueueItem): boolean {
  return item.documents.some((d) => d.status !== 'valid')
}

/** The queue row's mark: shown only when a required document is missing or expires too soon. */
export function DocumentsWarning({ item }: { item: QueueItem }) {
  if (!documentsWanting(item)) return null
  return (
    <span class="doc-warning error" title={t('docs.warn')}>
      <span aria-hidden="true">⚠ </span>
      {t('docs.warnShort')}
      <span class="visually-hidden">: {t('docs.warn')}</span>
    </span>
  )
}

function standingText(s: QueueItem['documents'][number]): string {
  if (s.status === 'missing') return t('docs.status.missing')
  if (s.status === 'expires') return t('docs.status.expires', { date: dayText(s.validUntil ?? '') })
  return s.validUntil ? t('docs.status.valid', { date: dayText(s.validUntil) }) : t('docs.status.validNoEnd')
}

/**
 * The review pane's documents (issue 19): how each kind the site requires stands against the
 * booking's end, and every document of the pilot with its validity and its download.
 */
export function ReviewDocuments({ item }: { item: QueueItem }) {
  const list = useLoad(() => loadDocuments(item.pilot.id), [item.pilot.id])
  const needUntil = lastDayNeeded(Date.parse(item.booking.end), cityTimeZone.value)
  return (
    <section aria-labelledby="review-documents-heading">
      <h3 id="review-documents-heading">{t('docs.heading')}</h3>
      {item.documents.length > 0 && (
        <>
          <h4>{t('docs.reviewRequired')}</h4>
          <ul class="plain">
            {item.documents.map((s) => (
              <li key={s.kind} class={s.status === 'valid' ? 'ok' : 'error'}>
                <strong>{kindText(s.kind)}</strong>: {standingText(s)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t('docs.reviewAll')}</h4>
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('docs.reviewNone')}</p>
        ) : (
          <ul class="plain">
            {list.data.items.map((d) => (
              <li key={d.id}>
                {kindText(d.kind)}: {d.title} · {d.validUntil ? dayText(d.validUntil) : t('docs.noEnd')} (
                {d.validUntil === null || d.validUntil >= needUntil
                  ? t('docs.coversBooking')
                  : t('docs.endsBeforeBooking')}
                ) · {sizeText(d.size)} ·{' '}
                <a href={fileUrl(d.id)} download={d.fileName}>
                  {t('docs.downloadLabel', { title: d.title })}
                </a>
              </li>
            ))}
          </ul>
        )
      ) : (
        <Loading error={list.error} />
      )}
    </section>
  )
}
