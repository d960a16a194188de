import type { InferRequestType, InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Field, fieldValue, Loading, Notice, problemText, useLoad } from '../components/ui.tsx'
import { t } from '../i18n.ts'
import { ConfirmButton } from './ConfirmButton.tsx'

type User = InferResponseType<typeof client.api.users.$get, 200>['items'][number]
type Role = InferRequestType<typeof client.api.users.$post>['json']['role']
type Department = InferResponseType<typeof client.api.departments.$get, 200>['items'][number]

const roleName = (role: Role) =>
  role === 'company' ? t('company') : role === 'official' ? t('official') : t('adminRole')
const heading = () => document.getElementById('accounts-heading')

/** Disable (confirmed), re-enable, and set a new password (confirmed, typed in the dialog). */
function AccountActions({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const [password, setPassword] = useState('')
  const setActive = (active: boolean) =>
    call(client.api.users[':id'].$patch({ param: { id: user.id }, json: { active } }))
  const fieldId = `reset-${user.id.slice(0, 8)}`
  return (
    <>
      {user.active ? (
        <ConfirmButton
          label={t('adm.disable')}
          ariaLabel={t('adm.disableWho', { email: user.email })}
          title={t('adm.disableTitle', { email: user.email })}
          confirmLabel={t('adm.disable')}
          action={() => setActive(false)}
          onDone={() => onDone(t('adm.disabled', { email: user.email }))}
          focusAfter={heading}
        >
          <p>{t('adm.disableHint')}</p>
        </ConfirmButton>
      ) : (
        <button
          type="button"
          class="secondary"
          aria-label={t('adm.enableWho', { email: user.email })}
          onClick={() =>
            setActive(true).then(
              () => onDone(t('adm.enabled', { email: user.email })),
              (err) => onDone(problemText(err)),
            )
          }
        >
          {t('adm.enable')}
        </button>
      )}{' '}
      <ConfirmButton
        label={t('adm.resetPassword')}
        ariaLabel={t('adm.resetWho', { email: user.email })}
        title={t('adm.resetTitle', { email: user.email })}
        confirmLabel={t('adm.setPassword')}
        action={() =>
          call(client.api.users[':id'].password.$post({ param: { id: user.id }, json: { password } }))
        }
        onDone={() => {
          setPassword('')
          onDone(t('adm.passwordSet', { email: user.email }))
        }}
        focusAfter={heading}
      >
        <p>{t('adm.resetHint')}</p>
        <Field label={t('adm.newPassword')} id={fieldId}>
          <input
            id={fieldId}
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            value={password}
            onInput={(e) => setPassword(fieldValue(e))}
          />
        </Field>
      </ConfirmButton>
    </>
  )
}

function UsersTable({ users, onDone }: { users: User[]; onDone: (message: string) => void }) {
  return (
    <table class="data">
      <caption class="visually-hidden">{t('adm.accounts')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('email')}</th>
          <th scope="col">{t('adm.personName')}</th>
          <th scope="col">{t('role')}</th>
          <th scope="col">{t('adm.membership')}</th>
          <th scope="col">{t('adm.status')}</th>
          <th scope="col">{t('adm.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id}>
            <td>{u.email}</td>
            <td>{u.name}</td>
            <td>{roleName(u.role)}</td>
            <td>{u.department?.name ?? u.organisation?.name ?? ''}</td>
            <td>{u.active ? t('adm.active') : <em>{t('adm.disabledState')}</em>}</td>
            <td>
              <AccountActions user={u} onDone={onDone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function NewAccount({ departments, onDone }: { departments: Department[]; onDone: (m: string) => void }) {
  const blank = { name: '', email: '', password: '', role: 'official', departmentId: '' }
  const [form, setForm] = useState(blank)
  const [error, setError] = useState<string>()
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: fieldValue(e) })
  async function submit(e: Event) {
    e.preventDefault()
    try {
      const departmentId = form.departmentId || departments[0]?.id
      await call(
        client.api.users.$post({
          json: {
            name: form.name,
            email: form.email,
            password: form.password,
            role: form.role as Role,
            ...(form.role === 'official' && departmentId ? { departmentId } : {}),
          },
        }),
      )
      setForm(blank)
      setError(undefined)
      onDone(t('adm.accountCreated', { email: form.email }))
    } catch (err) {
      setError(problemText(err))
    }
  }
  return (
    <form class="stack narrow" onSubmit={submit} aria-labelledby="new-account-heading">
      <h3 id="new-account-heading">{t('newUser')}</h3>
      <Field label={t('adm.personName')} id="user-name">
        <input id="user-name" required value={form.name} onInput={set('name')} />
      </Field>
      <Field label={t('email')} id="user-email">
        <input id="user-email" type="email" required value={form.email} onInput={set('email')} />
      </Field>
      <Field label={t('password')} id="user-password" hint={t('adm.passwordHint')}>
        <input
          id="user-password"
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          aria-describedby="user-password-hint"
          value={form.password}
          onInput={set('password')}
        />
      </Field>
      <Field label={t('role')} id="user-role">
        <select id="user-role" value={form.role} onChange={set('role')}>
          <option value="official">{t('official')}</option>
          <option value="admin">{t('adminRole')}</option>
        </select>
      </Field>
      {form.role === 'official' && (
        <Field label={t('department')} id="user-department">
          <select id="user-department" value={form.departmentId} onChange={set('departmentId')}>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Notice kind="error" message={error} />
      <button type="submit">{t('create')}</button>
    </form>
  )
}

/** Accounts: every user with their state; disable, re-enable, new password; new officials and admins. */
export function AccountsSection() {
  const [q, setQ] = useState('')
  const [search, setSearch] = useState('')
  const users = useLoad(
    () => call(client.api.users.$get({ query: { limit: '500', ...(search ? { q: search } : {}) } })),
    [search],
  )
  const departments = useLoad(() => call(client.api.departments.$get()))
  const [message, setMessage] = useState<string>()
  const done = (text: string) => {
    setMessage(text)
    users.reload()
  }
  return (
    <section aria-labelledby="accounts-heading">
      <h2 id="accounts-heading" tabIndex={-1}>
        {t('adm.accounts')}
      </h2>
      <Notice message={message} />
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          setSearch(q.trim())
        }}
      >
        <Field label={t('adm.searchAccounts')} id="account-search">
          <input id="account-search" type="search" value={q} onInput={(e) => setQ(fieldValue(e))} />
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      {users.data ? <UsersTable users={users.data.items} onDone={done} /> : <Loading error={users.error} />}
      <NewAccount departments={departments.data?.items ?? []} onDone={done} />
    </section>
  )
}
