import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { parse } from 'hono/utils/cookie'

export type Language = 'en' | 'ru'
export const languages: readonly Language[] = ['en', 'ru']

/**
 * The language a response should speak: `?lang=`, then the `lang` cookie the web app sets,
 * then the first English or Russian entry of Accept-Language, else English.
 */
export function requestLanguage(c: Context): Language {
  return pickLanguage(c.req.query('lang'), getCookie(c, 'lang'), c.req.header('accept-language'))
}

/** {@link requestLanguage} of a bare request, for answers given outside the app; English if it cannot be read. */
export function requestLanguageOf(request: Request): Language {
  try {
    return pickLanguage(
      new URL(request.url).searchParams.get('lang') ?? undefined,
      parse(request.headers.get('cookie') ?? '', 'lang').lang,
      request.headers.get('accept-language') ?? undefined,
    )
  } catch {
    return 'en'
  }
}

/**
 * {@link requestLanguage} from its three sources, for code that has a request but no context.
 *
 * @example
 * pickLanguage(undefined, undefined, 'ru-RU,ru;q=0.9,en;q=0.8') // 'ru'
 */
export function pickLanguage(
  query: string | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
): Language {
  for (const explicit of [query, cookie]) {
    if (explicit === 'en' || explicit === 'ru') return explicit
  }
  const ranked = (acceptLanguage ?? '')
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
