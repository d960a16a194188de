import { useEffect, useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { dateTime } from '../format.ts'
import { t } from '../i18n.ts'
import { Loading, Notice, problemText } from './ui.tsx'

/** How many messages one page brings. */
const pageSize = 20

function feedbackPage(pilotId: string, cursor?: string) {
  return call(
    client.api.pilots[':id'].feedback.$get({
      param: { id: pilotId },
      query: { limit: String(pageSize), ...(cursor ? { cursor } : {}) },
    }),
  )
}
type Feedback = Awaited<ReturnType<typeof feedbackPage>>['items'][number]

/** The element id of a message, so that focus can move to the first one a page brought. */
const messageId = (id: string) => `feedback-${id}`

/**
 * What residents wrote about one pilot (never shown publicly), newest first as the API gives
 * them, a page at a time: "More messages" appends the next page and moves focus to the first
 * message it brought.
 */
export function FeedbackList({ pilotId, id }: { pilotId: string; id: string }) {
  const [items, setItems] = useState<Feedback[]>()
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [focus, setFocus] = useState<string>()
  const [status, setStatus] = useState<string>()

  useEffect(() => {
    let live = true
    feedbackPage(pilotId).then(
      (page) => {
        if (!live) return
        setItems(page.items)
        setCursor(page.nextCursor)
      },
      (err) => live && setError(problemText(err)),
    )
    return () => {
      live = false
    }
  }, [pilotId])
  useEffect(() => {
    if (focus) document.getElementById(messageId(focus))?.focus()
  }, [focus])

  async function more() {
    if (!cursor || busy) return
    setBusy(true)
    try {
      const page = await feedbackPage(pilotId, cursor)
      const shown = (items?.length ?? 0) + page.items.length
      setItems([...(items ?? []), ...page.items])
      setCursor(page.nextCursor)
      setStatus(t('feedback.loaded', { count: page.items.length, shown }))
      setFocus(page.items[0]?.id)
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  if (!items) return <Loading error={error} />
  return (
    <div class="stack" id={id}>
      {items.length === 0 ? (
        <p>{t('feedback.none')}</p>
      ) : (
        <ol class="plain feedback-list">
          {items.map((f) => (
            <li key={f.id} id={messageId(f.id)} tabIndex={-1} class="card">
              <p style={{ whiteSpace: 'pre-line' }}>{f.message}</p>
              <p class="hint">
                {dateTime(f.createdAt)}
                {f.email && (
                  <>
                    {' · '}
                    <a href={`mailto:${f.email}`}>{f.email}</a>
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
      <Notice message={status} />
      <Notice kind="error" message={items.length > 0 ? error : undefined} />
      {cursor !== null && (
        <button type="button" class="secondary" onClick={more} disabled={busy}>
          {t('feedback.more')}
        </button>
      )}
    </div>
  )
}
