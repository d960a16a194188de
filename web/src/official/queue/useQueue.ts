import { useEffect, useState } from 'preact/hooks'
import { call, client } from '../../api.ts'
import { problemText } from '../../components/ui.tsx'
import { apiQuery, type Filters, type QueueItem } from './model.ts'

interface QueueState {
  items: QueueItem[]
  total: number
  nextCursor: string | null
  loading: boolean
  error?: string
  loaded: boolean
}

const fetchPage = (filters: Filters, cursor?: string) =>
  call(client.api['review-queue'].$get({ query: apiQuery(filters, cursor) }))

/**
 * The queue for these filters: its first page in one request, then "load more" page by page.
 * `reload` fetches the first page again (after a decision), keeping nothing stale.
 */
export function useQueue(filters: Filters) {
  const key = JSON.stringify(filters)
  const [tick, setTick] = useState(0)
  const [state, setState] = useState<QueueState>({
    items: [],
    total: 0,
    nextCursor: null,
    loading: true,
    loaded: false,
  })
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    fetchPage(filters).then(
      (page) => live && setState({ ...page, loading: false, loaded: true }),
      (error) => live && setState((s) => ({ ...s, loading: false, error: problemText(error) })),
    )
    return () => {
      live = false
    }
  }, [key, tick])
  async function loadMore() {
    if (!state.nextCursor) return
    setState((s) => ({ ...s, loading: true }))
    try {
      const page = await fetchPage(filters, state.nextCursor)
      setState((s) => ({ ...page, items: [...s.items, ...page.items], loading: false, loaded: true }))
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error: problemText(error) }))
    }
  }
  return { ...state, loadMore, reload: () => setTick((n) => n + 1) }
}
