import { useEffect, useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { FeedbackList } from '../components/FeedbackList.tsx'
import { Loading, Notice, problemText, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { dateTime } from '../format.ts'
import { t } from '../i18n.ts'

/** How many pilots one page brings. */
const pageSize = 20

function overduePage(cursor?: string) {
  return call(
    client.api.pilots.$get({
      query: { resultsOverdue: 'true', limit: String(pageSize), ...(cursor ? { cursor } : {}) },
    }),
  )
}
type OverduePilot = Awaited<ReturnType<typeof overduePage>>['items'][number]

const rowId = (id: string) => `follow-up-${id}`

/** One overdue pilot: who runs it, when it ended, and its residents' feedback on demand. */
function OverdueItem({ pilot }: { pilot: OverduePilot }) {
  const [open, setOpen] = useState(false)
  // The end of its last approved booking, which the 30 days of grace count from.
  const ended = pilot.end
  const feedbackId = `feedback-of-${pilot.id}`
  return (
    <li class="card" id={rowId(pilot.id)} tabIndex={-1}>
      <h3>
        <a href={`/pilots/${pilot.id}`}>{pilot.title}</a>
      </h3>
      <p>
        {pilot.organisationName}
        {ended && <> · {t('followUp.ended', { when: dateTime(ended) })}</>}
      </p>
      <button
        type="button"
        class="secondary"
        aria-expanded={open}
        aria-controls={open ? feedbackId : undefined}
        onClick={() => setOpen(!open)}
      >
        {t('followUp.feedbackOf', { title: pilot.title })}
      </button>
      {open && <FeedbackList pilotId={pilot.id} id={feedbackId} />}
    </li>
  )
}

/**
 * Follow-up for officials (issue 18): pilots whose last booking ended more than 30 days ago
 * without published results, a page at a time, and for each what residents wrote about it.
 */
export default function PilotFollowUpPage() {
  usePageTitle(t('followUp.title'))
  const [items, setItems] = useState<OverduePilot[]>()
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<string>()
  const [focus, setFocus] = useState<string>()

  useEffect(() => {
    overduePage().then(
      (page) => {
        setItems(page.items)
        setCursor(page.nextCursor)
      },
      (err) => setError(problemText(err)),
    )
  }, [])
  useEffect(() => {
    if (focus) document.getElementById(rowId(focus))?.focus()
  }, [focus])

  async function more() {
    if (!cursor || busy) return
    setBusy(true)
    try {
      const page = await overduePage(cursor)
      const shown = (items?.length ?? 0) + page.items.length
      setItems([...(items ?? []), ...page.items])
      setCursor(page.nextCursor)
      setStatus(t('followUp.loaded', { count: page.items.length, shown }))
      setFocus(page.items[0]?.id)
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <h1>{t('followUp.title')}</h1>
      <p class="lead">{t('followUp.lead')}</p>
      <section aria-labelledby="overdue-heading" class="stack">
        <h2 id="overdue-heading">{t('followUp.overdue')}</h2>
        <ZoneNote />
        {!items ? (
          <Loading error={error} />
        ) : items.length === 0 ? (
          <p>{t('followUp.noneOverdue')}</p>
        ) : (
          <ul class="plain stack">
            {items.map((p) => (
              <OverdueItem key={p.id} pilot={p} />
            ))}
          </ul>
        )}
        <Notice message={status} />
        <Notice kind="error" message={items ? error : undefined} />
        {cursor !== null && (
          <button type="button" class="secondary" onClick={more} disabled={busy}>
            {t('followUp.more')}
          </button>
        )}
      </section>
    </>
  )
}
