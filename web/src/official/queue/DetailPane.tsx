import { useEffect, useRef } from 'preact/hooks'
import { call, client } from '../../api.ts'
import { Loading, StateBadge, useLoad } from '../../components/ui.tsx'
import { dateTime, span } from '../../format.ts'
import { type TextKey, t } from '../../i18n.ts'
import { DecisionControls } from './BulkBar.tsx'
import { type Decision, decidable, type QueueItem } from './model.ts'
import { ReviewDocuments } from './ReviewDocuments.tsx'

/** One booking's full record, asked for when its row is opened: three requests, never before. */
function loadRecord(item: QueueItem) {
  const id = item.booking.id
  return Promise.all([
    call(client.api.bookings[':id'].$get({ param: { id } })),
    call(client.api.bookings[':id'].events.$get({ param: { id } })),
    call(client.api.pilots[':id'].$get({ param: { id: item.pilot.id } })),
  ]).then(([booking, events, pilot]) => ({ booking, events: events.items, pilot }))
}

type RecordData = Awaited<ReturnType<typeof loadRecord>>

/** An audit action in words when the interface knows it, else as the API names it. */
function actionText(action: string): string {
  const key = `event.${action}` as TextKey
  const text = t(key)
  return text === key ? action : text
}

function Record({ data }: { data: RecordData }) {
  const { booking, events, pilot } = data
  return (
    <>
      <p class="meta">
        {pilot.organisationName} · {booking.facilityName} · {span(booking.start, booking.end)}{' '}
        <StateBadge state={booking.state} />
      </p>
      <p>{pilot.publicDescription}</p>
      {booking.note && (
        <p>
          {t('note')}: <q>{booking.note}</q>
        </p>
      )}
      <h3>{t('decisions')}</h3>
      <ul class="plain">
        {booking.reviews.map((r) => (
          <li key={r.departmentId}>
            {t('decidedBy', { department: r.departmentName, decision: t(r.decision as TextKey) })}
            {r.note && <q> {r.note}</q>}
          </li>
        ))}
      </ul>
      <h3>{t('queue.history')}</h3>
      <ol class="plain">
        {events.map((e) => (
          <li key={`${e.at}-${e.action}`}>
            {dateTime(e.at)} · {e.actor?.name ?? t('queue.system')} · {actionText(e.action)}
          </li>
        ))}
      </ol>
    </>
  )
}

/** The opened row: its record on demand, and its own decision (a series: every waiting occurrence). */
export function DetailPane(props: {
  item: QueueItem
  close: () => void
  decide: (items: QueueItem[], decision: Decision, note: string) => Promise<void>
}) {
  const { item } = props
  const record = useLoad(() => loadRecord(item), [item.booking.id])
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [item.booking.id])
  const series = item.seriesId !== null
  return (
    <section
      class="queue-detail card"
      aria-labelledby="detail-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.close()
      }}
    >
      <h2 id="detail-title" tabIndex={-1} ref={heading}>
        {item.pilot.title}
      </h2>
      {series && <p>{t('seriesOf', { count: item.occurrences })}</p>}
      {record.data ? <Record data={record.data} /> : <Loading error={record.error} />}
      <ReviewDocuments item={item} />
      {decidable(item) && (
        <DecisionControls
          id="detail-note"
          count={1}
          labels={{
            approve: series ? t('approveAll', { count: item.occurrences }) : t('approve'),
            request_changes: t('requestChanges'),
            reject: series ? t('rejectAll') : t('reject'),
          }}
          decide={(decision, note) => props.decide([item], decision, note)}
        />
      )}
      <p>
        <button type="button" class="secondary" onClick={props.close}>
          {t('queue.close')}
        </button>
      </p>
    </section>
  )
}
