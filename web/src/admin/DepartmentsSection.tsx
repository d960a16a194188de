import type { InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Field, fieldValue, Loading, Notice, problemText, useLoad } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { ConfirmButton } from './ConfirmButton.tsx'

type Department = InferResponseType<typeof client.api.departments.$get, 200>['items'][number]

/** One department: its name and review period, saved together. */
function DepartmentRow({ department, onDone }: { department: Department; onDone: (m: string) => void }) {
  const [name, setName] = useState(department.name)
  const [period, setPeriod] = useState(String(department.reviewPeriodDays))
  const [error, setError] = useState<string>()
  const id = `dept-${department.id.slice(0, 8)}`
  async function submit(e: Event) {
    e.preventDefault()
    try {
      await call(
        client.api.departments[':id'].$patch({
          param: { id: department.id },
          json: { name, reviewPeriodDays: Number(period) },
        }),
      )
      setError(undefined)
      onDone(t('adm.departmentSaved', { name }))
    } catch (err) {
      setError(problemText(err))
    }
  }
  return (
    <li>
      <form class="inline-form" onSubmit={submit} aria-label={department.name}>
        <Field label={t('department')} id={`${id}-name`}>
          <input id={`${id}-name`} value={name} required onInput={(e) => setName(fieldValue(e))} />
        </Field>
        <Field label={t('adm.reviewPeriod')} id={`${id}-period`}>
          <input
            id={`${id}-period`}
            type="number"
            min={1}
            max={60}
            step={1}
            required
            value={period}
            onInput={(e) => setPeriod(fieldValue(e))}
          />
        </Field>
        <button type="submit">{t('save')}</button>
        <Notice kind="error" message={error} />
      </form>
    </li>
  )
}

function NewDepartment({ onDone }: { onDone: (m: string) => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault()
        try {
          await call(client.api.departments.$post({ json: { name } }))
          setName('')
          setError(undefined)
          onDone(t('adm.departmentSaved', { name }))
        } catch (err) {
          setError(problemText(err))
        }
      }}
    >
      <Field label={t('newDepartment')} id="new-department">
        <input id="new-department" required value={name} onInput={(e) => setName(fieldValue(e))} />
      </Field>
      <button type="submit">{t('create')}</button>
      <Notice kind="error" message={error} />
    </form>
  )
}

/** The city's public holidays of one year: listed, added, removed (confirmed). */
function Holidays() {
  const [year, setYear] = useState(new Date().getFullYear())
  const holidays = useLoad(() => call(client.api.holidays.$get({ query: { year: String(year) } })), [year])
  const [form, setForm] = useState({ day: '', name: '' })
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()
  const done = (text: string) => {
    setMessage({ text, kind: 'info' })
    holidays.reload()
  }
  async function add(e: Event) {
    e.preventDefault()
    try {
      await call(client.api.holidays.$post({ json: form }))
      setForm({ day: '', name: '' })
      // Show the year the new holiday is in, so that it is seen in the list.
      setYear(Number(form.day.slice(0, 4)))
      done(t('adm.holidayAdded', { day: form.day }))
    } catch (err) {
      setMessage({ text: problemText(err), kind: 'error' })
    }
  }
  return (
    <section aria-labelledby="holidays-heading">
      <h2 id="holidays-heading" tabIndex={-1}>
        {t('adm.holidays')}
      </h2>
      <p class="hint">{t('adm.holidaysHint')}</p>
      <div class="narrow">
        <Field label={t('adm.year')} id="holiday-year">
          <input
            id="holiday-year"
            type="number"
            min={1900}
            max={2999}
            value={year}
            onInput={(e) => {
              const next = Number(fieldValue(e))
              if (next >= 1900 && next <= 2999) setYear(next)
            }}
          />
        </Field>
      </div>
      <Notice message={message?.text} kind={message?.kind} />
      {!holidays.data ? (
        <Loading error={holidays.error} />
      ) : holidays.data.items.length === 0 ? (
        <p>{t('adm.noHolidays')}</p>
      ) : (
        <ul class="plain">
          {holidays.data.items.map((h) => (
            <li key={h.day}>
              {h.day} — {h.name}{' '}
              <ConfirmButton
                label={t('remove')}
                ariaLabel={t('adm.removeHolidayWho', { day: h.day })}
                title={t('adm.removeHolidayTitle', { day: h.day, name: h.name })}
                confirmLabel={t('remove')}
                action={() => call(client.api.holidays[':day'].$delete({ param: { day: h.day } }))}
                onDone={() => done(t('adm.holidayRemoved', { day: h.day }))}
                focusAfter={() => document.getElementById('holidays-heading')}
              >
                <p>{t('adm.removeHolidayHint')}</p>
              </ConfirmButton>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={add} aria-label={t('adm.addHoliday')}>
        <Field label={t('adm.holidayDay')} id="holiday-day">
          <input
            id="holiday-day"
            type="date"
            required
            value={form.day}
            onInput={(e) => setForm({ ...form, day: fieldValue(e) })}
          />
        </Field>
        <Field label={t('adm.holidayName')} id="holiday-name">
          <input
            id="holiday-name"
            required
            value={form.name}
            onInput={(e) => setForm({ ...form, name: fieldValue(e) })}
          />
        </Field>
        <button type="submit">{t('adm.addHoliday')}</button>
      </form>
    </section>
  )
}

/** Departments with their review periods, and the public holidays review deadlines skip. */
export function DepartmentsSection() {
  const departments = useLoad(() => call(client.api.departments.$get()))
  const [message, setMessage] = useState<string>()
  const done = (text: string) => {
    setMessage(text)
    departments.reload()
  }
  return (
    <>
      <section aria-labelledby="departments-heading">
        <h2 id="departments-heading">{t('adm.departments')}</h2>
        <p class="hint">{t('adm.reviewPeriodHint')}</p>
        <Notice message={message} />
        {!departments.data ? (
          <Loading error={departments.error} />
        ) : (
          <ul class="plain">
            {departments.data.items.map((d) => (
              <DepartmentRow key={`${d.id}-${d.name}-${d.reviewPeriodDays}`} department={d} onDone={done} />
            ))}
          </ul>
        )}
        <NewDepartment onDone={done} />
      </section>
      <Holidays />
    </>
  )
}
