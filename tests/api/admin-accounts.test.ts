import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/types.ts'
import { makeUser, type TestUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'

/**
 * Admins keep accounts (issue 17): disable, re-enable, and set a new password for someone who
 * lost theirs. Each ends or restores sign-in as a user would notice.
 */

type App = Awaited<ReturnType<typeof testApp>>['app']
let app: App
let db: Kysely<Database>
let admin: TestUser

beforeAll(async () => {
  ;({ app, db } = await testApp())
  admin = await makeUser(db, 'admin')
})

const send = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const login = (email: string, password: string) =>
  app.request('/api/auth/login', send('POST', { email, password }))
const me = (user: TestUser) => app.request('/api/me', { headers: user.headers })
const setActive = (user: TestUser, active: boolean) =>
  app.request(`/api/users/${user.id}`, send('PATCH', { active }, admin.headers))
const resetPassword = (id: string, password: string, headers = admin.headers) =>
  app.request(`/api/users/${id}/password`, send('POST', { password }, headers))

async function lastEvent(subjectId: string) {
  return db
    .selectFrom('events')
    .select(['action', 'actor_id'])
    .where('subject_id', '=', subjectId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
}

describe('disable and re-enable', () => {
  it('a disabled account loses its sessions and cannot sign in; re-enabled, it signs in again', async () => {
    const user = await makeUser(db, 'official')
    expect((await setActive(user, false)).status).toBe(200)
    expect((await me(user)).status).toBe(401)
    expect((await login(user.email, testPassword)).status).toBe(401)

    const res = await setActive(user, true)
    expect(res.status).toBe(200)
    expect((await json(res)).active).toBe(true)
    expect(await lastEvent(user.id)).toEqual({ action: 'user.reactivated', actor_id: admin.id })
    const signedIn = await login(user.email, testPassword)
    expect(signedIn.status).toBe(200)
    const { token } = await json(signedIn)
    expect((await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
  })

  it('the users list shows who is disabled', async () => {
    const user = await makeUser(db, 'company')
    await setActive(user, false)
    const res = await app.request(`/api/users?q=${encodeURIComponent(user.email)}`, {
      headers: admin.headers,
    })
    expect((await json(res)).items).toEqual([expect.objectContaining({ id: user.id, active: false })])
  })
})

describe('password reset by an admin', () => {
  const newPassword = 'a-brand-new-passphrase-42'

  it('ends every session of the account; the new password signs in, the old one no longer', async () => {
    const user = await makeUser(db, 'company')
    expect((await me(user)).status).toBe(200)
    expect((await resetPassword(user.id, newPassword)).status).toBe(204)
    expect((await me(user)).status).toBe(401)
    expect((await login(user.email, testPassword)).status).toBe(401)
    expect((await login(user.email, newPassword)).status).toBe(200)
    expect(await lastEvent(user.id)).toEqual({ action: 'user.password_reset', actor_id: admin.id })
  })

  it('refuses a weak password with 400 naming the field, and keeps the old one', async () => {
    const user = await makeUser(db, 'official')
    const res = await resetPassword(user.id, 'password')
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect((await json(res)).errors).toEqual([expect.objectContaining({ path: 'password' })])
    expect((await me(user)).status).toBe(200)
  })

  it('answers 404 for no such user and 400 for a missing password', async () => {
    expect((await resetPassword('00000000-0000-4000-8000-000000000001', newPassword)).status).toBe(404)
    const user = await makeUser(db, 'company')
    const res = await app.request(`/api/users/${user.id}/password`, send('POST', {}, admin.headers))
    expect(res.status).toBe(400)
  })

  it('is for admins only: an official or the user themself gets 403', async () => {
    const user = await makeUser(db, 'official')
    expect((await resetPassword(user.id, newPassword, user.headers)).status).toBe(403)
    expect((await login(user.email, testPassword)).status).toBe(200)
  })
})
