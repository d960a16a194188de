import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { ConfirmDialog } from '../components/ConfirmDialog.tsx'
import {
  Field,
  fieldValue,
  Loading,
  Notice,
  problemText,
  useLoad,
  usePageTitle,
  ZoneNote,
} from '../components/ui.tsx'
import { fromLocalInput, span, toLocalInput } from '../format.ts'
import { t } from '../i18n.ts'
import { useStore } from '../store.ts'
import { useOverlapWarning } from './ClosureOverlaps.tsx'
import { ClosureTimeFields } from './ClosureTimeFields.tsx'

type Overview = Awaited<ReturnType<typeof loadPage>>
type ClosureRow = Overview['closures']['items'][number]
type Draft = { id?: string; areaId: string; facilityId: string; start: string; end: string; reason: string }

const dayMs = 24 * 3600 * 1000

/** The window and area of the URL: city dates, from today for 90 days unless given. */
function windowOf(query: Record<string, string>) {
  const from = /^\d{4}-\d{2}-\d{2}$/.test(query.from ?? '')
    ? (query.from as string)
    : toLocalInput(Date.now()).slice(0, 10)
  const fromInstant = fromLocalInput(`${from}T00:00`) ?? new Date().toISOString()
  const to = /^\d{4}-\d{2}-\d{2}$/.test(query.to ?? '')
    ? (query.to as string)
    : toLocalInput(Date.parse(fromInstant) + 90 * dayMs).slice(0, 10)
  return { from, to, areaId: query.areaId ?? '' }
}

/** The start of the city day after a date: the "to" date counts whole. */
function dayAfter(date: string) {
  const noon = Date.parse(fromLocalInput(`${date}T12:00`) ?? '')
  return Number.isNaN(noon) ? undefined : fromLocalInput(`${toLocalInput(noon + dayMs).slice(0, 10)}T00:00`)
}

/** The closures of the window (one request), with the areas and sites to name, filter and close. */
async function loadPage(w: { from: string; to: string; areaId: string }) {
  const [closures, areas, facilities] = await Promise.all([
    call(
      client.api.closures.$get({
        query: {
          from: fromLocalInput(`${w.from}T00:00`),
          to: dayAfter(w.to),
          areaId: w.areaId || undefined,
          limit: '500',
        },
      }),
    ),
    call(client.api.areas.$get({ query: { limit: '500' } })),
    call(client.api.facilities.$get({ query: { limit: '500' } })),
  ])
  return { closures, areas: areas.items, facilities: facilities.items }
}

function save(d: Draft) {
  const json = {
    start: fromLocalInput(d.start) as string,
    end: fromLocalInput(d.end) as string,
    reason: d.reason,
  }
  if (d.id) return call(client.api.closures[':id'].$patch({ param: { id: d.id }, json }))
  if (d.facilityId)
    return call(client.api.facilities[':id'].closures.$post({ param: { id: d.facilityId }, json }))
  return call(client.api.areas[':id'].closures.$post({ param: { id: d.areaId }, json }))
}

/** Every closure, area-wide and per site, in a window: create, edit and delete where one may. */
export default function ClosuresPage() {
  usePageTitle(t('closures'))
  const { query, route } = useLocation()
  const w = windowOf(query)
  const page = useLoad(() => loadPage(w), [w.from, w.to, w.areaId])
  const [draft, setDraft] = useState<Draft>()
  // A new round after each save, so that the form starts empty again.
  const [round, setRound] = useState(0)
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()
  const done = (text: string) => {
    setDraft(undefined)
    setRound((n) => n + 1)
    setMessage({ text, kind: 'info' })
    page.reload()
  }
  return (
    <section>
      <h1>{t('closures')}</h1>
      <ZoneNote />
      <WindowFilter w={w} areas={page.data?.areas ?? []} go={(q) => route(`/closures?${q}`)} />
      <Notice message={message?.text} kind={message?.kind} />
      {page.data ? (
        <ClosuresTable data={page.data} onEdit={setDraft} onDeleted={() => done(t('done'))} />
      ) : (
        <Loading error={page.error} />
      )}
      {page.data && (
        <ClosureEditor
          key={`${draft?.id ?? 'new'}-${round}`}
          data={page.data}
          draft={draft}
          onSaved={() => done(t('saved'))}
          onCancel={() => setDraft(undefined)}
          onError={(text) => setMessage({ text, kind: 'error' })}
        />
      )}
    </section>
  )
}

