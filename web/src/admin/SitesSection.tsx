import { call, client } from '../api.ts'
import { Loading, Notice, useLoad } from '../components/ui.tsx'
import { type TextKey, t } from '../i18n.ts'
import { PublishToggle } from './PublishToggle.tsx'
import { SiteForm } from './SiteForm.tsx'
import { useAdminList } from './useAdminList.ts'

/** Sites, drafts included: create, edit, publish and unpublish. Areas and departments feed the form. */
export function SitesSection() {
  const list = useAdminList(() => call(client.api.facilities.$get({ query: { limit: '500' } })), {
    heading: 'sites-heading',
    formHeading: 'site-form-heading',
  })
  const areas = useLoad(() => call(client.api.areas.$get({ query: { limit: '500' } })))
  const departments = useLoad(() => call(client.api.departments.$get()))
  const areaName = (id: string) => areas.data?.items.find((a) => a.id === id)?.name ?? ''
  const sites = list.rows
  return (
    <section aria-labelledby="sites-heading">
      <h2 id="sites-heading" tabIndex={-1}>
        {t('adm.sites')}
      </h2>
      <Notice message={list.message} />
      {!sites.data ? (
        <Loading error={sites.error} />
      ) : (
        <table class="data">
          <caption class="visually-hidden">{t('adm.sites')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('adm.title')}</th>
              <th scope="col">{t('area')}</th>
              <th scope="col">{t('adm.address')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('adm.status')}</th>
              <th scope="col">{t('adm.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sites.data.items.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{areaName(s.areaId)}</td>
                <td>{s.address ?? ''}</td>
                <td>{t(`kind.${s.kind}` as TextKey)}</td>
                <td>{s.published ? t('adm.publishedState') : <em>{t('adm.draft')}</em>}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t('adm.editWho', { name: s.name })}
                    onClick={() => list.open(s)}
                  >
                    {t('edit')}
                  </button>{' '}
                  <PublishToggle
                    name={s.name}
                    published={s.published}
                    save={(published) =>
                      call(
                        client.api.facilities[':id'].$patch({
                          param: { id: s.id },
                          json: { published, version: s.version },
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
        <SiteForm
          key={list.formKey}
          site={list.editing}
          areas={areas.data?.items ?? []}
          departments={departments.data?.items ?? []}
          onSaved={list.done}
          onCancel={list.close}
        />
      ) : (
        <button type="button" onClick={() => list.open('new')} disabled={!areas.data}>
          {t('adm.newSite')}
        </button>
      )}
    </section>
  )
}
