import { useState } from 'preact/hooks'
import { api, type Page } from '../api.ts'
import { Field, Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'

interface Department {
  id: string
  name: string
}
interface User {
  id: string
  email: string
  name: string
  role: 'company' | 'official' | 'admin'
  active: boolean
  department?: Department
  organisation?: { name: string }
}

function DepartmentRow({ department, onDone }: { department: Department; onDone: (m: string) => void }) {
  const [name, setName] = useState(department.name)
  const [error, setError] = useState<string>()
  const id = `dept-${department.id.slice(0, 8)}`
  return (
    <li>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault()
          try {
            await api(`/departments/${department.id}`, { method: 'PATCH', body: { name } })
            onDone(t('saved'))
          } catch (err) {
            setError(problemText(err))
          }
        }}
      >
        <Field label={t('department')} id={id}>
          <input
            id={id}
            value={name}
            required
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit">{t('rename')}</button>
        <Notice kind="error" message={error} />
      </form>
    </li>
  )
}

/** Departments and users, for admins. */
export default function AdminPage() {
  usePageTitle(t('admin'))
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' }>()
  const departments = useLoad(() => api<{ items: Department[] }>('/departments'))
  const users = useLoad(() => api<Page<User>>('/users?limit=500'))
  const [newDepartment, setNewDepartment] = useState('')
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'official', departmentId: '' })
  const done = (text: string) => {
    setMessage({ text, kind: 'info' })
    departments.reload()
    users.reload()
  }
  const fail = (error: unknown) => setMessage({ text: problemText(error), kind: 'error' })
  const set = (key: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [key]: (e.target as HTMLInputElement).value })

  return (
    <>
      <h1>{t('admin')}</h1>
      <Notice message={message?.text} kind={message?.kind} />
      <section>
        <h2>{t('departments')}</h2>
        {!departments.data ? (
          <Loading error={departments.error} />
        ) : (
          <ul class="plain">
            {departments.data.items.map((d) => (
              <DepartmentRow key={`${d.id}-${d.name}`} department={d} onDone={done} />
            ))}
          </ul>
        )}
        <form
          class="inline-form"
          onSubmit={async (e) => {
            e.preventDefault()
            try {
              await api('/departments', { method: 'POST', body: { name: newDepartment } })
              setNewDepartment('')
              done(t('saved'))
            } catch (err) {
              fail(err)
            }
          }}
        >
          <Field label={t('newDepartment')} id="new-department">
            <input
              id="new-department"
              required
              value={newDepartment}
              onInput={(e) => setNewDepartment((e.target as HTMLInputElement).value)}
            />
          </Field>
          <button type="submit">{t('create')}</button>
        </form>
      </section>
      <section>
        <h2>{t('users')}</h2>
        {!users.data ? (
          <Loading error={users.error} />
        ) : (
          <table class="data">
            <caption class="visually-hidden">{t('users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('department')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('deactivate')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td>
                    {u.email} {!u.active && <em>({t('inactive')})</em>}
                  </td>
                  <td>
                    {u.role === 'company'
                      ? t('company')
                      : u.role === 'official'
                        ? t('official')
                        : t('adminRole')}
                  </td>
                  <td>{u.department?.name ?? u.organisation?.name ?? ''}</td>
                  <td>
                    {u.active && u.role !== 'admin' && (
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${t('deactivate')} ${u.email}`}
                        onClick={async () => {
                          try {
                            await api(`/users/${u.id}`, { method: 'PATCH', body: { active: false } })
                            done(t('done'))
                          } catch (err) {
                            fail(err)
                          }
                        }}
                      >
                        {t('deactivate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          class="stack narrow"
          onSubmit={async (e) => {
            e.preventDefault()
            try {
              await api('/users', {
                method: 'POST',
                body: {
                  name: form.name,
                  email: form.email,
                  password: form.password,
                  role: form.role,
                  ...(form.role === 'official'
                    ? { departmentId: form.departmentId || departments.data?.items[0]?.id }
                    : {}),
                },
              })
              setForm({ ...form, name: '', email: '', password: '' })
              done(t('saved'))
            } catch (err) {
              fail(err)
            }
          }}
        >
          <h3>{t('newUser')}</h3>
          <Field label={t('name')} id="user-name">
            <input id="user-name" required value={form.name} onInput={set('name')} />
          </Field>
          <Field label={t('email')} id="user-email">
            <input id="user-email" type="email" required value={form.email} onInput={set('email')} />
          </Field>
          <Field label={t('password')} id="user-password">
            <input
              id="user-password"
              type="password"
              required
              minLength={10}
              autoComplete="new-password"
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
                {departments.data?.items.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <button type="submit">{t('create')}</button>
        </form>
      </section>
    </>
  )
}
