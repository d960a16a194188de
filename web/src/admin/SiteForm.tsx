import type { InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { connectivityKinds, documentKinds } from '../../../api/domain/vocabulary.ts'
import { type Area, call, client, type Facility } from '../api.ts'
import { KindOptions } from '../components/options.tsx'
import { Field, fieldChecked, fieldValue, Notice, problemText } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'
import { GeometryEditor, geometryProblem } from './GeometryEditor.tsx'
import type { Shape } from './geometry.ts'
import { numberOrUndefined } from './PublishToggle.tsx'

type Department = InferResponseType<typeof client.api.departments.$get, 200>['items'][number]
type Kind = Facility['kind']
type Connectivity = (typeof connectivityKinds)[number]
type Window = { weekday: number; from: string; to: string }
type DocumentKind = (typeof documentKinds)[number]
const siteShapes = ['Point', 'LineString', 'Polygon'] as const

const specNumbers = ['powerKw', 'voltage', 'maxLoadKg', 'heightM'] as const
const ruleNumbers = [
  'minDurationMinutes',
  'maxDurationMinutes',
  'leadTimeMinutes',
  'horizonDays',
  'setupMinutes',
  'teardownMinutes',
] as const
type NumberKey = (typeof specNumbers)[number] | (typeof ruleNumbers)[number]

function initialForm(site: Facility | undefined, areas: Area[]) {
  const text = (n: number | undefined) => (n === undefined ? '' : String(n))
  const numbers = Object.fromEntries([
    ...specNumbers.map((k) => [k, text(site?.specs[k])]),
    ...ruleNumbers.map((k) => [k, text(site?.rules[k])]),
  ]) as Record<NumberKey, string>
  return {
    areaId: site?.areaId ?? areas[0]?.id ?? '',
    name: site?.name ?? '',
    description: site?.description ?? '',
    address: site?.address ?? '',
    kind: (site?.kind ?? 'lighting_pole') as Kind,
    capacity: String(site?.capacity ?? 1),
    geometry: site ? JSON.stringify(site.geometry) : '',
    mounting: site?.specs.mounting ?? '',
    accessNotes: site?.specs.accessNotes ?? '',
    indoor: site?.specs.indoor === undefined ? '' : String(site.specs.indoor),
    connectivity: (site?.specs.connectivity ?? []) as Connectivity[],
    openingHours: (site?.rules.openingHours ?? []) as Window[],
    requiredDocuments: (site?.rules.requiredDocuments ?? []) as DocumentKind[],
    departmentId: site?.departmentId ?? '',
    signoffDepartmentIds: site?.signoffDepartmentIds ?? [],
    published: false,
    ...numbers,
  }
}
type Form = ReturnType<typeof initialForm>

/** The request body the form stands for (numbers left empty are left out, or cleared in specs). */
function bodyOf(form: Form) {
  const specs = Object.fromEntries(specNumbers.map((k) => [k, numberOrUndefined(form[k]) ?? null]))
  const rules = Object.fromEntries(
    ruleNumbers.flatMap((k) => (form[k].trim() === '' ? [] : [[k, Number(form[k])]])),
  )
  return {
    name: form.name,
    description: form.description,
    address: form.address.trim() || null,
    kind: form.kind,
    capacity: Number(form.capacity),
    geometry: JSON.parse(form.geometry),
    specs: {
      ...specs,
      mounting: form.mounting.trim() || null,
      accessNotes: form.accessNotes.trim() || null,
      indoor: form.indoor === '' ? null : form.indoor === 'true',
      connectivity: form.connectivity,
    },
    rules: { ...rules, openingHours: form.openingHours, requiredDocuments: form.requiredDocuments },
    ...(form.departmentId ? { departmentId: form.departmentId } : {}),
    signoffDepartmentIds: form.signoffDepartmentIds,
  }
}

function OpeningHours({ windows, onChange }: { windows: Window[]; onChange: (w: Window[]) => void }) {
  const change = (i: number, patch: Partial<Window>) =>
    onChange(windows.map((w, j) => (j === i ? { ...w, ...patch } : w)))
  return (
    <fieldset>
      <legend>{t('openingHours')}</legend>
      <p class="hint">{t('adm.openingHoursHint')}</p>
      {windows.map((w, i) => (
        <div class="inline-form" key={i}>
          <Field label={t('adm.weekday')} id={`window-${i}-day`}>
            <select
              id={`window-${i}-day`}
              value={String(w.weekday)}
              onChange={(e) => change(i, { weekday: Number(fieldValue(e)) })}
            >
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={String(d)}>
                  {t(`weekday.${d}` as TextKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('from')} id={`window-${i}-from`}>
            <input
              id={`window-${i}-from`}
              type="time"
              required
              value={w.from}
              onInput={(e) => change(i, { from: fieldValue(e) })}
            />
          </Field>
          <Field label={t('to')} id={`window-${i}-to`}>
            <input
              id={`window-${i}-to`}
              type="time"
              required
              value={w.to}
              onInput={(e) => change(i, { to: fieldValue(e) })}
            />
          </Field>
          <button
            type="button"
            class="secondary"
            aria-label={t('adm.removeWindow', { n: String(i + 1) })}
            onClick={() => onChange(windows.filter((_, j) => j !== i))}
          >
            {t('remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        class="secondary"
        onClick={() => onChange([...windows, { weekday: 1, from: '08:00', to: '20:00' }])}
      >
        {t('adm.addWindow')}
      </button>
    </fieldset>
  )
}

const numberLabels: Record<NumberKey, TextKey> = {
  powerKw: 'adm.powerKw',
  voltage: 'adm.voltage',
  maxLoadKg: 'adm.maxLoadKg',
  heightM: 'adm.heightM',
  minDurationMinutes: 'adm.minDuration',
  maxDurationMinutes: 'adm.maxDuration',
  leadTimeMinutes: 'adm.leadTime',
  horizonDays: 'adm.horizonDays',
  setupMinutes: 'adm.setup',
  teardownMinutes: 'adm.teardown',
}

function NumberFields({
  keys,
  form,
  set,
}: {
  keys: readonly NumberKey[]
  form: Form
  set: (k: NumberKey, v: string) => void
}) {
  return (
    <div class="field-grid">
      {keys.map((k) => (
        <Field key={k} label={t(numberLabels[k])} id={`site-${k}`}>
          <input
            id={`site-${k}`}
            type="number"
            min={0}
            step="any"
            value={form[k]}
            onInput={(e) => set(k, fieldValue(e))}
          />
        </Field>
      ))}
    </div>
  )
}

/** Create or edit a site: where it is, what it offers, its booking rules and who signs off. */
export function SiteForm(props: {
  site: Facility | undefined
  areas: Area[]
  departments: Department[]
  onSaved: (message: string) => void
  onCancel: () => void
}) {
  const { site } = props
  const [form, setForm] = useState(() => initialForm(site, props.areas))
  const [error, setError] = useState<string>()
  const set = (key: keyof Form) => (e: Event) => setForm((f) => ({ ...f, [key]: fieldValue(e) }))
  const area = props.areas.find((a) => a.id === form.areaId)
  const toggleIn = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...list, item] : list.filter((x) => x !== item)

  async function submit(e: Event) {
    e.preventDefault()
    const problem = geometryProblem(form.geometry, siteShapes)
    if (problem) return setError(`${t('adm.location')}: ${t(problem)}`)
    try {
      const body = bodyOf(form)
      if (site) {
        await call(
          client.api.facilities[':id'].$patch({
            param: { id: site.id },
            json: { ...body, version: site.version },
          }),
        )
      } else {
        await call(
          client.api.facilities.$post({ json: { ...body, areaId: form.areaId, published: form.published } }),
        )
      }
      props.onSaved(t('adm.siteSaved', { name: form.name }))
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <form class="stack admin-form" onSubmit={submit} aria-labelledby="site-form-heading">
      <h3 id="site-form-heading" tabIndex={-1}>
        {site ? t('adm.editSite', { name: site.name }) : t('adm.newSite')}
      </h3>
      <Field label={t('area')} id="site-area">
        <select id="site-area" value={form.areaId} disabled={Boolean(site)} onChange={set('areaId')}>
          {props.areas.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('adm.title')} id="site-name">
        <input id="site-name" required maxLength={200} value={form.name} onInput={set('name')} />
      </Field>
      <Field label={t('adm.description')} id="site-description">
        <textarea id="site-description" rows={3} value={form.description} onInput={set('description')} />
      </Field>
      <Field label={t('adm.address')} id="site-address" hint={t('adm.addressHint')}>
        <input
          id="site-address"
          maxLength={300}
          autoComplete="off"
          aria-describedby="site-address-hint"
          value={form.address}
          onInput={set('address')}
        />
      </Field>
      <Field label={t('kind')} id="site-kind">
        <select id="site-kind" value={form.kind} onChange={set('kind')}>
          <KindOptions />
        </select>
      </Field>
      <Field label={t('adm.capacityHint')} id="site-capacity">
        <input
          id="site-capacity"
          type="number"
          min={1}
          max={1000}
          required
          value={form.capacity}
          onInput={set('capacity')}
        />
      </Field>
      <GeometryEditor
        id="site-geometry"
        label={t('adm.location')}
        clicks="Point"
        allowed={siteShapes}
        value={form.geometry}
        onInput={(geometry) => setForm((f) => ({ ...f, geometry }))}
        context={area ? [area.geometry as Shape] : []}
      />
      <fieldset>
        <legend>{t('specs')}</legend>
        <NumberFields keys={specNumbers} form={form} set={(k, v) => setForm((f) => ({ ...f, [k]: v }))} />
        <fieldset>
          <legend>{t('connectivity')}</legend>
          {connectivityKinds.map((c) => (
            <label key={c} class="check">
              <input
                type="checkbox"
                checked={form.connectivity.includes(c)}
                onChange={(e) =>
                  setForm((f) => ({ ...f, connectivity: toggleIn(f.connectivity, c, fieldChecked(e)) }))
                }
              />{' '}
              {c.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <Field label={t('adm.placement')} id="site-indoor">
          <select id="site-indoor" value={form.indoor} onChange={set('indoor')}>
            <option value="">{t('either')}</option>
            <option value="true">{t('indoor')}</option>
            <option value="false">{t('outdoor')}</option>
          </select>
        </Field>
        <Field label={t('mounting')} id="site-mounting">
          <input id="site-mounting" maxLength={200} value={form.mounting} onInput={set('mounting')} />
        </Field>
        <Field label={t('access')} id="site-access">
          <textarea id="site-access" rows={2} value={form.accessNotes} onInput={set('accessNotes')} />
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('rules')}</legend>
        <NumberFields keys={ruleNumbers} form={form} set={(k, v) => setForm((f) => ({ ...f, [k]: v }))} />
        <OpeningHours
          windows={form.openingHours}
          onChange={(openingHours) => setForm((f) => ({ ...f, openingHours }))}
        />
        <fieldset aria-describedby="site-documents-hint">
          <legend>{t('adm.requiredDocuments')}</legend>
          <p class="hint" id="site-documents-hint">
            {t('adm.requiredDocumentsHint')}
          </p>
          {documentKinds.map((k) => (
            <label key={k} class="check">
              <input
                type="checkbox"
                checked={form.requiredDocuments.includes(k)}
                onChange={(e) =>
                  setForm((f) => ({
                    ...f,
                    requiredDocuments: toggleIn(f.requiredDocuments, k, fieldChecked(e)),
                  }))
                }
              />{' '}
              {t(`adm.document.${k}` as TextKey)}
            </label>
          ))}
        </fieldset>
      </fieldset>
      <Field label={t('managedBy')} id="site-department">
        <select id="site-department" value={form.departmentId} onChange={set('departmentId')}>
          <option value="">{t('adm.areasDepartment')}</option>
          {props.departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('adm.signoffs')}</legend>
        {props.departments.map((d) => (
          <label key={d.id} class="check">
            <input
              type="checkbox"
              checked={form.signoffDepartmentIds.includes(d.id)}
              onChange={(e) =>
                setForm((f) => ({
                  ...f,
                  signoffDepartmentIds: toggleIn(f.signoffDepartmentIds, d.id, fieldChecked(e)),
                }))
              }
            />{' '}
            {d.name}
          </label>
        ))}
      </fieldset>
      {!site && (
        <label class="check">
          <input
            type="checkbox"
            checked={form.published}
            onChange={(e) => setForm((f) => ({ ...f, published: fieldChecked(e) }))}
          />{' '}
          {t('adm.publishNow')}
        </label>
      )}
      <Notice kind="error" message={error} />
      <p class="actions">
        <button type="submit">{t('save')}</button>{' '}
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('adm.cancel')}
        </button>
      </p>
    </form>
  )
}
