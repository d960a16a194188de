/**
 * The message catalogue (api/lib/messages.ts) is complete: every entry renders in English and in
 * Russian, and nothing in api/ writes a client-facing sentence past it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorStatus, problem } from '../../api/lib/errors.ts'
import { languages } from '../../api/lib/language.ts'
import {
  dayText,
  durationText,
  field,
  type Localized,
  problemTitles,
  requestParts,
  ruPlural,
  say,
  schemaTextOf,
  spanText,
} from '../../api/lib/messages.ts'
// The schemas register their field messages as they load.
import '../../api/schemas/accounts.ts'
import '../../api/schemas/catalogue.ts'
import '../../api/schemas/free-time.ts'
import '../../api/schemas/geojson.ts'
import '../../api/schemas/pilots.ts'
import '../../api/schemas/series.ts'

const cyrillic = /[а-яё]/i
const zone = 'Europe/Moscow'
const when = spanText(
  { start: Date.parse('2031-03-03T10:00:00Z'), end: Date.parse('2031-03-05T15:00:00Z') },
  zone,
)
const lasts = durationText(90)
const reason = field.afterStart

type Entries = Record<string, Localized | ((...args: never[]) => Localized)>
type Samples<T extends Entries> = {
  [K in keyof T as T[K] extends (...args: never[]) => Localized ? K : never]: T[K] extends (
    ...args: infer A
  ) => Localized
    ? A
    : never
}

// One call for every entry that takes values; the type makes a new one impossible to leave out.
const fieldSamples: Samples<typeof field> = {
  withinAYear: ['availableFrom'],
  namesNoDepartments: [['d-1', 'd-2']],
  taken: [when],
  isApproved: [field.siteAt('Pole 12', when)],
  siteAt: ['Pole 12', when],
  tooManyOccurrences: [366],
  passwordTooShort: [10],
  passwordTooLong: [200],
  atMostCharacters: [2000],
  atLeastCharacters: [3],
  unknownConnectivity: [['pigeon'], ['5g', 'lorawan']],
  wholeNumber: [1, 52],
  wholeMinutes: [15, 525_600],
}

const saySamples: Samples<typeof say> = {
  nothingAt: ['GET', '/api/nowhere'],
  cannotHandle: ['Malformed JSON in request body'],
  notJson: ['text/plain'],
  invalidField: [requestParts.json, 'end', reason],
  invalidPart: [requestParts.query],
  partProblem: [requestParts.query, field.nulInParameterName],
  fieldProblem: ['end', reason],
  onlyRoles: [['official', 'admin']],
  tooManySignIns: [899],
  tooManyRegistrations: [42],
  tooMuchFeedback: [42],
  weakPassword: [field.passwordCommon],
  onlyAdminHandsOver: ['area'],
  catalogueChanged: ['facility', 7, 6],
  onlyManagingClose: ['facility'],
  pilotChanged: [3],
  pilotHasApproved: [5, [field.siteAt('Pole 12', when), field.siteAt('Roof 3', when)]],
  bookingChanged: [4],
  cannotEdit: ['approved'],
  cannotReview: ['changes_requested'],
  cannotCancel: ['rejected'],
  bookedAt: [when],
  fullAt: [3, when],
  tooShort: [lasts, durationText(120)],
  tooLong: [durationText(3000), lasts],
  inThePast: [durationText(2880)],
  tooSoon: [lasts, durationText(2880)],
  tooFarAhead: [durationText(365 * 1440)],
  outsideOpeningHours: [true],
  closed: [when, 'Road works.'],
  closedNoApproval: [when, 'Road works.'],
  recurrenceProblem: [field.untilBeforeFirst],
  seriesRefused: [2, 14, dayText(Date.parse('2031-06-10T19:00:00Z'), zone), durationText(61)],
}

function rendered(entries: Entries, samples: Record<string, unknown[]>): [string, Localized, unknown[]][] {
  return Object.entries(entries).map(([key, entry]) => {
    if (typeof entry !== 'function') return [key, entry, []]
    const args = samples[key]
    if (!args) throw new Error(`no sample for ${key}`)
    return [key, (entry as (...a: unknown[]) => Localized)(...args), args]
  })
}

const catalogue: [string, Localized, unknown[]][] = [
  ...Object.entries(problemTitles).map(([k, v]): [string, Localized, unknown[]] => [`title ${k}`, v, []]),
  ...Object.entries(requestParts).map(([k, v]): [string, Localized, unknown[]] => [`part ${k}`, v, []]),
  ...rendered(field, fieldSamples).map(([k, v, a]): [string, Localized, unknown[]] => [`field.${k}`, v, a]),
  ...rendered(say, saySamples).map(([k, v, a]): [string, Localized, unknown[]] => [`say.${k}`, v, a]),
]

describe('the message catalogue', () => {
  it('has a title in every language for every code', () => {
    expect(Object.keys(problemTitles).sort()).toEqual(Object.keys(errorStatus).sort())
    for (const code of Object.keys(errorStatus) as (keyof typeof errorStatus)[]) {
      for (const language of languages) {
        expect(problem(code, say.noArea, language).title).toBe(problemTitles[code][language])
      }
    }
  })

  it.each(catalogue)('%s is English and Russian', (_key, text, args) => {
    expect(Object.keys(text).sort()).toEqual([...languages].sort())
    expect(text.en.trim()).not.toBe('')
    expect(text.en).not.toMatch(cyrillic)
    expect(text.ru).toMatch(cyrillic)
    expect(text.ru).not.toBe(text.en)
    // What it was given shows in both: numbers as they are, quoted texts in their own language.
    for (const arg of args) {
      if (typeof arg === 'number') {
        expect(text.en).toContain(String(arg))
        expect(text.ru).toContain(String(arg))
      } else if (arg && typeof arg === 'object' && 'ru' in arg) {
        const quoted = arg as Localized
        expect(text.en).toContain(quoted.en)
        expect(text.ru).toContain(quoted.ru)
      }
    }
  })

  it('gives every English field message one Russian one, so zod’s can be looked up by it', () => {
    const byEnglish = new Map<string, string>()
    for (const [key, text] of catalogue.filter(([k]) => k.startsWith('field.'))) {
      const seen = byEnglish.get(text.en)
      if (seen !== undefined) expect(`${key}: ${text.ru}`).toBe(`${key}: ${seen}`)
      byEnglish.set(text.en, text.ru)
    }
    expect(schemaTextOf('must be a whole number from 1 to 500')?.ru).toBe(
      'должно быть целым числом от 1 до 500',
    )
    expect(schemaTextOf('must be at most 2000 characters')?.ru).toBe(
      'должно содержать не больше 2000 символов',
    )
    expect(schemaTextOf('Invalid input: expected string, received undefined')).toBeUndefined()
  })

  it.each([
    [1, 'минута'],
    [2, 'минуты'],
    [5, 'минут'],
    [11, 'минут'],
    [12, 'минут'],
    [21, 'минута'],
    [22, 'минуты'],
    [111, 'минут'],
  ])('says %i %s', (n, word) => {
    expect(ruPlural(n, 'минута', 'минуты', 'минут')).toBe(word)
  })

  it.each([
    [1, '1 minute', '1 минута'],
    [90, '90 minutes', '90 минут'],
    [120, '2 hours', '2 часа'],
    [5 * 60, '5 hours', '5 часов'],
    [30 * 60 + 21, '30 hours and 21 minutes', '30 часов и 21 минута'],
    [1440, '1 day', '1 день'],
    [2 * 1440, '2 days', '2 дня'],
    [21 * 1440, '21 days', '21 день'],
    [4 * 1440 + 6 * 60, '4 days and 6 hours', '4 дня и 6 часов'],
  ])('gives %i minutes as "%s" and "%s"', (minutes, en, ru) => {
    expect(durationText(minutes)).toEqual({ en, ru })
  })

  it('dates times in each language, in the city’s zone', () => {
    // Intl puts thin spaces around the dash.
    const spaced = (text: string) => text.replace(/\s+/g, ' ')
    expect(spaced(when.en)).toBe('3 Mar 2031, 13:00 – 5 Mar 2031, 18:00')
    expect(spaced(when.ru)).toBe('3 мар. 2031 г., 13:00 – 5 мар. 2031 г., 18:00')
    expect(dayText(Date.parse('2031-06-10T21:30:00Z'), zone)).toEqual({
      en: '11 Jun 2031',
      ru: '11 июн. 2031 г.',
    })
  })
})

/** Every .ts file under a folder, with its text. */
function sources(folder: string): [string, string][] {
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [join(folder, f), readFileSync(join(folder, f), 'utf8')])
}

