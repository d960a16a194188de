import type { ComponentChildren } from 'preact'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { type Lang, lang, setLang, t } from '../i18n.ts'
import { useStore } from '../store.ts'
import { fieldValue } from './ui.tsx'

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation()
  const current = href === '/' ? path === '/' : path.startsWith(href)
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  )
}

/** Header with navigation, the language switcher and who is signed in; the page below. */
export function Layout({ children }: { children: ComponentChildren }) {
  const user = useStore(me)
  const current = useStore(lang)
  const { route } = useLocation()
  async function signOut() {
    await call(client.api.auth.logout.$post()).catch(() => undefined)
    me.value = null
    route('/')
  }
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a real in-page link (it works without JavaScript); the handler only stops the hash change, on which the router would re-mount the page */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // Move focus without a navigation: the router would otherwise re-mount the page.
          e.preventDefault()
          document.getElementById('main')?.focus()
        }}
      >
        {t('skip')}
      </a>
      <header class="top">
        <a class="brand" href="/">
          {t('appName')}
        </a>
        <nav aria-label={t('nav')}>
          <NavLink href="/">{t('calendar')}</NavLink>
          <NavLink href="/sites">{t('sites')}</NavLink>
          <NavLink href="/pilots">{t('pilots')}</NavLink>
          <NavLink href="/map">{t('map')}</NavLink>
          {user?.role === 'company' && <NavLink href="/my">{t('myPilots')}</NavLink>}
          {user?.role === 'company' && <NavLink href="/find-time">{t('findTime')}</NavLink>}
          {user?.role === 'official' && <NavLink href="/review">{t('reviewQueue')}</NavLink>}
          {(user?.role === 'official' || user?.role === 'admin') && (
            <NavLink href="/reports">{t('reports')}</NavLink>
          )}
          {(user?.role === 'official' || user?.role === 'admin') && (
            <NavLink href="/closures">{t('closures')}</NavLink>
          )}
          {(user?.role === 'official' || user?.role === 'admin') && (
            <NavLink href="/follow-up">{t('followUp.title')}</NavLink>
          )}
          {user?.role === 'admin' && <NavLink href="/admin">{t('admin')}</NavLink>}
          {user && <NavLink href="/account">{t('account')}</NavLink>}
          {user === null && <NavLink href="/signin">{t('signIn')}</NavLink>}
        </nav>
        <div class="tools">
          <label for="lang-switch" class="visually-hidden">
            {t('language')}
          </label>
          <select id="lang-switch" value={current} onChange={(e) => setLang(fieldValue(e) as Lang)}>
            <option value="en" lang="en">
              English
            </option>
            <option value="ru" lang="ru">
              Русский
            </option>
          </select>
          {user && (
            <>
              <span class="who">{user.name}</span>
              <button type="button" class="link" onClick={signOut}>
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
