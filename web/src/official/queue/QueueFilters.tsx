import { useState } from 'preact/hooks'
import { CategoryOptions } from '../../components/options.tsx'
import { Field, fieldValue } from '../../components/ui.tsx'
import { type TextKey, t } from '../../i18n.ts'
import type { Filters, QueueItem } from './model.ts'

const states = ['pending', 'changes_requested', 'approved', 'rejected', 'cancelled'] as const
const sorts = ['deadline', 'start', 'created'] as const

/** The areas and sites the loaded rows name, and the chosen ones: no request of their own. */
function placesOf(items: QueueItem[], filters: Filters) {
  const areas = new Map<string, string>()
  const sites = new Map<string, string>()
  for (const { facility } of items) {
    areas.set(facility.areaId, facility.areaName)
    sites.set(facility.id, facility.name)
  }
  if (filters.areaId && !areas.has(filters.areaId)) areas.set(filters.areaId, t('queue.chosen'))
  if (filters.facilityId && !sites.has(filters.facilityId)) sites.set(filters.facilityId, t('queue.chosen'))
  const sorted = (m: Map<string, string>) => [...m].sort((a, b) => a[1].localeCompare(b[1]))
  return { areas: sorted(areas), sites: sorted(sites) }
}

function Choice(props: {
  id: string
  label: string
  value: string | undefined
  onChange: (value: string) => void
  children: preact.ComponentChildren
}) {
  return (
    <Field label={props.label} id={props.id}>
      <select id={props.id} value={props.value ?? ''} onChange={(e) => props.onChange(fieldValue(e))}>
        {props.children}
      </select>
    </Field>
  )
}

function Selects({ draft, set, items }: { draft: Filters; set: (f: Filters) => void; items: QueueItem[] }) {
  const { areas, sites } = placesOf(items, draft)
  return (
    <>
      <Choice
        id="queue-state"
        label={t('state')}
        value={draft.state}
        onChange={(state) => set({ ...draft, state })}
      >
        <option value="">{t('queue.waitingForUs')}</option>
        {states.map((s) => (
          <option value={s} key={s}>
            {t(s as TextKey)}
          </option>
        ))}
      </Choice>
      <Choice
        id="queue-area"
        label={t('area')}
        value={draft.areaId}
        onChange={(areaId) => set({ ...draft, areaId })}
      >
        <option value="">{t('queue.any')}</option>
        {areas.map(([id, name]) => (
          <option value={id} key={id}>
            {name}
          </option>
        ))}
      </Choice>
      <Choice
        id="queue-site"
        label={t('site')}
        value={draft.facilityId}
        onChange={(facilityId) => set({ ...draft, facilityId })}
      >
        <option value="">{t('queue.any')}</option>
        {sites.map(([id, name]) => (
          <option value={id} key={id}>
            {name}
          </option>
        ))}
      </Choice>
      <Choice
        id="queue-category"
        label={t('category')}
        value={draft.category}
        onChange={(category) => set({ ...draft, category })}
      >
        <option value="">{t('queue.any')}</option>
        <CategoryOptions />
      </Choice>
    </>
  )
}

function Inputs({ draft, set }: { draft: Filters; set: (f: Filters) => void }) {
  const input = (id: string, name: 'q' | 'from' | 'to', label: string, type: string) => (
    <Field label={label} id={id}>
      <input
        id={id}
        type={type}
        value={draft[name] ?? ''}
        onInput={(e) => set({ ...draft, [name]: fieldValue(e) })}
      />
    </Field>
  )
  return (
    <>
      {input('queue-q', 'q', t('queue.words'), 'search')}
      {input('queue-from', 'from', t('from'), 'date')}
      {input('queue-to', 'to', t('to'), 'date')}
      <Choice
        id="queue-sort"
        label={t('queue.sort')}
        value={draft.sort}
        onChange={(sort) => set({ ...draft, sort })}
      >
        {sorts.map((s) => (
          <option value={s === 'deadline' ? '' : s} key={s}>
            {t(`queue.sort.${s}`)}
          </option>
        ))}
      </Choice>
    </>
  )
}

/** Filters and order, applied together; the page keeps them in its address. */
export function QueueFilters(props: { filters: Filters; items: QueueItem[]; apply: (f: Filters) => void }) {
  const [draft, setDraft] = useState<Filters>(props.filters)
  const active = Object.keys(props.filters).length
  return (
    <details class="queue-filters-box" open={active > 0}>
      <summary>{active > 0 ? t('queue.filtersOn', { count: active }) : t('queue.filters')}</summary>
      <form
        class="queue-filters"
        aria-label={t('queue.filters')}
        onSubmit={(e) => {
          e.preventDefault()
          props.apply(draft)
        }}
      >
        <Selects draft={draft} set={setDraft} items={props.items} />
        <Inputs draft={draft} set={setDraft} />
        <p class="actions">
          <button type="submit">{t('queue.apply')}</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft({})
              props.apply({})
            }}
          >
            {t('queue.clear')}
          </button>
        </p>
      </form>
    </details>
  )
}
