import { useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { Loading, Notice, problemText, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { useStore } from '../store.ts'
import { BulkBar } from './queue/BulkBar.tsx'
import { DetailPane } from './queue/DetailPane.tsx'
import {
  type BulkResult,
  type Decision,
  filtersOf,
  itemKey,
  type QueueItem,
  queueUrl,
  resultKey,
  resultSummary,
  resultText,
} from './queue/model.ts'
import { QueueFilters } from './queue/QueueFilters.tsx'
import { QueueTable } from './queue/QueueTable.tsx'
import { useQueue } from './queue/useQueue.ts'

const chunk = 200

/** Sends the decision for these items, at most 200 a request: bookings by id, series whole. */
async function sendBulk(items: QueueItem[], decision: Decision, note: string): Promise<BulkResult[]> {
  const results: BulkResult[] = []
  for (let i = 0; i < items.length; i += chunk) {
    const part = items.slice(i, i + chunk)
    const bookingIds = part.filter((x) => !x.seriesId).map((x) => x.booking.id)
    const seriesIds = part.flatMap((x) => (x.seriesId ? [x.seriesId] : []))
    const answer = await call(
      client.api.reviews.bulk.$post({
        json: { bookingIds, seriesIds, decision, ...(note ? { note } : {}) },
      }),
    )
    results.push(...answer.results)
  }
  return results
}

/** The page's decisions: send them, mark each row with its result, say the sum, refresh. */
function useDecisions(departmentId: string, reload: () => void, clearSelection: () => void) {
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()
  const [results, setResults] = useState(new Map<string, string>())
  async function decide(items: QueueItem[], decision: Decision, note: string) {
    try {
      const answer = await sendBulk(items, decision, note)
      const byRow = new Map<string, string>()
      for (const r of answer) byRow.set(resultKey(departmentId, r), resultText(r, decision))
      setResults(byRow)
      setMessage({ text: resultSummary(answer, decision), kind: 'info' })
      clearSelection()
      reload()
    } catch (error) {
      setMessage({ text: problemText(error), kind: 'error' })
    }
  }
  return { decide, results, message }
}

function Rows(props: {
  queue: ReturnType<typeof useQueue>
  selected: Set<string>
  setSelected: (s: Set<string>) => void
  open: (item: QueueItem) => void
  results: Map<string, string>
}) {
  const { queue } = props
  if (!queue.loaded) return <Loading error={queue.error} />
  if (queue.items.length === 0) return <p>{t('nothingToReview')}</p>
  return (
    <>
      <QueueTable {...props} items={queue.items} />
      {queue.nextCursor && (
        <p>
          <button type="button" class="secondary" disabled={queue.loading} onClick={queue.loadMore}>
            {t('queue.loadMore', { shown: queue.items.length, total: queue.total })}
          </button>
        </p>
      )}
    </>
  )
}

/**
 * An official's review queue: every request waiting for their department as one compact row, in
 * one request however many wait; filters and order in the address; bulk decisions with one note;
 * a row's full record only when it is opened.
 */
export default function ReviewQueuePage() {
  usePageTitle(t('reviewQueue'))
  const user = useStore(me)
  const location = useLocation()
  const filters = filtersOf(location.query)
  const queue = useQueue(filters)
  const [selected, setSelected] = useState(new Set<string>())
  const [opened, setOpened] = useState<QueueItem>()
  const opener = useRef<HTMLElement | null>(null)
  const open = (item: QueueItem) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    setOpened(item)
  }
  // Closing the pane gives focus back to the row it came from or, when that row is gone, the first row.
  const close = () => {
    setOpened(undefined)
    requestAnimationFrame(() => {
      const back = opener.current?.isConnected
        ? opener.current
        : document.querySelector<HTMLElement>('[data-nav]')
      back?.focus()
    })
  }
  const departmentId = user?.department?.id ?? ''
  const decisions = useDecisions(departmentId, queue.reload, () => setSelected(new Set()))
  if (user?.role !== 'official') return <p>{t('signIn')}</p>
  const picked = queue.items.filter((item) => selected.has(itemKey(item)))
  const decideOpened = async (items: QueueItem[], decision: Decision, note: string) => {
    await decisions.decide(items, decision, note)
    close()
  }
  return (
    <>
      <h1>{t('reviewQueue')}</h1>
      <p class="queue-total" role="status">
        {queue.loaded ? t('queue.total', { count: queue.total }) : ''}
      </p>
      <ZoneNote />
      <QueueFilters
        key={location.url}
        filters={filters}
        items={queue.items}
        apply={(next) => location.route(queueUrl(next))}
      />
      <Notice message={decisions.message?.text} kind={decisions.message?.kind} />
      <div class="queue-layout">
        <div class="queue-list">
          <BulkBar
            count={picked.length}
            decide={(decision, note) => decisions.decide(picked, decision, note)}
          />
          <Rows
            queue={queue}
            selected={selected}
            setSelected={setSelected}
            open={open}
            results={decisions.results}
          />
        </div>
        {opened && <DetailPane item={opened} close={close} decide={decideOpened} />}
      </div>
    </>
  )
}
