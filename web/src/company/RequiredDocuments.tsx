import { documentStandings, lastDayNeeded } from '../../../api/domain/required-documents.ts'
import { cityTimeZone, type Facility } from '../api.ts'
import { useLoad } from '../components/ui.tsx'
import { fromLocalInput } from '../format.ts'
import { t } from '../i18n.ts'
import { dayText, kindText, loadDocuments } from './DocumentsSection.tsx'
import { plan, type RepeatChoice } from './RepeatFields.tsx'

/** When the request ends (epoch ms): a series' last occurrence's end; undefined until it is known. */
function lastEndOf(start: string, end: string, repeat: RepeatChoice): number | undefined {
  const s = fromLocalInput(start)
  const e = fromLocalInput(end)
  if (!e) return undefined
  const first = s ? { start: Date.parse(s), end: Date.parse(e) } : undefined
  const planned = first && first.start < first.end ? plan(first, repeat) : { spans: [] }
  const ends = 'spans' in planned ? planned.spans.map((p) => p.end) : []
  return ends.length > 0 ? Math.max(...ends) : Date.parse(e)
}

/**
 * The documents the chosen site requires, on the request form (issue 19): for each kind whether
 * the pilot holds one valid until the day the booking ends (the same rule the server applies,
 * api/domain/required-documents.ts), so that a missing or expiring one shows before submitting.
 * `start` and `end` are the form's datetime-local values; a series needs them until its last end.
 */
export function RequiredDocuments(props: {
  pilotId: string
  facility: Facility | undefined
  start: string
  end: string
  repeat: RepeatChoice
}) {
  const required = props.facility?.rules.requiredDocuments ?? []
  const documents = useLoad(
    () => (required.length > 0 ? loadDocuments(props.pilotId) : Promise.resolve(null)),
    [props.pilotId, required.length > 0],
  )
  if (required.length === 0) return null
  const end = lastEndOf(props.start, props.end, props.repeat)
  // Before an end is chosen, a held document counts as held whatever its date.
  const needUntil = end === undefined ? '' : lastDayNeeded(end, cityTimeZone.value)
  const held = (documents.data?.items ?? []).map((d) => ({ kind: d.kind, validUntil: d.validUntil }))
  const standings = documentStandings(required, held, needUntil)
  return (
    <section class="required-documents" aria-labelledby="required-documents-heading">
      <h2 id="required-documents-heading">{t('docs.required')}</h2>
      <p class="hint">{t('docs.requiredHint')}</p>
      <ul class="plain" aria-live="polite">
        {standings.map((s) => (
          <li key={s.kind} class={s.status === 'valid' ? 'ok' : 'error'}>
            <strong>{kindText(s.kind)}</strong>
            {documents.data && (
              <>
                {': '}
                {s.status === 'missing'
                  ? t('docs.status.missing')
                  : s.status === 'expires'
                    ? t('docs.status.expires', { date: dayText(s.validUntil ?? '') })
                    : s.validUntil
                      ? t('docs.status.valid', { date: dayText(s.validUntil) })
                      : t('docs.status.validNoEnd')}
              </>
            )}
          </li>
        ))}
      </ul>
      {standings.some((s) => s.status !== 'valid') && (
        <p>
          <a href={`/my/pilots/${props.pilotId}`}>{t('docs.uploadOnPilot')}</a>
        </p>
      )}
    </section>
  )
}
