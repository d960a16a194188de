import type { InferRequestType, InferResponseType } from 'hono/client'
import { useState } from 'preact/hooks'
import { call, client } from '../api.ts'
import { Field, fieldValue, Loading, Notice, problemText, useLoad, usePageTitle } from '../components/ui.tsx'
import { t } from '../i18n.ts'

type Department = InferResponseType<typeof client.api.departments.$get, 200>['items'][number]
type Role = InferRequestType<typeof client.api.users.$post>['json']['role']

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
            await call(client.api.departments[':id'].$patch({ param: { id: department.id }, json: { name } }))
            onDone(t('saved'))
          } catch (err) {
            setError(problemText(err))
          }
        }}
      >
        <Field label={t('department')} id={id}>
          <input id={id} value={name} required onInput={(e) => setName(fieldValue(e))} />
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
  const departments = useLoad(() => call(client.api.departments.$get()))
  const users = useLoad(() => call(client.api.users.$get({ query: { limit: '500' } })))
  const [newDepartment, setNewDepartment] = useState('')
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'official', departmentId: '' })
  const done = (text: string) => {
    setMessage({ text, kind: 'info' })
    departments.reload()
    users.reload()
  }
  const fail = (error: unknown) => setMessage({ text: problemText(error), kind: 'error' })
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: fieldValue(e) })

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
              await call(client.api.departments.$post({ json: { name: newDepartment } }))
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
              onInput={(e) => setNewDepartment(fieldValue(e))}
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
                            await call(
                              client.api.users[':id'].$patch({
                                param: { id: u.id },
                                json: { active: false },
                              }),
                            )
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
              await call(
                client.api.users.$post({
                  json: {
                    name: form.name,
                    email: form.email,
                    password: form.password,
                    role: form.role as Role,
                    ...(form.role === 'official'
                      ? { departmentId: form.departmentId || departments.data?.items[0]?.id }
                      : {}),
                  },
                }),
              )
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
