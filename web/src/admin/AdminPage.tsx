import { usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { AccountsSection } from './AccountsSection.tsx'
import { AreasSection } from './AreasSection.tsx'
import { DepartmentsSection } from './DepartmentsSection.tsx'
import { SitesSection } from './SitesSection.tsx'

const sections = {
  departments: { title: 'adm.departments', Section: DepartmentsSection },
  accounts: { title: 'adm.accounts', Section: AccountsSection },
  areas: { title: 'adm.areas', Section: AreasSection },
  sites: { title: 'adm.sites', Section: SitesSection },
} as const
type SectionName = keyof typeof sections

/**
 * Administration, one section per address (/admin/departments, /admin/accounts, /admin/areas,
 * /admin/sites; /admin opens departments), each loading the lists it shows.
 */
export default function AdminPage({ section }: { section?: string }) {
  const name: SectionName = section && section in sections ? (section as SectionName) : 'departments'
  const { title, Section } = sections[name]
  usePageTitle(`${t(title)} · ${t('admin')}`)
  return (
    <>
      <h1>{t('admin')}</h1>
      <nav aria-label={t('adm.sections')} class="admin-nav">
        <ul>
          {(Object.keys(sections) as SectionName[]).map((key) => (
            <li key={key}>
              <a href={`/admin/${key}`} aria-current={key === name ? 'page' : undefined}>
                {t(sections[key].title)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Section key={name} />
    </>
  )
}