function WindowFilter(props: {
  w: { from: string; to: string; areaId: string }
  areas: Overview['areas']
  go: (query: string) => void
}) {
  const [f, setF] = useState(props.w)
  function apply(e: Event) {
    e.preventDefault()
    const q = new URLSearchParams({ from: f.from, to: f.to, ...(f.areaId ? { areaId: f.areaId } : {}) })
    props.go(q.toString())
  }
  return (
    <form class="inline-form" onSubmit={apply} aria-label={t('closures.window')}>
      <Field label={t('fromDate')} id="closures-from">
        <input
          id="closures-from"
          type="date"
          required
          value={f.from}
          onInput={(e) => setF({ ...f, from: fieldValue(e) })}
        />
      </Field>
      <Field label={t('toDate')} id="closures-to">
        <input
          id="closures-to"
          type="date"
          required
          value={f.to}
          onInput={(e) => setF({ ...f, to: fieldValue(e) })}
        />
      </Field>
      <Field label={t('area')} id="closures-area">
        <select id="closures-area" value={f.areaId} onChange={(e) => setF({ ...f, areaId: fieldValue(e) })}>
          <option value="">{t('all')}</option>
          {props.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit">{t('apply')}</button>
    </form>
  )
}

/** Whether the signed-in user may change closures of a department's places. */
function useMayManage() {
  const user = useStore(me)
  return (departmentId: string | undefined) =>
    user?.role === 'admin' ||
    (user?.role === 'official' && !!departmentId && user.department?.id === departmentId)
}

function departmentOf(
  data: Overview,
  c: { facilityId: string | null; areaId: string | null; area: { id: string } },
) {
  if (c.facilityId) return data.facilities.find((f) => f.id === c.facilityId)?.departmentId
  return data.areas.find((a) => a.id === c.area.id)?.departmentId
}

function ClosuresTable(props: { data: Overview; onEdit: (d: Draft) => void; onDeleted: () => void }) {
  const mayManage = useMayManage()
  const items = props.data.closures.items
  if (items.length === 0) return <p>{t('noClosures')}</p>
  return (
    <table class="data">
      <caption class="visually-hidden">{t('closures')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('closures.when')}</th>
          <th scope="col">{t('area')}</th>
          <th scope="col">{t('site')}</th>
          <th scope="col">{t('reason')}</th>
          <th scope="col">{t('closures.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <ClosureLine key={c.id} c={c} may={mayManage(departmentOf(props.data, c))} {...props} />
        ))}
      </tbody>
    </table>
  )
}

function ClosureLine(props: {
  c: ClosureRow
  may: boolean
  onEdit: (d: Draft) => void
  onDeleted: () => void
}) {
  const { c } = props
  const draft = (): Draft => ({
    id: c.id,
    areaId: c.area.id,
    facilityId: c.facility?.id ?? '',
    start: toLocalInput(c.start),
    end: toLocalInput(c.end),
    reason: c.reason,
  })
  const place = c.facility ? c.facility.name : t('closures.wholeArea')
  return (
    <tr>
      <td>{span(c.start, c.end)}</td>
      <td>{c.area.name}</td>
      <td>{place}</td>
      <td>{c.reason}</td>
      <td>
        {props.may && (
          <>
            <button
              type="button"
              class="secondary"
              aria-label={t('closures.editOf', { place, when: span(c.start, c.end) })}
              onClick={() => props.onEdit(draft())}
            >
              {t('edit')}
            </button>{' '}
            <DeleteClosure c={c} place={place} onDeleted={props.onDeleted} />
          </>
        )}
      </td>
    </tr>
  )
}