/** Lines of the text that match, as "file:line: text". */
function offending(files: [string, string][], pattern: RegExp): string[] {
  return files.flatMap(([file, text]) =>
    text
      .split('\n')
      .map((line, i) => [line, i] as const)
      .filter(([line]) => pattern.test(line))
      .map(([line, i]) => `${file}:${i + 1}: ${line.trim()}`),
  )
}

// A sentence in place instead of from the catalogue: an ApiError with a literal, a Localized
// written by hand, a field message as a literal.
const literalApiError = /new ApiError\(\s*'[a-z_]+',\s*['"`]/
const handWritten = /\b(en|ru):\s*['"`]/
const literalFieldMessage = /\bmessage:\s*['"`]/
// zod messages as literals: in an options object, or as the message argument of a check.
const literalZodOption = /\b(error|message):\s*['"`]/
const literalZodArgument =
  /\.(min|max|length|int|positive|nonnegative|negative|gt|gte|lt|lte|regex|refine|email|url|uuid|startsWith|endsWith|includes)\((?:[^()]|\([^()]*\))*,\s*['"`]/

describe('nothing in api/ says a sentence past the catalogue', () => {
  const api = sources('api').filter(([file]) => !file.endsWith(join('lib', 'messages.ts')))
  // Configuration errors are for the operator at startup, never an answer to a client.
  const answering = api.filter(([file]) => !file.endsWith(join('lib', 'config.ts')))

  it('the patterns catch what they are for', () => {
    expect(literalApiError.test("throw new ApiError('not_found', 'No pilot with this id.')")).toBe(true)
    expect(literalApiError.test('throw new ApiError(`forbidden`, say.noArea)')).toBe(false)
    expect(handWritten.test("return { en: 'Closed', ru: 'Закрыто' }")).toBe(true)
    expect(literalFieldMessage.test("errors: [{ path: 'end', message: 'must be after start' }]")).toBe(true)
    expect(literalZodOption.test("z.email({ error: 'must be an e-mail address' })")).toBe(true)
    expect(literalZodArgument.test(".min(1, 'must not be empty')")).toBe(true)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
    expect(literalZodArgument.test('.max(max, `must be at most ${max} characters`)')).toBe(true)
    expect(
      literalZodArgument.test(".refine((d) => !date.test(d) || realDate(d), 'must be a real date')"),
    ).toBe(true)
    expect(literalZodArgument.test('.max(200, schemaText(field.atMostCharacters(200)))')).toBe(false)
  })

  it('no ApiError is given a literal sentence', () => {
    expect(offending(api, literalApiError)).toEqual([])
  })

  it('no text in two languages is written outside the catalogue', () => {
    expect(offending(api, handWritten)).toEqual([])
  })

  it('no field message is a literal', () => {
    expect(offending(answering, literalFieldMessage)).toEqual([])
  })

  it('no zod schema gives a literal message', () => {
    const schemas = sources(join('api', 'schemas'))
    expect(offending(schemas, literalZodOption)).toEqual([])
    expect(offending(schemas, literalZodArgument)).toEqual([])
  })
})
