/**
 * The account page (issue 17, item 3): an official picks how they hear of requests to review,
 * with the keyboard, in English or Russian, and it is saved with one request.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { axeViolations, haveChromium, launch, startServer, watchedContext } from '../helpers/browser.ts'

describe.runIf(haveChromium)('the account page in Chromium', () => {
  let browser: Browser
  let server: Awaited<ReturnType<typeof startServer>>

  beforeAll(async () => {
    server = await startServer()
    browser = await launch()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function signIn(
    page: Awaited<ReturnType<typeof watchedContext>>['page'],
    email: string,
    labels: string[],
  ) {
    await page.goto(`${server.url}/signin`, { waitUntil: 'networkidle' })
    await page.getByLabel(labels[0] as string).fill(email)
    await page.getByLabel(labels[1] as string).fill(testPassword)
    await page.getByRole('button', { name: labels[2] as string }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { waitUntil: 'commit' })
  }

  it('lets an official choose the daily digest with the keyboard, saved in one PATCH', async () => {
    const official = await makeUser(server.db, 'official')
    const { context, page, errors } = await watchedContext(browser)
    await signIn(page, official.email, ['Email', 'Password', 'Sign in'])
    await page.getByRole('link', { name: 'My account' }).click()
    const group = page.getByRole('group', { name: 'E-mail about requests to review' })
    await expect(group.getByRole('radio', { name: 'Automatic' }).isChecked()).resolves.toBe(true)
    expect(await axeViolations(page)).toEqual([])

    const patches: string[] = []
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patches.push(r.url())
    })
    await group.getByRole('radio', { name: 'Automatic' }).focus()
    await page.keyboard.press('ArrowDown') // Every request
    await page.keyboard.press('ArrowDown') // Daily digest
    await expect(group.getByRole('radio', { name: 'Daily digest' }).isChecked()).resolves.toBe(true)
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH')
    await page.getByRole('button', { name: 'Save' }).click()
    expect((await saved).status()).toBe(200)
    await page.getByText('Saved.').waitFor()
    await page.getByText('You receive now: daily digest.').waitFor()
    expect(patches).toHaveLength(1)
    const row = await server.db
      .selectFrom('users')
      .select('review_mail')
      .where('id', '=', official.id)
      .executeTakeFirstOrThrow()
    expect(row.review_mail).toBe('digest')
    expect(errors).toEqual([])
    await context.close()
  })

  it('speaks Russian, and tells a company member there is nothing to choose', async () => {
    const company = await makeUser(server.db, 'company')
    const { context, page, errors } = await watchedContext(browser, { locale: 'ru-RU' })
    await signIn(page, company.email, ['Эл. почта', 'Пароль', 'Войти'])
    await page.getByRole('link', { name: 'Мой профиль' }).click()
    await page
      .getByText('Письма о заявках на рассмотрение получают только сотрудники служб и администраторы.')
      .waitFor()
    expect(await page.getByRole('radio').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })
})