function DeleteClosure(props: { c: ClosureRow; place: string; onDeleted: () => void }) {
  const [open, setOpen] = useState(false)
  const [error, setError] = useState<string>()
  const when = span(props.c.start, props.c.end)
  return (
    <>
      <button
        type="button"
        class="secondary"
        aria-label={t('closures.deleteOf', { place: props.place, when })}
        onClick={() => setOpen(true)}
      >
        {t('remove')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('closures.deleteTitle')}
        confirmLabel={t('closures.deleteConfirm')}
        cancelLabel={t('closures.keep')}
        error={error}
        onConfirm={async () => {
          try {
            await call(client.api.closures[':id'].$delete({ param: { id: props.c.id } }))
            return true
          } catch (err) {
            setError(problemText(err))
            return false
          }
        }}
        focusAfterConfirm={() => document.getElementById('main')}
        onDone={props.onDeleted}
        onClose={() => {
          setOpen(false)
          setError(undefined)
        }}
      >
        <p>
          {props.c.area.name}, {props.place}: {when} — {props.c.reason}
        </p>
      </ConfirmDialog>
    </>
  )
}

const emptyDraft: Draft = { areaId: '', facilityId: '', start: '', end: '', reason: '' }

function ClosureEditor(props: {
  data: Overview
  draft: Draft | undefined
  onSaved: () => void
  onCancel: () => void
  onError: (text: string) => void
}) {
  const mayManage = useMayManage()
  const [d, setD] = useState<Draft>(props.draft ?? emptyDraft)
  const warning = useOverlapWarning(props.onSaved)
  const areas = props.data.areas.filter((a) => mayManage(a.departmentId))
  if (!props.draft && areas.length === 0) return null
  async function submit(e: Event) {
    e.preventDefault()
    const place = d.facilityId ? { facilityId: d.facilityId } : { areaId: d.areaId }
    const times = { start: fromLocalInput(d.start) as string, end: fromLocalInput(d.end) as string }
    await warning
      .saveChecked({ ...place, ...times, excludeId: d.id }, () => save(d))
      .catch((err) => props.onError(problemText(err)))
  }
  return (
    <>
      <h2>{props.draft ? t('closures.editTitle') : t('addClosure')}</h2>
      <form class="inline-form" onSubmit={submit}>
        <PlaceFields
          d={d}
          setD={setD}
          areas={areas}
          facilities={props.data.facilities}
          editing={!!props.draft}
        />
        <ClosureTimeFields value={d} onChange={(time) => setD({ ...d, ...time })} />
        <button type="submit">{props.draft ? t('saveChanges') : t('addClosure')}</button>{' '}
        {props.draft && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t('closures.keep')}
          </button>
        )}
      </form>
      {warning.dialog}
    </>
  )
}

function PlaceFields(props: {
  d: Draft
  setD: (d: Draft) => void
  areas: Overview['areas']
  facilities: Overview['facilities']
  editing: boolean
}) {
  const { d, setD } = props
  if (props.editing) return null
  const sites = props.facilities.filter((f) => f.areaId === d.areaId)
  return (
    <>
      <Field label={t('area')} id="closure-area">
        <select
          id="closure-area"
          required
          value={d.areaId}
          onChange={(e) => setD({ ...d, areaId: fieldValue(e), facilityId: '' })}
        >
          <option value="">{t('closures.chooseArea')}</option>
          {props.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('site')} id="closure-site">
        <select
          id="closure-site"
          value={d.facilityId}
          onChange={(e) => setD({ ...d, facilityId: fieldValue(e) })}
        >
          <option value="">{t('closures.wholeArea')}</option>
          {sites.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </Field>
    </>
  )
}
