import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { Field, fieldValue, Notice, problemText, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'

export default function SignInPage() {
  usePageTitle(t('signIn'))
  const { route } = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()

  async function submit(e: Event) {
    e.preventDefault()
    // Read the fields themselves: a password manager or a fast typist may submit before the
    // last keystroke has re-rendered the form.
    const data = new FormData(e.currentTarget as HTMLFormElement)
    try {
      const body = {
        email: String(data.get('email') ?? email),
        password: String(data.get('password') ?? password),
      }
      const { user } = await call(client.api.auth.login.$post({ json: body }))
      me.value = user
      route(
        user.role === 'company'
          ? '/my'
          : user.role === 'official'
            ? '/review'
            : user.role === 'admin'
              ? '/admin'
              : '/',
      )
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <>
      <h1>{t('signIn')}</h1>
      <form onSubmit={submit} class="stack narrow">
        <Field label={t('email')} id="email">
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(fieldValue(e))}
          />
        </Field>
        <Field label={t('password')} id="password">
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(fieldValue(e))}
          />
        </Field>
        <button type="submit">{t('signIn')}</button>
        <Notice kind="error" message={error} />
      </form>
      <p>
        {t('noAccount')} <a href="/register">{t('register')}</a>
      </p>
    </>
  )
}
