import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { call, client, me } from '../api.ts'
import { Field, fieldValue, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { lang, t } from '../i18n.ts'

/** A company registers itself and its first member. */
export default function RegisterPage() {
  usePageTitle(t('register'))
  const { route } = useLocation()
  const clusters = useLoad(() => call(client.api.clusters.$get()))
  const [form, setForm] = useState({
    name: '',
    email: '',
    password: '',
    organisation: '',
    legalId: '',
    cluster: '',
  })
  const [error, setError] = useState<string>()
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: fieldValue(e) })

  async function submit(e: Event) {
    e.preventDefault()
    try {
      const { user } = await call(
        client.api.auth.register.$post({
          json: {
            name: form.name,
            email: form.email,
            password: form.password,
            language: lang.value,
            organisation: {
              name: form.organisation,
              ...(form.legalId ? { legalId: form.legalId } : {}),
              ...(form.cluster ? { cluster: form.cluster } : {}),
            },
          },
        }),
      )
      me.value = user
      route('/my')
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <>
      <h1>{t('register')}</h1>
      <form onSubmit={submit} class="stack narrow">
        <Field label={t('name')} id="reg-name">
          <input id="reg-name" required autoComplete="name" value={form.name} onInput={set('name')} />
        </Field>
        <Field label={t('email')} id="reg-email">
          <input
            id="reg-email"
            type="email"
            required
            autoComplete="email"
            value={form.email}
            onInput={set('email')}
          />
        </Field>
        <Field label={t('password')} id="reg-password" hint="≥ 10">
          <input
            id="reg-password"
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={form.password}
            onInput={set('password')}
            aria-describedby="reg-password-hint"
          />
        </Field>
        <Field label={t('organisation')} id="reg-org">
          <input
            id="reg-org"
            required
            autoComplete="organization"
            value={form.organisation}
            onInput={set('organisation')}
          />
        </Field>
        <Field label={t('legalId')} id="reg-legal">
          <input id="reg-legal" value={form.legalId} onInput={set('legalId')} />
        </Field>
        <Field label={t('cluster')} id="reg-cluster">
          <select id="reg-cluster" value={form.cluster} onChange={set('cluster')}>
            <option value="">{t('none')}</option>
            {clusters.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">{t('createAccount')}</button>
        <Notice kind="error" message={error} />
      </form>
      <p>
        {t('haveAccount')} <a href="/signin">{t('signIn')}</a>
      </p>
    </>
  )
}
