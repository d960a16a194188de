import { useEffect, useRef } from 'preact/hooks'
import { fieldChecked, StateBadge } from '../../components/ui.tsx'
import { span } from '../../format.ts'
import { t } from '../../i18n.ts'
import { cityDate, cityToday, compactSpan, decidable, itemKey, type QueueItem } from './model.ts'
import { DocumentsWarning } from './ReviewDocuments.tsx'

/** Arrow keys move between rows, to the same control of the row above or below. */
function moveByArrow(e: KeyboardEvent) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
  const target = e.target as HTMLElement
  const column = target.dataset.nav
  const row = target.closest('tr')
  if (!column || !row) return
  let next = (
    e.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling
  ) as HTMLElement | null
  while (next) {
    const control = next.querySelector<HTMLElement>(`[data-nav="${column}"]:not([disabled])`)
    if (control) {
      e.preventDefault()
      control.focus()
      return
    }
    next = (
      e.key === 'ArrowDown' ? next.nextElementSibling : next.previousElementSibling
    ) as HTMLElement | null
  }
}

function Deadline({ date, today }: { date: string; today: string }) {
  const overdue = date < today
  return (
    <span class={overdue ? 'overdue' : undefined}>
      {cityDate(date)}
      {overdue && <strong class="overdue-mark"> {t('queue.overdue')}</strong>}
    </span>
  )
}

interface RowProps {
  item: QueueItem
  selected: boolean
  toggle: (key: string, on: boolean) => void
  open: (item: QueueItem) => void
  result: string | undefined
  today: string
}

function Row({ item, selected, toggle, open, result, today }: RowProps) {
  const key = itemKey(item)
  const id = `pick-${key.replace(/[^a-z0-9]/gi, '')}`
  const { booking, pilot, facility } = item
  return (
    <tr class={selected ? 'selected' : undefined}>
      <td>
        <input
          type="checkbox"
          id={id}
          data-nav="pick"
          checked={selected}
          disabled={!decidable(item)}
          onChange={(e) => toggle(key, fieldChecked(e))}
        />
        <label for={id} class="visually-hidden">
          {t('queue.select', { title: pilot.title, when: span(booking.start, booking.end) })}
        </label>
      </td>
      <td data-label={t('pilot')}>
        <button type="button" class="row-open" data-nav="open" onClick={() => open(item)}>
          {pilot.title}
        </button>
        {result && <span class="row-result">{result}</span>}
      </td>
      <td data-label={t('company')}>{pilot.organisationName}</td>
      <td data-label={t('site')}>
        {facility.name} <span class="meta">({facility.areaName})</span> <DocumentsWarning item={item} />
      </td>
      <td data-label={t('queue.when')}>
        {compactSpan(booking.start, booking.end)}
        {item.seriesId && <span class="meta"> · {t('seriesOf', { count: item.occurrences })}</span>}
      </td>
      <td data-label={t('queue.deadline')}>
        <Deadline date={item.decideBy} today={today} />
      </td>
      <td data-label={t('queue.conflicts')}>{item.conflicts.length}</td>
      <td data-label={t('state')}>
        <StateBadge state={booking.state} />
      </td>
    </tr>
  )
}

/** "Select all shown": checked when all are, mixed when some are. */
function SelectAll({
  keys,
  selected,
  setAll,
}: {
  keys: string[]
  selected: Set<string>
  setAll: (on: boolean) => void
}) {
  const ref = useRef<HTMLInputElement>(null)
  const chosen = keys.filter((k) => selected.has(k)).length
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = chosen > 0 && chosen < keys.length
  }, [chosen, keys.length])
  return (
    <label class="select-all">
      <input
        ref={ref}
        type="checkbox"
        checked={keys.length > 0 && chosen === keys.length}
        disabled={keys.length === 0}
        onChange={(e) => setAll(fieldChecked(e))}
      />{' '}
      {t('queue.selectAll')}
    </label>
  )
}

/** The queue as compact rows: one line each, a checkbox to pick it, its name to open it. */
export function QueueTable(props: {
  items: QueueItem[]
  selected: Set<string>
  setSelected: (s: Set<string>) => void
  open: (item: QueueItem) => void
  results: Map<string, string>
}) {
  const today = cityToday()
  const keys = props.items.filter(decidable).map(itemKey)
  const toggle = (key: string, on: boolean) => {
    const next = new Set(props.selected)
    if (on) next.add(key)
    else next.delete(key)
    props.setSelected(next)
  }
  const setAll = (on: boolean) => props.setSelected(on ? new Set(keys) : new Set())
  return (
    <>
      <SelectAll keys={keys} selected={props.selected} setAll={setAll} />
      <table class="queue" onKeyDown={moveByArrow}>
        <caption class="visually-hidden">{t('reviewQueue')}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">{t('queue.picked')}</span>
            </th>
            {(
              [
                'pilot',
                'company',
                'site',
                'queue.when',
                'queue.deadline',
                'queue.conflicts',
                'state',
              ] as const
            ).map((k) => (
              <th scope="col" key={k}>
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <Row
              key={itemKey(item)}
              item={item}
              selected={props.selected.has(itemKey(item))}
              toggle={toggle}
              open={props.open}
              result={props.results.get(itemKey(item))}
              today={today}
            />
          ))}
        </tbody>
      </table>
    </>
  )
}
