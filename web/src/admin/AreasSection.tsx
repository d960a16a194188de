import type { InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { categoryIds } from '../../../api/domain/vocabulary.ts'
import { type Area, call, client } from '../api.ts'
import { Field, fieldChecked, fieldValue, Loading, Notice, problemText, useLoad } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'
import { GeometryEditor, geometryProblem } from './GeometryEditor.tsx'
import type { Shape } from './geometry.ts'
import { PublishToggle } from './PublishToggle.tsx'
import { useAdminList } from './useAdminList.ts'

type Department = InferResponseType<typeof client.api.departments.$get, 200>['items'][number]
type Category = (typeof categoryIds)[number]
const areaShapes = ['Polygon', 'MultiPolygon'] as const

function AreaForm(props: {
  area: Area | undefined
  others: Area[]
  departments: Department[]
  onSaved: (message: string) => void
  onCancel: () => void
}) {
  const { area } = props
  const [form, setForm] = useState({
    name: area?.name ?? '',
    description: area?.description ?? '',
    address: area?.address ?? '',
    departmentId: area?.departmentId ?? props.departments[0]?.id ?? '',
    categories: (area?.categories ?? []) as Category[],
    geometry: area ? JSON.stringify(area.geometry) : '',
    published: false,
  })
  const [error, setError] = useState<string>()
  const set = (key: 'name' | 'description' | 'address' | 'departmentId') => (e: Event) =>
    setForm({ ...form, [key]: fieldValue(e) })
  const toggle = (c: Category) => (e: Event) =>
    setForm({
      ...form,
      categories: fieldChecked(e) ? [...form.categories, c] : form.categories.filter((x) => x !== c),
    })

  async function submit(e: Event) {
    e.preventDefault()
    const problem = geometryProblem(form.geometry, areaShapes)
    if (problem) return setError(`${t('adm.geometry')}: ${t(problem)}`)
    const fields = {
      name: form.name,
      description: form.description,
      address: form.address.trim() || null,
      departmentId: form.departmentId,
      categories: form.categories,
      geometry: JSON.parse(form.geometry),
    }
    try {
      if (area) {
        await call(
          client.api.areas[':id'].$patch({
            param: { id: area.id },
            json: { ...fields, version: area.version },
          }),
        )
      } else {
        await call(client.api.areas.$post({ json: { ...fields, published: form.published } }))
      }
      props.onSaved(t('adm.areaSaved', { name: form.name }))
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <form class="stack admin-form" onSubmit={submit} aria-labelledby="area-form-heading">
      <h3 id="area-form-heading" tabIndex={-1}>
        {area ? t('adm.editArea', { name: area.name }) : t('adm.newArea')}
      </h3>
      <Field label={t('adm.title')} id="area-name">
        <input id="area-name" required maxLength={200} value={form.name} onInput={set('name')} />
      </Field>
      <Field label={t('adm.description')} id="area-description">
        <textarea id="area-description" rows={3} value={form.description} onInput={set('description')} />
      </Field>
      <Field label={t('adm.address')} id="area-address" hint={t('adm.addressHint')}>
        <input
          id="area-address"
          maxLength={300}
          autoComplete="off"
          aria-describedby="area-address-hint"
          value={form.address}
          onInput={set('address')}
        />
      </Field>
      <Field label={t('managedBy')} id="area-department">
        <select id="area-department" value={form.departmentId} onChange={set('departmentId')}>
          {props.departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('adm.acceptedCategories')}</legend>
        {categoryIds.map((c) => (
          <label key={c} class="check">
            <input type="checkbox" checked={form.categories.includes(c)} onChange={toggle(c)} />{' '}
            {t(`category.${c}` as TextKey)}
          </label>
        ))}
      </fieldset>
      <GeometryEditor
        id="area-geometry"
        label={t('adm.outline')}
        clicks="Polygon"
        allowed={areaShapes}
        value={form.geometry}
        onInput={(geometry) => setForm((f) => ({ ...f, geometry }))}
        context={props.others.filter((o) => o.id !== area?.id).map((o) => o.geometry as Shape)}
      />
      {!area && (
        <label class="check">
          <input
            type="checkbox"
            checked={form.published}
            onChange={(e) => setForm({ ...form, published: fieldChecked(e) })}
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

/** Test areas, drafts included: create, edit, publish and unpublish. */
export function AreasSection() {
  const list = useAdminList(() => call(client.api.areas.$get({ query: { limit: '500' } })), {
    heading: 'areas-heading',
    formHeading: 'area-form-heading',
  })
  const departments = useLoad(() => call(client.api.departments.$get()))
  const departmentName = (id: string) => departments.data?.items.find((d) => d.id === id)?.name ?? ''
  const areas = list.rows
  return (
    <section aria-labelledby="areas-heading">
      <h2 id="areas-heading" tabIndex={-1}>
        {t('adm.areas')}
      </h2>
      <Notice message={list.message} />
      {!areas.data ? (
        <Loading error={areas.error} />
      ) : (
        <table class="data">
          <caption class="visually-hidden">{t('adm.areas')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adm.title')}</th>
              <th scope="col">{t('adm.address')}</th>
              <th scope="col">{t('managedBy')}</th>
              <th scope="col">{t('adm.acceptedCategories')}</th>
              <th scope="col">{t('adm.status')}</th>
              <th scope="col">{t('adm.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {areas.data.items.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{a.address ?? ''}</td>
                <td>{departmentName(a.departmentId)}</td>
                <td>{a.categories.map((c) => t(`category.${c}` as TextKey)).join(', ')}</td>
                <td>{a.published ? t('adm.publishedState') : <em>{t('adm.draft')}</em>}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('adm.editWho', { name: a.name })}
                    onClick={() => list.open(a)}
                  >
                    {t('edit')}
                  </button>{' '}
                  <PublishToggle
                    name={a.name}
                    published={a.published}
                    save={(published) =>
                      call(
                        client.api.areas[':id'].$patch({
                          param: { id: a.id },
                          json: { published, version: a.version },
                        }),
                      )
                    }
                    onDone={list.done}
                    focusAfter={list.heading}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.isOpen ? (
        <AreaForm
          key={list.formKey}
          area={list.editing}
          others={areas.data?.items ?? []}
          departments={departments.data?.items ?? []}
          onSaved={list.done}
          onCancel={list.close}
        />
      ) : (
        <button type="button" onClick={() => list.open('new')}>
          {t('adm.newArea')}
        </button>
      )}
    </section>
  )
}
