import { useState } from 'preact/hooks'
import { type Booking, call, client, type Facility, me, type Pilot } from '../api.ts'
import { FacilityFacts } from '../components/FacilityFacts.tsx'
import {
  Field,
  fieldValue,
  Loading,
  Notice,
  problemText,
  StateBadge,
  useLoad,
  usePageTitle,
  ZoneNote,
} from '../components/ui.tsx'
import { span } from '../format.ts'
import { type TextKey, t } from '../i18n.ts'
import { useStore } from '../store.ts'

interface QueueItem {
  booking: Booking
  pilot: Pilot | undefined
  facility: Facility | undefined
  conflicts: Booking[]
}

const holding = new Set(['pending', 'changes_requested', 'approved'])

function ReviewItem({
  item,
  departmentId,
  onDecided,
}: {
  item: QueueItem
  departmentId: string
  onDecided: (m: string) => void
}) {
  const { booking, pilot, facility, conflicts } = item
  const [note, setNote] = useState('')
  const [error, setError] = useState<string>()
  const mine = booking.reviews.find((r) => r.departmentId === departmentId)
  const idPart = booking.id.slice(0, 8)

  async function decide(decision: 'approve' | 'reject' | 'request_changes') {
    if (decision !== 'approve' && !note.trim()) {
      setError(t('noteRequired'))
      return
    }
    try {
      await call(
        client.api.bookings[':id'].reviews.$post({
          param: { id: booking.id },
          json: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      )
      onDecided(t('done'))
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <li class="card review">
      <h2>
        {pilot?.title ?? booking.pilotId} — {booking.facilityName}
      </h2>
      <p class="meta">
        {pilot?.organisationName} · {pilot && t(`category.${pilot.category}` as TextKey)} ·{' '}
        {span(booking.start, booking.end)} <StateBadge state={booking.state} />
      </p>
      {pilot && <p>{pilot.publicDescription}</p>}
      {booking.note && (
        <p>
          {t('note')}: <q>{booking.note}</q>
        </p>
      )}
      <ul class="plain" aria-label={t('decisions')}>
        {booking.reviews.map((r) => (
          <li key={r.departmentId}>
            {t('decidedBy', { department: r.departmentName, decision: t(r.decision as TextKey) })}
          </li>
        ))}
      </ul>
      <h3>{t('conflicts')}</h3>
      {conflicts.length === 0 ? (
        <p>{t('noConflicts')}</p>
      ) : (
        <ul>
          {conflicts.map((c) => (
            <li key={c.id}>
              {span(c.start, c.end)} <StateBadge state={c.state} />
            </li>
          ))}
        </ul>
      )}
      {facility && (
        <details>
          <summary>{t('rules')}</summary>
          <FacilityFacts facility={facility} />
        </details>
      )}
      {mine?.decision === 'pending' && (
        <div class="decide">
          <Field label={t('note')} id={`note-${idPart}`}>
            <textarea id={`note-${idPart}`} rows={2} value={note} onInput={(e) => setNote(fieldValue(e))} />
          </Field>
          <p class="actions">
            <button type="button" onClick={() => decide('approve')}>
              {t('approve')}
            </button>
            <button type="button" class="secondary" onClick={() => decide('request_changes')}>
              {t('requestChanges')}
            </button>
            <button type="button" class="danger" onClick={() => decide('reject')}>
              {t('reject')}
            </button>
          </p>
        </div>
      )}
      <Notice kind="error" message={error} />
    </li>
  )
}

/**
 * A series as one item: what it asks for, one decision for every occurrence still waiting for
 * this department, and the occurrences themselves to decide one by one.
 */
function SeriesItem({
  seriesId,
  items,
  departmentId,
  onDecided,
}: {
  seriesId: string
  items: QueueItem[]
  departmentId: string
  onDecided: (m: string) => void
}) {
  const first = items[0] as QueueItem
  const last = items[items.length - 1] as QueueItem
  const [note, setNote] = useState('')
  const [error, setError] = useState<string>()
  const idPart = seriesId.slice(0, 8)

  async function decideAll(decision: 'approve' | 'reject' | 'request_changes') {
    if (decision !== 'approve' && !note.trim()) {
      setError(t('noteRequired'))
      return
    }
    try {
      const result = await call(
        client.api.series[':id'].reviews.$post({
          param: { id: seriesId },
          json: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      )
      onDecided(t('seriesDecided', { count: result.decided }))
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <li class="card review">
      <h2>
        {first.pilot?.title ?? first.booking.pilotId} — {first.booking.facilityName}
      </h2>
      <p class="meta">
        {first.pilot?.organisationName} · {t('seriesOf', { count: items.length })} ·{' '}
        {span(first.booking.start, first.booking.end)} … {span(last.booking.start, last.booking.end)}
      </p>
      {first.pilot && <p>{first.pilot.publicDescription}</p>}
      {first.booking.note && (
        <p>
          {t('note')}: <q>{first.booking.note}</q>
        </p>
      )}
      <p>{t('seriesConflicts', { count: items.filter((i) => i.conflicts.length > 0).length })}</p>
      <div class="decide">
        <Field label={t('note')} id={`series-note-${idPart}`}>
          <textarea
            id={`series-note-${idPart}`}
            rows={2}
            value={note}
            onInput={(e) => setNote(fieldValue(e))}
          />
        </Field>
        <p class="actions">
          <button type="button" onClick={() => decideAll('approve')}>
            {t('approveAll', { count: items.length })}
          </button>
          <button type="button" class="secondary" onClick={() => decideAll('request_changes')}>
            {t('requestChanges')}
          </button>
          <button type="button" class="danger" onClick={() => decideAll('reject')}>
            {t('rejectAll')}
          </button>
        </p>
      </div>
      <Notice kind="error" message={error} />
      <details>
        <summary>{t('oneByOne')}</summary>
        <ul class="cards">
          {items.map((item) => (
            <ReviewItem key={item.booking.id} item={item} departmentId={departmentId} onDecided={onDecided} />
          ))}
        </ul>
      </details>
    </li>
  )
}

/** Single requests as they are; the occurrences of a series together, in the order of their first. */
function grouped(items: QueueItem[]): ({ single: QueueItem } | { seriesId: string; items: QueueItem[] })[] {
  const out: ({ single: QueueItem } | { seriesId: string; items: QueueItem[] })[] = []
  const series = new Map<string, QueueItem[]>()
  for (const item of items) {
    const id = item.booking.seriesId
    if (!id) out.push({ single: item })
    else if (series.has(id)) series.get(id)?.push(item)
    else {
      const group = [item]
      series.set(id, group)
      out.push({ seriesId: id, items: group })
    }
  }
  for (const group of series.values()) group.sort((a, b) => a.booking.start.localeCompare(b.booking.start))
  return out
}

/** An official's queue: the pending requests their department must sign off, with conflicts and rules. */
export default function ReviewQueuePage() {
  usePageTitle(t('reviewQueue'))
  const user = useStore(me)
  const [message, setMessage] = useState<string>()
  const queue = useLoad(async (): Promise<QueueItem[]> => {
    const pending = await call(client.api.bookings.$get({ query: { state: 'pending', limit: '200' } }))
    const departmentId = user?.department?.id
    const waiting = pending.items.filter((b) =>
      b.reviews.some((r) => r.departmentId === departmentId && r.decision === 'pending'),
    )
    return Promise.all(
      waiting.map(async (booking) => {
        const [pilot, facility, others] = await Promise.all([
          call(client.api.pilots[':id'].$get({ param: { id: booking.pilotId } })).catch(() => undefined),
          call(client.api.facilities[':id'].$get({ param: { id: booking.facilityId } })).catch(
            () => undefined,
          ),
          call(client.api.bookings.$get({ query: { facilityId: booking.facilityId, limit: '500' } })),
        ])
        const conflicts = others.items.filter(
          (o) =>
            o.id !== booking.id && holding.has(o.state) && o.start < booking.end && booking.start < o.end,
        )
        return { booking, pilot, facility, conflicts }
      }),
    )
  }, [user?.id])
  const decided = (m: string) => {
    setMessage(m)
    queue.reload()
  }
  if (user?.role !== 'official') return <p>{t('signIn')}</p>
  return (
    <>
      <h1>{t('reviewQueue')}</h1>
      <ZoneNote />
      <Notice message={message} />
      {!queue.data ? (
        <Loading error={queue.error} />
      ) : queue.data.length === 0 ? (
        <p>{t('nothingToReview')}</p>
      ) : (
        <ul class="cards">
          {grouped(queue.data).map((entry) =>
            'single' in entry ? (
              <ReviewItem
                key={entry.single.booking.id}
                item={entry.single}
                departmentId={user.department?.id ?? ''}
                onDecided={decided}
              />
            ) : (
              <SeriesItem
                key={entry.seriesId}
                seriesId={entry.seriesId}
                items={entry.items}
                departmentId={user.department?.id ?? ''}
                onDecided={decided}
              />
            ),
          )}
        </ul>
      )}
    </>
  )
}
