/**
 * Answers in the user's language (issue 16, item 6; the contract's "Language of answers"): a
 * problem's title, detail and field messages follow Accept-Language (also `?lang=` and the `lang`
 * cookie), Content-Language says which, and `code`, `path` and the times never change.
 */
import { describe, expect, it } from 'vitest'
import { makeUser, testPassword } from '../helpers/accounts.ts'
import { json, testApp } from '../helpers/app.ts'
import { makeArea, makeBooking, makeDepartment, makeFacility, makePilot } from '../helpers/fixtures.ts'

const hour = 3_600_000
const day = 24 * hour
// Monday 2 June 2031, 22:00 in Moscow; the clock stands a week before.
const firstNight = Date.parse('2031-06-02T22:00:00+03:00')
const now = new Date(firstNight - 7 * day)
const night = (n: number) => ({
  start: new Date(firstNight + n * day).toISOString(),
  end: new Date(firstNight + n * day + 8 * hour).toISOString(),
})

async function world() {
  const t = await testApp({ now })
  const lighting = await makeDepartment(t.db)
  const area = await makeArea(t.db, { departmentId: lighting.id, categories: ['lighting'] })
  const site = await makeFacility(t.db, { areaId: area.id })
  const company = await makeUser(t.db, 'company', { sessionAt: now })
  const pilot = await makePilot(t.db, company.organisationId as string)
  // The ninth night meets the cable works.
  await t.db
    .insertInto('closures')
    .values({
      facility_id: site.id,
      starts_at: new Date(firstNight + 8 * day + 2 * hour),
      ends_at: new Date(firstNight + 8 * day + 4 * hour),
      reason: 'Cable works.',
    })
    .execute()
  const post = (path: string, body: unknown) => ({
    path,
    init: {
      method: 'POST',
      headers: { ...company.headers, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    },
  })
  return { ...t, lighting, area, site, company, pilot, post }
}

type App = Awaited<ReturnType<typeof testApp>>['app']

interface Answer {
  status: number
  language: string | null
  type: string | null
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
  body: any
}

async function answer(app: App, path: string, init: RequestInit = {}, language?: string): Promise<Answer> {
  const headers = new Headers(init.headers)
  if (language) headers.set('accept-language', language)
  const res = await app.request(path, { ...init, headers })
  return {
    status: res.status,
    language: res.headers.get('content-language'),
    type: res.headers.get('content-type'),
    body: await json(res),
  }
}

/** The same failing request asked in English (no preference) and in Russian. */
async function inBoth(app: App, path: string, init: RequestInit = {}) {
  const en = await answer(app, path, init)
  const ru = await answer(app, path, init, 'ru-RU,ru;q=0.9,en;q=0.8')
  return { en, ru }
}

const cyrillic = /[а-яё]/i
// Words an English sentence cannot do without; none belongs in a Russian one.
const english = /\b(the|must|is|are|be|of|to|and|or|not|this|with|no|your?)\b/i

/** Written in Russian: Cyrillic, and no English sentence left in it. */
function expectRussian(text: string) {
  expect(text).toMatch(cyrillic)
  expect(text).not.toMatch(english)
}

function expectEnglish(text: string) {
  expect(text).not.toMatch(cyrillic)
}

/**
 * The Russian answer is the English one in Russian: the same status and code, the same fields
 * with the same rule codes and times, every sentence Russian and labelled so.
 */
function expectSameProblemInRussian({ en, ru }: { en: Answer; ru: Answer }) {
  expect(en.type).toContain('application/problem+json')
  expect(ru.status).toBe(en.status)
  expect(ru.body.code).toBe(en.body.code)
  expect(ru.body.type).toBe(en.body.type)
  expect(en.language).toBe('en')
  expect(ru.language).toBe('ru')
  const shape = (errors: { message: string }[] | undefined) => errors?.map(({ message: _, ...rest }) => rest)
  expect(shape(ru.body.errors)).toEqual(shape(en.body.errors))
  expectEnglish(en.body.title)
  expectEnglish(en.body.detail)
  expectRussian(ru.body.title)
  expectRussian(ru.body.detail)
  for (const e of en.body.errors ?? []) expectEnglish(e.message)
  for (const e of ru.body.errors ?? []) expectRussian(e.message)
}

describe('problems in the language the request asks for', () => {
  it('400 from zod’s own checks: zod’s Russian, not its English', async () => {
    const w = await world()
    const { path, init } = w.post('/api/pilots', { title: 'Adaptive lighting' })
    const both = await inBoth(w.app, path, init)
    expect(both.en.status).toBe(400)
    expectSameProblemInRussian(both)
    const summary = (a: Answer) => a.body.errors.find((e: { path: string }) => e.path === 'summary')
    expect(summary(both.en).message).toBe('Invalid input: expected string, received undefined')
    expect(summary(both.ru).message).toBe('Неверный ввод: ожидалось string, получено undefined')
    expect(both.ru.body.detail).toMatch(/^Ошибка в теле запроса: /)
  })

  it('400 from the schemas’ own messages, fixed and with values', async () => {
    const w = await world()
    const limit = await inBoth(w.app, '/api/facilities?limit=0')
    expectSameProblemInRussian(limit)
    expect(limit.en.body.errors).toEqual([{ path: 'limit', message: 'must be a whole number from 1 to 500' }])
    expect(limit.ru.body.errors).toEqual([{ path: 'limit', message: 'должно быть целым числом от 1 до 500' }])
    expect(limit.ru.body.detail).toBe(
      'Ошибка в строке запроса: limit — должно быть целым числом от 1 до 500.',
    )

    const connectivity = await inBoth(w.app, '/api/facilities?connectivity=pigeon')
    expectSameProblemInRussian(connectivity)
    expect(connectivity.ru.body.errors[0].message).toMatch(/^неизвестный вид связи: pigeon; допустимы: /)

    const { path, init } = w.post(`/api/pilots/${w.pilot.id}/bookings`, {
      facilityId: w.site.id,
      start: night(1).end,
      end: night(1).start,
    })
    const backwards = await inBoth(w.app, path, init)
    expectSameProblemInRussian(backwards)
    expect(backwards.ru.body.errors).toEqual([{ path: 'end', message: 'должно быть позже start' }])
  })

  it('400 for a body that is not JSON', async () => {
    const w = await world()
    const { path, init } = w.post('/api/pilots', '{"title": ')
    const both = await inBoth(w.app, path, init)
    expectSameProblemInRussian(both)
    expect(both.ru.body.detail).toBe('Тело запроса не является корректным JSON.')
  })

  it('401, 404 of a record and 404 of a route', async () => {
    const w = await world()
    const signedOut = await inBoth(w.app, '/api/me')
    expect(signedOut.en.status).toBe(401)
    expectSameProblemInRussian(signedOut)
    expect(signedOut.ru.body.title).toBe('Нужно войти')

    const missing = await inBoth(w.app, `/api/facilities/${crypto.randomUUID()}`)
    expect(missing.en.status).toBe(404)
    expectSameProblemInRussian(missing)
    expect(missing.ru.body.detail).toBe('Площадки с таким id нет.')

    const nowhere = await inBoth(w.app, '/api/nowhere')
    expectSameProblemInRussian(nowhere)
    expect(nowhere.ru.body.detail).toBe('По адресу GET /api/nowhere ничего нет.')
  })

  it('409 for a full site names the taken time in Russian dates', async () => {
    const w = await world()
    const other = await makePilot(w.db, w.company.organisationId as string)
    await makeBooking(w.db, {
      pilotId: other.id,
      facilityId: w.site.id,
      start: new Date(night(2).start),
      end: new Date(night(2).end),
      state: 'approved',
      departmentIds: [w.lighting.id],
    })
    const { path, init } = w.post(`/api/pilots/${w.pilot.id}/bookings`, {
      facilityId: w.site.id,
      ...night(2),
    })
    const both = await inBoth(w.app, path, init)
    expect(both.en.status).toBe(409)
    expectSameProblemInRussian(both)
    expect(both.en.body.errors).toEqual([
      {
        path: 'start',
        code: 'capacity_exceeded',
        ...night(2),
        message: expect.stringMatching(/^taken 4 Jun 2031/),
      },
    ])
    expect(both.ru.body.errors[0].message).toMatch(/^занято 4 июн\. 2031\sг\./)
    expect(both.ru.body.detail).toMatch(/^Площадка уже занята 4 июн\. 2031\sг\..*выберите другое время\.$/)
  })

  it('422 for a closure says when in Russian; the official’s reason stays as written', async () => {
    const w = await world()
    const { path, init } = w.post(`/api/pilots/${w.pilot.id}/bookings`, {
      facilityId: w.site.id,
      ...night(8),
    })
    const both = await inBoth(w.app, path, init)
    expect(both.en.status).toBe(422)
    expect(both.en.body.code).toBe('in_closure')
    expectSameProblemInRussian(both)
    expect(both.en.body.detail).toMatch(/^The site is closed 11 Jun 2031, 00:00\W+02:00: Cable works\.$/)
    expect(both.ru.body.detail).toMatch(/^Площадка закрыта 11 июн\. 2031\sг\., 00:00\W+02:00: Cable works\.$/)
    expect(both.ru.body.title).toBe('Площадка в это время закрыта')
  })

  it('422 for too little notice gives the durations in Russian', async () => {
    const w = await world()
    const site = await makeFacility(w.db, { areaId: w.area.id, leadTimeMinutes: 3 * 24 * 60 })
    const soon = {
      start: new Date(now.getTime() + day).toISOString(),
      end: new Date(now.getTime() + day + 2 * hour).toISOString(),
    }
    const { path, init } = w.post(`/api/pilots/${w.pilot.id}/bookings`, { facilityId: site.id, ...soon })
    const both = await inBoth(w.app, path, init)
    expect(both.en.body.code).toBe('lead_time')
    expectSameProblemInRussian(both)
    expect(both.en.body.detail).toBe("The booking starts in 1 day; this site needs 3 days' notice.")
    expect(both.ru.body.detail).toBe(
      'До начала бронирования — 1 день, а заявку на эту площадку нужно подавать заранее, минимальный срок — 3 дня.',
    )
  })

  it('422 for a series names the failing occurrence, in Russian, and creates nothing', async () => {
    const w = await world()
    const { path, init } = w.post(`/api/pilots/${w.pilot.id}/series`, {
      facilityId: w.site.id,
      ...night(0),
      recurrence: { frequency: 'daily', until: '2031-06-15' },
    })
    const both = await inBoth(w.app, path, init)
    expect(both.en.status).toBe(422)
    expectSameProblemInRussian(both)
    expect(both.ru.body.errors).toEqual([
      {
        path: 'occurrences/8',
        code: 'in_closure',
        ...night(8),
        message: expect.stringMatching(/^Площадка закрыта 11 июн\. 2031\sг\./),
      },
    ])
    expect(both.ru.body.detail).toMatch(
      /^Нельзя забронировать 1 из 14 повторений, поэтому не забронировано ни одно\. Первое такое — 10 июн\. 2031\sг\.: Площадка закрыта /,
    )
    const made = await w.db.selectFrom('bookings').select('id').where('pilot_id', '=', w.pilot.id).execute()
    expect(made).toEqual([])
  })

  it('429 after too many failed sign-ins, with the wait in Russian words', { timeout: 60_000 }, async () => {
    const { app, db } = await testApp({ now })
    const user = await makeUser(db, 'company')
    const login = (password: string, language?: string) =>
      answer(
        app,
        '/api/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: user.email, password }),
        },
        language,
      )
    const wrong = await login('a-wrong-passphrase', 'ru')
    expect(wrong.status).toBe(401)
    expectRussian(wrong.body.detail)
    for (let i = 0; i < 4; i++) expect((await login(`wrong-passphrase-${i}`)).status).toBe(401)
    const en = await login(testPassword)
    const ru = await login(testPassword, 'ru')
    expect(en.status).toBe(429)
    expectSameProblemInRussian({ en, ru })
    expect(ru.body.title).toBe('Слишком много попыток')
    expect(ru.body.detail).toMatch(
      /^Слишком много неудачных попыток входа; повторите через \d+ секунд[уы]?\.$/,
    )
  })
})

