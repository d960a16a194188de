import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requestLanguage } from '../../api/lib/language.ts'

const app = new Hono().get('/', (c) => c.text(requestLanguage(c)))
const languageOf = async (headers: Record<string, string>, query = '') =>
  (await app.request(`/${query}`, { headers })).text()

describe('requestLanguage', () => {
  it.each([
    [{}, '', 'en'],
    [{ 'accept-language': 'ru' }, '', 'ru'],
    [{ 'accept-language': 'ru-RU,ru;q=0.9,en-US;q=0.8' }, '', 'ru'],
    [{ 'accept-language': 'de-DE,de;q=0.9,ru;q=0.8,en;q=0.7' }, '', 'ru'],
    [{ 'accept-language': 'en;q=0.5,ru;q=0.9' }, '', 'ru'],
    [{ 'accept-language': 'ru;q=0,en' }, '', 'en'],
    [{ 'accept-language': 'fi' }, '', 'en'],
    [{ 'accept-language': 'ru' }, '?lang=en', 'en'],
    [{ cookie: 'lang=ru' }, '', 'ru'],
    [{ cookie: 'lang=ru', 'accept-language': 'en' }, '?lang=xx', 'ru'],
  ])('%o %s → %s', async (headers, query, expected) => {
    expect(await languageOf(headers, query)).toBe(expected)
  })
})
