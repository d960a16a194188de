import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'

export type Language = 'en' | 'ru'
export const languages: readonly Language[] = ['en', 'ru']

/**
 * The language a response should speak: `?lang=`, then the `lang` cookie the web app sets,
 * then the first English or Russian entry of Accept-Language, else English.
 */
export function requestLanguage(c: Context): Language {
  for (const explicit of [c.req.query('lang'), getCookie(c, 'lang')]) {
    if (explicit === 'en' || explicit === 'ru') return explicit
  }
  const header = c.req.header('accept-language') ?? ''
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0]
    if (primary === 'ru' || primary === 'en') return primary
  }
  return 'en'
}
