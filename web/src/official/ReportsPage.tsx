import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Field, fieldValue, Loading, useLoad, usePageTitle, ZoneNote } from '../components/ui.tsx'
import { dateTime, fromLocalInput, toLocalInput } from '../format.ts'
import { lang, type TextKey, t } from '../i18n.ts'

/** A report as JSON: the page asks for no `format`; the CSV answer of the same route is only linked to. */
const json = async <T,>(report: Promise<T>) => (await report) as Exclude<T, string | Response>

/** A number as the interface language writes it ("24,5" in Russian). */
const number = (n: number, options: Intl.NumberFormatOptions = {}) =>
  new Intl.NumberFormat(lang.value, { maximumFractionDigits: 1, ...options }).format(n)

/** A share as a percentage in the interface language. */
const percent = (share: number) => number(share, { style: 'percent' })

/** Hours as the locale says them: "72 hours", "72 часа", "1,5 часа". */
const hoursText = (hours: number) => number(hours, { style: 'unit', unit: 'hour', unitDisplay: 'long' })

/** Working days with the noun in the right form: "1 working day", "2 рабочих дня". */
function workingDaysText(days: number) {
  const form = new Intl.PluralRules(lang.value).select(days)
  const key = `workingDays.${['one', 'few', 'many'].includes(form) ? form : 'other'}` as TextKey
  return t(key, { n: number(days) })
}

/** A bar chart drawn with HTML: each bar's value is also written beside it. */
function Bars({ rows }: { rows: { label: string; value: number; text: string }[] }) {
  const max = Math.max(...rows.map((r) => r.value), 0) || 1
  if (rows.length === 0) return <p>{t('noData')}</p>
  return (
    <ul class="bars">
      {rows.map((r) => (
        <li key={r.label}>
          <span>{r.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar" style={{ display: 'block', width: `${(r.value / max) * 100}%` }} />
          </span>
          <span>{r.text}</span>
        </li>
      ))}
    </ul>
  )
}

/** Median time to decision per department, as a table: working days and hours, nothing cut off. */
function DecisionTimes(props: {
  items: {
    departmentId: string
    departmentName: string
    decisions: number
    medianHours: number
    medianWorkingDays: number
  }[]
}) {
  if (props.items.length === 0) return <p>{t('noData')}</p>
  return (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">{t('department')}</th>
          <th scope="col">{t('decisionsCount')}</th>
          <th scope="col">{t('medianWorkingDays')}</th>
          <th scope="col">{t('medianHours')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((d) => (
          <tr key={d.departmentId}>
            <th scope="row">{d.departmentName}</th>
            <td>{number(d.decisions)}</td>
            <td>{workingDaysText(d.medianWorkingDays)}</td>
            <td>{hoursText(d.medianHours)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Every rejection in the period, as a table whose texts wrap rather than being cut off. */
function Rejections(props: {
  items: {
    bookingId: string
    decidedAt: string
    department: string
    pilot: string
    facility: string
    reason: string
  }[]
}) {
  if (props.items.length === 0) return <p>{t('noData')}</p>
  return (
    <table class="data">
      <thead>
        <tr>
          {(['decidedOn', 'department', 'pilot', 'site', 'reason'] as const).map((k) => (
            <th key={k} scope="col">
              {t(k)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.items.map((r) => (
          <tr key={`${r.bookingId}-${r.department}`}>
            <td>{r.decidedAt ? dateTime(r.decidedAt) : ''}</td>
            <td>{r.department}</td>
            <td>{r.pilot}</td>
            <td>{r.facility}</td>
            <td>{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Officials' reports over a period, as charts, with CSV downloads. */
export default function ReportsPage() {
  usePageTitle(t('reports'))
  const now = Date.now()
  const [from, setFrom] = useState(toLocalInput(now - 30 * 86_400_000))
  const [to, setTo] = useState(toLocalInput(now))
  const [period, setPeriod] = useState({ from, to })
  const range = { from: fromLocalInput(period.from) ?? '', to: fromLocalInput(period.to) ?? '' }
  const query = `from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`
  const data = useLoad(async () => {
    const reports = client.api.reports
    const [facilities, areas, decisions, categories, clusters, rejections] = await Promise.all([
      json(call(reports.utilisation.facilities.$get({ query: range }))),
      json(call(reports.utilisation.areas.$get({ query: range }))),
      json(call(reports['decision-times'].$get({ query: range }))),
      json(call(reports['pilots-by-category'].$get({ query: range }))),
      json(call(reports['pilots-by-cluster'].$get({ query: range }))),
      json(call(reports.rejections.$get({ query: range }))),
    ])
    return { facilities, areas, decisions, categories, clusters, rejections }
  }, [query, lang.value])
  const csv = (path: string) => `/api/reports/${path}?${query}&format=csv`

  return (
    <>
      <h1>{t('reports')}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault()
          setPeriod({ from, to })
        }}
      >
        <Field label={t('from')} id="report-from">
          <input
            id="report-from"
            type="datetime-local"
            value={from}
            onInput={(e) => setFrom(fieldValue(e))}
          />
        </Field>
        <Field label={t('to')} id="report-to">
          <input id="report-to" type="datetime-local" value={to} onInput={(e) => setTo(fieldValue(e))} />
        </Field>
        <button type="submit">{t('apply')}</button>
      </form>
      <ZoneNote />
      {!data.data ? (
        <Loading error={data.error} />
      ) : (
        <>
          <section>
            <h2>{t('utilisationAreas')}</h2>
            <Bars
              rows={data.data.areas.items.map((a) => ({
                label: a.areaName,
                value: a.share,
                text: percent(a.share),
              }))}
            />
            <a href={csv('utilisation/areas')}>{t('downloadCsv')}</a>
          </section>
          <section>
            <h2>{t('utilisationFacilities')}</h2>
            <Bars
              rows={data.data.facilities.items.map((f) => ({
                label: f.facilityName,
                value: f.share,
                text: percent(f.share),
              }))}
            />
            <a href={csv('utilisation/facilities')}>{t('downloadCsv')}</a>
          </section>
          <section>
            <h2>{t('decisionTimes')}</h2>
            <p>{t('decisionTimesNote')}</p>
            <DecisionTimes items={data.data.decisions.items} />
            <a href={csv('decision-times')}>{t('downloadCsv')}</a>
          </section>
          <section>
            <h2>{t('byCategory')}</h2>
            <Bars
              rows={data.data.categories.items.map((c) => ({
                label: c.name ?? t(`category.${c.id}` as TextKey),
                value: c.pilots,
                text: String(c.pilots),
              }))}
            />
            <a href={csv('pilots-by-category')}>{t('downloadCsv')}</a>
          </section>
          <section>
            <h2>{t('byCluster')}</h2>
            <Bars
              rows={data.data.clusters.items.map((c) => ({
                label: c.name ?? t('noCluster'),
                value: c.pilots,
                text: String(c.pilots),
              }))}
            />
            <a href={csv('pilots-by-cluster')}>{t('downloadCsv')}</a>
          </section>
          <section>
            <h2>{t('rejections')}</h2>
            <Rejections items={data.data.rejections.items} />
            <a href={csv('rejections')}>{t('downloadCsv')}</a>
          </section>
        </>
      )}
    </>
  )
}
