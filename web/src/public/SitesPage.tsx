import type { InferRequestType } from 'hono/client'
import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { connectivityKinds } from '../../../api/domain/vocabulary.ts'
import { call, client } from '../api.ts'
import { CategoryOptions, KindOptions } from '../components/options.tsx'
import { Field, fieldChecked, fieldValue, Loading, useLoad, usePageTitle } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'

type SiteQuery = InferRequestType<typeof client.api.facilities.$get>['query']

const textKeys = ['q', 'areaId', 'category', 'kind', 'powerKwMin', 'indoor'] as const

/** The catalogue query an address's search part asks for (empty fields left out). */
function queryOf(params: Record<string, string | undefined>): SiteQuery {
  const query: Record<string, string> = {}
  for (const k of [...textKeys, 'connectivity'] as const) if (params[k]) query[k] = params[k] as string
  return query as SiteQuery
}

/**
 * The catalogue of test sites, searchable by area, category, kind and technical specs. The
 * search lives in the address (`/sites?areaId=…`), so it can be shared and survives a reload.
 */
export default function SitesPage() {
  usePageTitle(t('sites'))
  const { query: params, path, route } = useLocation()
  const [form, setForm] = useState({
    q: params.q ?? '',
    areaId: params.areaId ?? '',
    category: params.category ?? '',
    kind: params.kind ?? '',
    powerKwMin: params.powerKwMin ?? '',
    indoor: params.indoor ?? '',
    connectivity: (params.connectivity ?? '').split(',').filter(Boolean),
  })
  const query = queryOf(params)
  const areas = useLoad(() => call(client.api.areas.$get({ query: { limit: '500' } })))
  const sites = useLoad(
    () => call(client.api.facilities.$get({ query: { limit: '500', ...query } })),
    // By value: searching again for the same thing loads nothing new.
    [JSON.stringify(query)],
  )
  const areaName = (id: string) => areas.data?.items.find((a) => a.id === id)?.name ?? ''

  function search(e: Event) {
    e.preventDefault()
    const next = new URLSearchParams()
    for (const k of textKeys) if (form[k]) next.set(k, form[k])
    if (form.connectivity.length) next.set('connectivity', form.connectivity.join(','))
    const search = next.toString()
    route(search ? `${path}?${search}` : path, true)
  }
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: fieldValue(e) })

  return (
    <>
      <h1>{t('sites')}</h1>
      <form class="filters" onSubmit={search} aria-label={t('filters')}>
        <Field label={t('words')} id="q">
          <input id="q" type="search" value={form.q} onInput={set('q')} />
        </Field>
        <Field label={t('area')} id="site-area">
          <select id="site-area" value={form.areaId} onChange={set('areaId')}>
            <option value="">{t('all')}</option>
            {areas.data?.items.map((a) => (
              <option value={a.id} key={a.id} selected={a.id === form.areaId}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('category')} id="site-category">
          <select id="site-category" value={form.category} onChange={set('category')}>
            <option value="">{t('all')}</option>
            <CategoryOptions />
          </select>
        </Field>
        <Field label={t('kind')} id="site-kind">
          <select id="site-kind" value={form.kind} onChange={set('kind')}>
            <option value="">{t('all')}</option>
            <KindOptions />
          </select>
        </Field>
        <Field label={t('powerMin')} id="site-power">
          <input
            id="site-power"
            type="number"
            min="0"
            step="0.1"
            inputMode="decimal"
            value={form.powerKwMin}
            onInput={set('powerKwMin')}
          />
        </Field>
        <Field label={t('placement')} id="site-indoor">
          <select id="site-indoor" value={form.indoor} onChange={set('indoor')}>
            <option value="">{t('either')}</option>
            <option value="true">{t('indoor')}</option>
            <option value="false">{t('outdoor')}</option>
          </select>
        </Field>
        <fieldset class="checks">
          <legend>{t('connectivity')}</legend>
          {connectivityKinds.map((link) => (
            <label key={link}>
              <input
                type="checkbox"
                checked={form.connectivity.includes(link)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    connectivity: fieldChecked(e)
                      ? [...form.connectivity, link]
                      : form.connectivity.filter((c) => c !== link),
                  })
                }
              />{' '}
              {link.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('search')}</button>
      </form>
      {sites.loading || sites.error ? (
        <Loading error={sites.error} />
      ) : (
        <ul class="cards" aria-live="polite">
          {sites.data?.items.map((f) => (
            <li key={f.id} class="card">
              <h2>
                <a href={`/sites/${f.id}`}>{f.name}</a>
              </h2>
              <p class="meta">
                {t(`kind.${f.kind}` as TextKey)} · {areaName(f.areaId)}
              </p>
              <p>
                {[
                  f.specs.powerKw !== undefined ? `${f.specs.powerKw} kW` : '',
                  f.specs.connectivity?.join(', ').toUpperCase() ?? '',
                  `${t('capacity')}: ${f.capacity}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </li>
          ))}
          {sites.data?.items.length === 0 && <li>{t('notFound')}</li>}
        </ul>
      )}
    </>
  )
}
