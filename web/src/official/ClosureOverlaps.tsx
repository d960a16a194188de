import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import { problemText } from '../components/ui.tsx'
import { span } from '../format.ts'
import { t } from '../i18n.ts'

/** Where and when a closure would be: one site or a whole area; the closure edited, if any. */
export interface OverlapQuery {
  facilityId?: string | undefined
  areaId?: string | undefined
  start: string
  end: string
  excludeId?: string | undefined
}

function askOverlaps(q: OverlapQuery) {
  return call(
    client.api.closures.overlaps.$get({
      query: {
        ...(q.facilityId ? { facilityId: q.facilityId } : { areaId: q.areaId }),
        start: q.start,
        end: q.end,
        excludeId: q.excludeId,
      },
    }),
  )
}

type Overlaps = Awaited<ReturnType<typeof askOverlaps>>

/**
 * Saving a closure with a look first at the bookings it would meet: with none it saves at once;
 * otherwise `dialog` names them and saves only when the official confirms. Render `dialog`
 * outside any form: it holds its own.
 */
export function useOverlapWarning(onSaved: () => void) {
  const [pending, setPending] = useState<{ overlaps: Overlaps; save: () => Promise<unknown> }>()
  const [error, setError] = useState<string>()
  async function saveChecked(query: OverlapQuery, save: () => Promise<unknown>) {
    const overlaps = await askOverlaps(query)
    if (overlaps.total > 0) return setPending({ overlaps, save })
    await save()
    onSaved()
  }
  const dialog = (
    <ConfirmDialog
      open={!!pending}
      title={t('closures.overlapTitle')}
      confirmLabel={t('closures.saveAnyway')}
      cancelLabel={t('closures.goBack')}
      error={error}
      onConfirm={async () => {
        try {
          await pending?.save()
          return true
        } catch (err) {
          setError(problemText(err))
          return false
        }
      }}
      focusAfterConfirm={() => document.getElementById('main')}
      onDone={onSaved}
      onClose={() => {
        setPending(undefined)
        setError(undefined)
      }}
    >
      {pending && <OverlapList overlaps={pending.overlaps} />}
    </ConfirmDialog>
  )
  return { saveChecked, dialog }
}

function OverlapList({ overlaps }: { overlaps: Overlaps }) {
  return (
    <>
      <p>
        {overlaps.total === 1 ? t('closures.overlapsOne') : t('closures.overlaps', { count: overlaps.total })}
      </p>
      <ul class="overlaps">
        {overlaps.items.map((o) => (
          <li key={o.bookingId}>
            {o.pilotTitle} ({o.organisationName}), {o.facilityName}: {span(o.start, o.end)} — {t(o.state)}
          </li>
        ))}
      </ul>
      {overlaps.total > overlaps.items.length && (
        <p>{t('closures.overlapsMore', { count: overlaps.total - overlaps.items.length })}</p>
      )}
      <p class="hint">{t('closures.overlapsStay')}</p>
    </>
  )
}