describe('choosing the language', () => {
  it('is English without a preference, and for a language the API does not speak', async () => {
    const w = await world()
    for (const language of [undefined, 'fi-FI,fi;q=0.9', 'en-GB']) {
      const a = await answer(w.app, '/api/me', {}, language)
      expect(a.language).toBe('en')
      expect(a.body.detail).toBe('Sign in to do this.')
    }
  })

  it('follows ?lang= and the lang cookie, before Accept-Language', async () => {
    const w = await world()
    const byQuery = await answer(w.app, '/api/me?lang=ru', {}, 'en')
    expect(byQuery.language).toBe('ru')
    expect(byQuery.body.detail).toBe('Войдите, чтобы сделать это.')
    const byCookie = await answer(w.app, '/api/me', { headers: { cookie: 'lang=ru' } })
    expect(byCookie.language).toBe('ru')
    expect(byCookie.body.detail).toBe('Войдите, чтобы сделать это.')
    const backToEnglish = await answer(w.app, '/api/me?lang=en', { headers: { cookie: 'lang=ru' } }, 'ru')
    expect(backToEnglish.body.detail).toBe('Sign in to do this.')
  })

  it('labels the category names it translates', async () => {
    const w = await world()
    const res = await w.app.request('/api/categories', { headers: { 'accept-language': 'ru' } })
    expect(res.headers.get('content-language')).toBe('ru')
    expect((await json(res)).items.find((c: { id: string }) => c.id === 'lighting').name).toMatch(cyrillic)
  })
})
