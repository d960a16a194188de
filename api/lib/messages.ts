/**
 * Every sentence the API says to a client, in each language it answers in (docs/api.md,
 * "Errors"): problem titles per code, details, field messages, and the field messages of the zod
 * schemas. A problem carries its texts in all languages and picks one when it is rendered, by the
 * request's `Accept-Language` (api/lib/language.ts); `code` and `path` never change.
 *
 * Code elsewhere never writes a client-facing sentence itself: `ApiError` takes a
 * {@link Localized}, which only this file builds, so a message without its Russian cannot be
 * added unnoticed (tests/unit/messages.test.ts renders every entry and greps api/ for bypasses).
 */
import type { ErrorCode } from './errors.ts'
import type { Language } from './language.ts'

/** A sentence in every language the API answers in. */
export type Localized = Readonly<Record<Language, string>>

const both = (en: string, ru: string): Localized => ({ en, ru })

/** The Russian form of a noun after a count: 1 день, 2 дня, 5 дней, 11 дней, 21 день. */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const ten = n % 10
  const hundred = n % 100
  if (ten === 1 && hundred !== 11) return one
  if (ten >= 2 && ten <= 4 && (hundred < 12 || hundred > 14)) return few
  return many
}

/** The Russian genitive after "из", "больше", "не меньше": из 1 повторения, из 5 повторений, из 21 повторения. */
function ruGenitive(n: number, singular: string, plural: string): string {
  return n % 10 === 1 && n % 100 !== 11 ? singular : plural
}

const characters = (n: number) => ruGenitive(n, 'символа', 'символов')

// ---------------------------------------------------------------------------------------------
// Durations and times, as the messages quote them

interface DurationWords {
  minute(n: number): string
  hour(n: number): string
  day(n: number): string
  and: string
}

const durationWords: Record<Language, DurationWords> = {
  en: {
    minute: (n) => `${n} minute${n === 1 ? '' : 's'}`,
    hour: (n) => `${n} hour${n === 1 ? '' : 's'}`,
    day: (n) => `${n} day${n === 1 ? '' : 's'}`,
    and: ' and ',
  },
  ru: {
    minute: (n) => `${n} ${ruPlural(n, 'минута', 'минуты', 'минут')}`,
    hour: (n) => `${n} ${ruPlural(n, 'час', 'часа', 'часов')}`,
    day: (n) => `${n} ${ruPlural(n, 'день', 'дня', 'дней')}`,
    and: ' и ',
  },
}

function durationIn(words: DurationWords, total: number): string {
  const minutes = Math.round(total)
  if (minutes < 120) return words.minute(minutes)
  if (minutes % (24 * 60) === 0) return words.day(minutes / (24 * 60))
  if (minutes < 72 * 60) {
    const hours = Math.floor(minutes / 60)
    const rest = minutes % 60
    return rest === 0 ? words.hour(hours) : `${words.hour(hours)}${words.and}${words.minute(rest)}`
  }
  const days = Math.floor(minutes / (24 * 60))
  const hours = Math.round((minutes % (24 * 60)) / 60)
  return hours === 0 ? words.day(days) : `${words.day(days)}${words.and}${words.hour(hours)}`
}

/** "90 minutes", "5 hours", "2 days", "1 day and 6 hours" — "1 день и 6 часов": durations as people say them. */
export function durationText(total: number): Localized {
  return { en: durationIn(durationWords.en, total), ru: durationIn(durationWords.ru, total) }
}

const locales: Record<Language, string> = { en: 'en-GB', ru: 'ru-RU' }
const formats = new Map<string, Intl.DateTimeFormat>()

/** Formatters are costly to build (tens of µs) and a series refusal may quote hundreds of times. */
function format(language: Language, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language} ${timeZone} ${withTime}`
  let found = formats.get(key)
  if (!found) {
    if (formats.size > 64) formats.clear()
    const style = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }
    found = new Intl.DateTimeFormat(locales[language], { ...(style as object), timeZone })
    formats.set(key, found)
  }
  return found
}

type Instant = number | Date

/** "3 Mar 2031, 10:00 – 5 Mar 2031, 18:00" — "3 мар. 2031 г., 10:00 – 5 мар. 2031 г., 18:00" in the zone. */
export function spanText(span: { start: Instant; end: Instant }, timeZone: string): Localized {
  return {
    en: format('en', timeZone, true).formatRange(span.start, span.end),
    ru: format('ru', timeZone, true).formatRange(span.start, span.end),
  }
}

/** "3 Mar 2031" — "3 мар. 2031 г." in the zone. */
export function dayText(instant: Instant, timeZone: string): Localized {
  return {
    en: format('en', timeZone, false).format(instant),
    ru: format('ru', timeZone, false).format(instant),
  }
}

/** Texts joined with the same separator in every language. */
export function joinTexts(texts: readonly Localized[], separator: string): Localized {
  return {
    en: texts.map((t) => t.en).join(separator),
    ru: texts.map((t) => t.ru).join(separator),
  }
}

// ---------------------------------------------------------------------------------------------
// Titles, one per code

/** The `title` of a problem, by its code. */
export const problemTitles: Record<ErrorCode, Localized> = {
  validation_failed: both('The request is not valid', 'Запрос составлен неверно'),
  unauthenticated: both('Sign-in required', 'Нужно войти'),
  forbidden: both('Not allowed', 'Нет доступа'),
  not_found: both('Not found', 'Не найдено'),
  method_not_allowed: both('Method not allowed', 'Метод не разрешён'),
  capacity_exceeded: both('The facility is fully booked then', 'Площадка в это время занята'),
  invalid_state: both('Not possible in the current state', 'Невозможно в текущем состоянии'),
  version_conflict: both('Changed by someone else', 'Изменено кем-то другим'),
  conflict: both('Conflicts with existing data', 'Противоречит существующим данным'),
  email_taken: both('E-mail address already registered', 'Адрес e-mail уже зарегистрирован'),
  payload_too_large: both('Request body too large', 'Слишком большое тело запроса'),
  unsupported_media_type: both('Unsupported media type', 'Неподдерживаемый тип данных'),
  lead_time: both('Too little notice', 'Слишком поздно для заявки'),
  horizon: both('Too far ahead', 'Слишком далеко вперёд'),
  duration: both('Duration not allowed', 'Недопустимая продолжительность'),
  outside_opening_hours: both('Outside opening hours', 'Вне часов работы'),
  in_closure: both('The facility is closed then', 'Площадка в это время закрыта'),
  category_not_accepted: both('Category not accepted here', 'Категория здесь не принимается'),
  not_published: both('Not open for bookings', 'Не открыто для бронирования'),
  missing_document: both('Required document missing', 'Нет требуемого документа'),
  idempotency_mismatch: both(
    'Idempotency key reused with a different request',
    'Ключ идемпотентности повторён с другим запросом',
  ),
  file_missing: both('File missing', 'Файл утрачен'),
  rate_limited: both('Too many attempts', 'Слишком много попыток'),
  internal_error: both('Internal error', 'Внутренняя ошибка'),
  service_unavailable: both('Service unavailable', 'Сервис недоступен'),
  storage_full: both('Storage full', 'Хранилище заполнено'),
}

// ---------------------------------------------------------------------------------------------
// Parts of a request, roles, states, kinds: words the sentences below are built from

/** The part of a request a validation failure is in (Russian in the prepositional case: "в теле запроса"). */
export const requestParts = {
  json: both('request body', 'теле запроса'),
  query: both('query string', 'строке запроса'),
  param: both('path', 'пути'),
  header: both('headers', 'заголовках'),
  cookie: both('cookies', 'cookie-файлах'),
  form: both('form', 'форме'),
} satisfies Record<string, Localized>

/** {@link requestParts} by the name Hono's validators give a part; the name itself for one unknown. */
export function requestPart(target: string): Localized {
  return requestParts[target as keyof typeof requestParts] ?? both(target, target)
}

const roleNames: Record<string, string> = {
  admin: 'администратор',
  official: 'сотрудник города',
  company: 'компания',
}

const stateNames: Record<string, string> = {
  pending: 'на рассмотрении',
  changes_requested: 'требуются изменения',
  approved: 'одобрено',
  rejected: 'отклонено',
  cancelled: 'отменено',
}

/** A booking in a state, for "Бронирование в состоянии «…» нельзя …". */
const inState = (state: string) => `Бронирование в состоянии «${stateNames[state] ?? state}»`

type Kind = 'area' | 'facility'
const kindAccusative: Record<Kind, string> = { area: 'территорию', facility: 'площадку' }

/**
 * Why a recurrence gives no series (api/domain/recurrence.ts), part of {@link field}; apart, so
 * that the web app's bundle, which runs the same rule, takes only these.
 */
export const recurrenceTexts = {
  untilBeforeFirst: both(
    'must not be before the first occurrence’s date',
    'не должно быть раньше даты первого повторения',
  ),
  weekdayOfFirst: both(
    'must include the weekday of the first occurrence',
    'должно включать день недели первого повторения',
  ),
  tooManyOccurrences: (max: number) =>
    both(
      `gives more than ${max} occurrences; choose an earlier date`,
      `даёт больше ${max} ${ruGenitive(max, 'повторения', 'повторений')}; выберите более раннюю дату`,
    ),
} satisfies Record<string, Localized | ((...args: never[]) => Localized)>

/**
 * What a failed booking rule says (api/domain/booking-rules.ts), part of {@link say}; apart, so
 * that the web app's bundle, which runs the same rules, takes only these.
 */
export const ruleTexts = {
  tooShort: (lasts: Localized, least: Localized) =>
    both(
      `The booking lasts ${lasts.en}; this site takes bookings of at least ${least.en}.`,
      `Продолжительность бронирования — ${lasts.ru}, а на этой площадке наименьшая продолжительность — ${least.ru}.`,
    ),
  tooLong: (lasts: Localized, most: Localized) =>
    both(
      `The booking lasts ${lasts.en}; this site takes bookings of at most ${most.en}.`,
      `Продолжительность бронирования — ${lasts.ru}, а на этой площадке наибольшая продолжительность — ${most.ru}.`,
    ),
  inThePast: (notice: Localized) =>
    both(
      `The booking is in the past; this site needs ${notice.en}' notice.`,
      `Бронирование уже в прошлом; заявку на эту площадку нужно подавать заранее, минимальный срок — ${notice.ru}.`,
    ),
  tooSoon: (startsIn: Localized, notice: Localized) =>
    both(
      `The booking starts in ${startsIn.en}; this site needs ${notice.en}' notice.`,
      `До начала бронирования — ${startsIn.ru}, а заявку на эту площадку нужно подавать заранее, минимальный срок — ${notice.ru}.`,
    ),
  tooFarAhead: (horizon: Localized) =>
    both(
      `The booking starts more than ${horizon.en} ahead; this site takes bookings up to ${horizon.en} ahead.`,
      `Бронирование начинается слишком далеко в будущем: эту площадку бронируют не больше чем на ${horizon.ru} вперёд.`,
    ),
  outsideOpeningHours: (withBuffers: boolean) =>
    both(
      `The booking${withBuffers ? ', setup and teardown included,' : ''} falls outside the site's opening hours; choose a time within them.`,
      `Бронирование${withBuffers ? ' (с учётом монтажа и демонтажа)' : ''} выходит за часы работы площадки; выберите время в их пределах.`,
    ),
  /** `reason` is the official's own words, quoted as written. */
  closed: (when: Localized, reason: string) =>
    both(`The site is closed ${when.en}: ${reason}`, `Площадка закрыта ${when.ru}: ${reason}`),
  categoryNotAccepted: both(
    "The area does not accept pilots of this pilot's category.",
    'Территория не принимает пилоты этой категории.',
  ),
  notPublished: both('The site is not open for bookings.', 'Площадка не открыта для бронирования.'),
} satisfies Record<string, Localized | ((...args: never[]) => Localized)>

/** The kinds of compliance document (issue 19), as the messages name them. */
export const documentKindNames = {
  insurance: both('insurance', 'страховой полис'),
  permit: both('permit', 'разрешение'),
  safety_plan: both('safety plan', 'план безопасности'),
  data_protection: both('data protection assessment', 'оценка защиты данных'),
  contract: both('contract', 'договор'),
  other: both('other document', 'другой документ'),
} satisfies Record<string, Localized>

/** What a site's required documents say of a booking (api/domain/required-documents.ts). */
export const documentTexts = {
  missing: (kind: Localized) =>
    both(
      `The site requires the pilot's ${kind.en}; none is uploaded.`,
      `Площадка требует документ «${kind.ru}», а у пилота он не загружен.`,
    ),
  expires: (kind: Localized, validUntil: string, needed: string) =>
    both(
      `The pilot's ${kind.en} is valid until ${validUntil}; the booking needs it until ${needed}.`,
      `Документ «${kind.ru}» пилота действует до ${validUntil}, а для бронирования нужен до ${needed}.`,
    ),
  refused: (kinds: Localized) =>
    both(
      `The site requires documents the pilot lacks or that expire before the booking ends: ${kinds.en}.`,
      `Площадка требует документы, которых у пилота нет или срок которых истекает до конца бронирования: ${kinds.ru}.`,
    ),
} satisfies Record<string, Localized | ((...args: never[]) => Localized)>

// ---------------------------------------------------------------------------------------------
// Field messages: what is wrong with one field, said of the field ("must be after start")

/** The `message` of one entry of a problem's `errors`. Russian ones read after "Поле end …". */
export const field = {
  // request format
  notWellFormedJson: both('is not well-formed JSON', 'не является корректным JSON'),
  nul: both('must not contain a NUL character', 'содержит недопустимый символ NUL'),
  nulInParameterName: both(
    'has a parameter whose name contains a NUL character',
    'содержит параметр с символом NUL в имени',
  ),
  nulInFieldName: both(
    'has a field whose name contains a NUL character',
    'содержит поле с символом NUL в имени',
  ),
  badCursor: both('is not a valid cursor', 'не является действительным курсором'),
  badIdempotencyKey: both(
    'must be 1 to 200 visible ASCII characters',
    'должно состоять из 1–200 видимых символов ASCII',
  ),
  isRequired: both('is required', 'обязательно'),
  requiredUnlessOther: both('is required unless kind is other', 'обязательно, если kind не other'),
  requiredWithOther: both('is required with the other', 'обязательно вместе со вторым параметром'),
  // ranges of time
  afterStart: both('must be after start', 'должно быть позже start'),
  dateOrDateTime: both(
    'must be a date or an ISO-8601 date-time',
    'должно быть датой или датой-временем ISO-8601',
  ),
  within400Days: both(
    'must be after start and at most 400 days later',
    'должно быть позже start, но не больше чем на 400 дней',
  ),
  within366Days: both(
    'must be after from and at most 366 days later',
    'должно быть позже from, но не больше чем на 366 дней',
  ),
  withinThreeYears: both(
    'must be after from, at most three years later',
    'должно быть позже from, но не больше чем на три года',
  ),
  withinAYear: (from: string) =>
    both(
      `must be after ${from} and at most a year later`,
      `должно быть позже ${from}, но не больше чем на год`,
    ),
  // accounts
  requiredForOfficial: both('is required for an official', 'обязательно для сотрудника города'),
  emptyForOfficial: both('must be empty for an official', 'должно быть пустым для сотрудника города'),
  requiredForCompany: both('is required for a company member', 'обязательно для сотрудника компании'),
  emptyForCompany: both('must be empty for a company member', 'должно быть пустым для сотрудника компании'),
  emptyForAdmin: both('must be empty for an admin', 'должно быть пустым для администратора'),
  namesNoOrganisation: both('names no organisation', 'не указывает на существующую организацию'),
  unknownCluster: both('is not a known cluster id', 'не указывает на известный кластер'),
  emailTaken: both('is taken by another account', 'уже используется другой учётной записью'),
  isWrong: both('is wrong', 'указано неверно'),
  // catalogue
  namesNoDepartment: both('names no department', 'не указывает на существующую службу'),
  namesNoDepartments: (ids: readonly string[]) =>
    both(`name no department: ${ids.join(', ')}`, `не указывают на существующие службы: ${ids.join(', ')}`),
  namesNoVisibleArea: both('names no area you can see', 'не указывает на территорию, доступную вам'),
  maxBelowMin: both('must not be less than minDurationMinutes', 'не должно быть меньше minDurationMinutes'),
  departmentNameTaken: both('is taken by another department', 'уже используется другой службой'),
  // bookings and series
  namesNoFacility: both('names no facility', 'не указывает на существующую площадку'),
  requiredWhenCityCancels: both(
    'is required when the city cancels',
    'обязательно, когда бронирование отменяет город',
  ),
  taken: (when: Localized) => both(`taken ${when.en}`, `занято ${when.ru}`),
  occurrenceFull: both(
    'The site is full for part of this time.',
    'На часть этого времени площадка уже занята.',
  ),
  isApproved: (booking: Localized) => both(`is approved: ${booking.en}`, `одобрено: ${booking.ru}`),
  /** A booking named by its site and times: "Lighting pole 12, 3 Mar 2031, 22:00 – 4 Mar 2031, 06:00". */
  siteAt: (siteName: string, when: Localized) => both(`${siteName}, ${when.en}`, `${siteName}, ${when.ru}`),
  ...recurrenceTexts,
  // passwords (Russian: said of "пароль")
  passwordTooShort: (min: number) =>
    both(`must be at least ${min} characters`, `должен содержать не меньше ${min} ${characters(min)}`),
  passwordTooLong: (max: number) =>
    both(`must be at most ${max} characters`, `должен содержать не больше ${max} ${characters(max)}`),
  passwordCommon: both(
    'is one of the most common passwords; choose another',
    'слишком распространён; выберите другой',
  ),
  passwordRepetitive: both(
    'repeats too few characters; choose another',
    'состоит из слишком немногих разных символов; выберите другой',
  ),
  passwordIsEmail: both('must not be your e-mail address', 'не должен совпадать с вашим адресом e-mail'),
  // zod schemas (through schemaText)
  email: both('must be an e-mail address', 'должно быть адресом e-mail'),
  httpUrl: both('must be an http(s) URL', 'должно быть адресом http(s)'),
  notEmpty: both('must not be empty', 'не должно быть пустым'),
  atMostCharacters: (max: number) =>
    both(`must be at most ${max} characters`, `должно содержать не больше ${max} ${characters(max)}`),
  atLeastCharacters: (min: number) =>
    both(`must be at least ${min} characters`, `должно содержать не меньше ${min} ${characters(min)}`),
  timeOfDay: both('must be a time of day as HH:MM', 'должно быть временем суток в виде ЧЧ:ММ'),
  number: both('must be a number', 'должно быть числом'),
  notNegative: both('must not be negative', 'не должно быть отрицательным'),
  trueOrFalse: both('must be true or false', 'должно быть true или false'),
  unknownConnectivity: (unknown: readonly string[], known: readonly string[]) =>
    both(
      `unknown connectivity ${unknown.join(', ')}; use ${known.join(', ')}`,
      `неизвестный вид связи: ${unknown.join(', ')}; допустимы: ${known.join(', ')}`,
    ),
  oneCategory: both('must name at least one category', 'должно содержать хотя бы одну категорию'),
  emptyWindow: both(
    'a window must not start and end at the same time',
    'окно не должно начинаться и заканчиваться в одно и то же время',
  ),
  ringTooShort: both(
    'a linear ring needs at least four positions',
    'замкнутый контур должен содержать не меньше четырёх точек',
  ),
  ringOpen: both(
    'a linear ring must end where it starts',
    'замкнутый контур должен заканчиваться там, где начался',
  ),
  closureReason: both('must say why, for the public', 'должно объяснять причину для жителей'),
  id: both('must be an id (a UUID)', 'должно быть id (UUID)'),
  instant: both(
    'must be an ISO-8601 instant with an offset, e.g. 2027-03-01T18:00:00+03:00',
    'должно быть моментом времени ISO-8601 со смещением, например 2027-03-01T18:00:00+03:00',
  ),
  wholeNumber: (min: number, max: number) =>
    both(`must be a whole number from ${min} to ${max}`, `должно быть целым числом от ${min} до ${max}`),
  wholeMinutes: (min: number, max: number) =>
    both(
      `must be a whole number of minutes from ${min} to ${max}`,
      `должно быть целым числом минут от ${min} до ${max}`,
    ),
  noteRequired: both(
    'is required when rejecting or asking for changes: tell the applicant why',
    'обязательно при отказе или запросе изменений: объясните заявителю причину',
  ),
  dailyOrWeekly: both('must be daily or weekly', 'должно быть daily или weekly'),
  isoWeekday: both(
    'must be an ISO weekday, 1 (Monday) to 7 (Sunday)',
    'должно быть днём недели ISO: от 1 (понедельник) до 7 (воскресенье)',
  ),
  weekdaysOnce: both(
    'must name each weekday at most once',
    'должно называть каждый день недели не больше одного раза',
  ),
  isoDate: both('must be a date as YYYY-MM-DD', 'должно быть датой в виде ГГГГ-ММ-ДД'),
  realDate: both('must be a real date', 'должно быть существующей датой'),
  weeklyOnly: both('is only for weekly series', 'допустимо только для еженедельных серий'),
  // bulk decisions and closure edits (issue 17)
  oneTo200Bookings: both('must name 1 to 200 bookings', 'должно называть от 1 до 200 бронирований'),
  bookingsOnce: both(
    'must name each booking at most once',
    'должно называть каждое бронирование не больше одного раза',
  ),
  oneTo200Items: both(
    'must name 1 to 200 bookings and series in all',
    'должно называть от 1 до 200 бронирований и серий в сумме',
  ),
  seriesOnce: both(
    'must name each series at most once',
    'должно называть каждую серию не больше одного раза',
  ),
  somethingToChange: both('must change start, end or reason', 'должно менять start, end или reason'),
  facilityOrArea: both(
    'must be given, or areaId instead: exactly one of the two',
    'нужно указать его или areaId: ровно одно из двух',
  ),
  // residents (issue 18)
  nearPoint: both(
    'must be "<latitude>,<longitude>" in degrees, such as 59.9386,30.3141',
    'должно быть «<широта>,<долгота>» в градусах, например 59.9386,30.3141',
  ),
  placeQuery: both(
    'must hold a word of 1 to 100 characters',
    'должно содержать слово длиной от 1 до 100 символов',
  ),
} satisfies Record<string, Localized | ((...args: never[]) => Localized)>

// ---------------------------------------------------------------------------------------------
// Details: the sentence of a problem

/** The `detail` of a problem. */
export const say = {
  // requests the API cannot take
  nothingAt: (method: string, path: string) =>
    both(`Nothing at ${method} ${path}.`, `По адресу ${method} ${path} ничего нет.`),
  /** An exception of Hono's own: its English sentence, which no other language has. */
  cannotHandle: (english: string) =>
    both(english || 'The request cannot be handled.', 'Запрос не может быть обработан.'),
  notJson: (type: string) =>
    both(
      `Send the body as application/json, not ${type}.`,
      `Отправьте тело запроса в формате application/json, а не ${type}.`,
    ),
  jsonWithoutType: both(
    'Say Content-Type: application/json for a JSON body.',
    'Для тела в формате JSON укажите Content-Type: application/json.',
  ),
  malformedJson: both(
    'The request body is not well-formed JSON.',
    'Тело запроса не является корректным JSON.',
  ),
  bodyTooLarge: both('The request body is over 1 MiB.', 'Тело запроса больше 1 МиБ.'),
  /** A zod validation failure, named by its first field. */
  invalidField: (part: Localized, path: string, message: Localized) =>
    both(`Invalid ${part.en}: ${path} ${message.en}.`, `Ошибка в ${part.ru}: ${path} — ${message.ru}.`),
  invalidPart: (part: Localized) => both(`Invalid ${part.en}.`, `Ошибка в ${part.ru}.`),
  /** A NUL in a part of the request as a whole (the query string, not one of its parameters). */
  partProblem: (part: Localized, message: Localized) =>
    both(`The ${part.en} ${message.en}.`, `Ошибка в ${part.ru}: ${message.ru}.`),
  /** One field is wrong, as the field message says. */
  fieldProblem: (path: string, message: Localized) =>
    both(`${path} ${message.en}.`, `Поле ${path} ${message.ru}.`),
  badCursor: both(
    'The cursor is not one this API gave out; start from the first page.',
    'Этот курсор выдан не этим API; начните с первой страницы.',
  ),
  badIdempotencyKey: both(
    'The Idempotency-Key header must be 1 to 200 visible ASCII characters.',
    'Заголовок Idempotency-Key должен состоять из 1–200 видимых символов ASCII.',
  ),
  idempotencyMismatch: both(
    'This Idempotency-Key was used for a different request; use a new key.',
    'Этот Idempotency-Key уже использован для другого запроса; возьмите новый ключ.',
  ),
  availableTogether: both(
    'Give availableFrom and availableTo together.',
    'Укажите availableFrom и availableTo вместе.',
  ),
  // the server's state
  databaseUnreachable: both(
    'The database is not reachable right now; try again shortly.',
    'База данных сейчас недоступна; повторите попытку чуть позже.',
  ),
  databaseNotAnswering: both(
    'The database does not answer; try again shortly.',
    'База данных не отвечает; повторите попытку чуть позже.',
  ),
  noWorkerDatabase: both(
    'No database is configured for this Worker.',
    'Для этого Worker не настроена база данных.',
  ),
  internalError: both(
    'Something went wrong on our side; the change was not made.',
    'На нашей стороне что-то пошло не так; изменение не внесено.',
  ),
  storageFull: both(
    'The server’s disk is full, so nothing can be saved right now; reading still works. Try again later.',
    'Диск сервера заполнен, поэтому сейчас ничего нельзя сохранить; чтение работает. Повторите попытку позже.',
  ),
  serverStarting: both(
    'The server is starting; try again in a moment.',
    'Сервер запускается; повторите попытку через мгновение.',
  ),
  serverRestarting: both(
    'The server is restarting; try again.',
    'Сервер перезапускается; повторите попытку.',
  ),
  // signing in
  badAuthorizationHeader: both(
    'The Authorization header must be "Bearer <token>".',
    'Заголовок Authorization должен иметь вид "Bearer <token>".',
  ),
  tokenInvalid: both(
    'The token is not valid or has expired; sign in again.',
    'Токен недействителен или истёк; войдите снова.',
  ),
  crossOrigin: both(
    'A change made with the session cookie must come from this site (Origin check).',
    'Изменение с cookie сессии должно приходить с этого сайта (проверка Origin).',
  ),
  signInRequired: both('Sign in to do this.', 'Войдите, чтобы сделать это.'),
  // review mail (issue 17)
  reviewMailForReviewers: both(
    'Only officials and administrators choose how they hear of requests to review.',
    'Способ уведомления о заявках выбирают только сотрудники служб и администраторы.',
  ),
  onlyRoles: (roles: readonly string[]) =>
    both(
      `Only ${roles.join(' or ')} accounts may do this.`,
      `Это доступно только учётным записям с ролью ${roles.map((r) => `«${roleNames[r] ?? r}»`).join(' или ')}.`,
    ),
  wrongCredentials: both('The e-mail address or the password is wrong.', 'Неверный адрес e-mail или пароль.'),
  tooManySignIns: (seconds: number) =>
    both(
      `Too many failed sign-ins; try again in ${seconds} seconds.`,
      `Слишком много неудачных попыток входа; повторите через ${seconds} ${ruPlural(seconds, 'секунду', 'секунды', 'секунд')}.`,
    ),
  tooManyRegistrations: (seconds: number) =>
    both(
      `Too many registrations from this address; try again in ${seconds} seconds.`,
      `Слишком много регистраций с этого адреса; повторите через ${seconds} ${ruPlural(seconds, 'секунду', 'секунды', 'секунд')}.`,
    ),
  // accounts
  unknownCluster: both(
    'Unknown industry cluster; see GET /api/clusters.',
    'Неизвестный отраслевой кластер; список — в GET /api/clusters.',
  ),
  emailTakenSignIn: both(
    'An account with this e-mail address exists already; sign in instead.',
    'Учётная запись с этим адресом e-mail уже есть; войдите в неё.',
  ),
  emailTakenUser: both(
    'A user with this e-mail address exists already.',
    'Пользователь с этим адресом e-mail уже есть.',
  ),
  emailTaken: both(
    'An account with this e-mail address exists already.',
    'Учётная запись с этим адресом e-mail уже есть.',
  ),
  noUser: both('No user with this id.', 'Пользователя с таким id нет.'),
  noSelfDemotion: both(
    'You cannot deactivate or demote yourself; ask another admin.',
    'Нельзя отключить себя или понизить свою роль; попросите другого администратора.',
  ),
  wrongCurrentPassword: both('The current password is wrong.', 'Текущий пароль указан неверно.'),
  weakPassword: (weakness: Localized) => both(`The password ${weakness.en}.`, `Пароль ${weakness.ru}.`),
  // departments, areas, facilities, closures
  noDepartment: both('No department with this id.', 'Службы с таким id нет.'),
  departmentNameTaken: both(
    'A department with this name exists already.',
    'Служба с таким названием уже есть.',
  ),
  // public holidays and password resets (issue 17, admin screens)
  holidayExists: both('This day is a public holiday already.', 'Этот день уже отмечен как праздник.'),
  noHoliday: both('No public holiday on this day.', 'В этот день праздника нет.'),
  noArea: both('No area with this id.', 'Территории с таким id нет.'),
  noFacility: both('No facility with this id.', 'Площадки с таким id нет.'),
  onlyManagingDepartment: both(
    'Only officials of the managing department may do this.',
    'Это могут делать только сотрудники ответственной службы.',
  ),
  onlyAreaDepartment: both(
    'Only officials of the area’s department may place facilities in it.',
    'Размещать площадки на территории могут только сотрудники её службы.',
  ),
  onlyAdminHandsOver: (kind: Kind) =>
    both(
      `Only an admin may hand ${kind === 'area' ? 'an area' : 'a facility'} to another department.`,
      `Передать ${kindAccusative[kind]} другой службе может только администратор.`,
    ),
  catalogueChanged: (kind: Kind, current: number, yours: number) =>
    both(
      `The ${kind} was changed since you read it (version ${current}, yours ${yours}); reload and try again.`,
      `${kind === 'area' ? 'Территорию' : 'Площадку'} изменили после того, как вы её загрузили (версия ${current}, у вас ${yours}); обновите страницу и повторите.`,
    ),
  onlyManagingChangeArea: both(
    'Only officials of the managing department may change this area.',
    'Изменять эту территорию могут только сотрудники ответственной службы.',
  ),
  sayAreaDepartment: both(
    'Say which department manages the area.',
    'Укажите, какая служба отвечает за территорию.',
  ),
  ownDepartmentAreasOnly: both(
    'Officials create areas for their own department only.',
    'Сотрудники города создают территории только для своей службы.',
  ),
  onlyManagingClose: (kind: Kind) =>
    both(
      `Only officials of the managing department may close this ${kind}.`,
      `Закрыть эту ${kindAccusative[kind]} могут только сотрудники ответственной службы.`,
    ),
  noClosure: both('No closure with this id.', 'Закрытия с таким id нет.'),
  onlyManagingLift: both(
    'Only officials of the managing department may lift this closure.',
    'Снять это закрытие могут только сотрудники ответственной службы.',
  ),
  onlyManagingEdit: both(
    'Only officials of the managing department may change this closure.',
    'Изменить это закрытие могут только сотрудники ответственной службы.',
  ),
  // pilots
  noPilot: both('No pilot with this id.', 'Пилота с таким id нет.'),
  noPilotOfYours: both('No pilot of yours with this id.', 'У вас нет пилота с таким id.'),
  // documents (issue 19)
  noDocument: both('No document with this id.', 'Документа с таким id нет.'),
  documentFileLost: both(
    'The file of this document is no longer in storage; it has to be uploaded again.',
    'Файла этого документа больше нет в хранилище: его нужно загрузить снова.',
  ),
  documentTooLarge: both('The file is over 10 MiB.', 'Файл больше 10 МиБ.'),
  documentNotMultipart: both(
    'Send the document as multipart/form-data with the fields kind, title, validUntil and file.',
    'Отправьте документ как multipart/form-data с полями kind, title, validUntil и file.',
  ),
  documentTypeRefused: both(
    'The file is not a PDF, PNG or JPEG (judged by its content, not its name).',
    'Файл не является PDF, PNG или JPEG (по содержимому, а не по имени).',
  ),
  documentFileMissing: both('The form has no file in its field file.', 'В форме нет файла в поле file.'),
  onlyOwnersDeleteDocuments: both(
    "Only the pilot's organisation or an admin may delete its documents.",
    'Удалить документы пилота могут только его организация или администратор.',
  ),
  onlyOwnersUploadDocuments: both(
    "Only the pilot's organisation may upload its documents.",
    'Загружать документы пилота может только его организация.',
  ),
  pilotChanged: (version: number) =>
    both(
      `The pilot changed since you read it (version ${version}); reload and try again.`,
      `Пилот изменился после того, как вы его загрузили (версия ${version}); обновите страницу и повторите.`,
    ),
  /** `named`: the first few approved bookings, "facility, when". */
  pilotHasApproved: (count: number, named: readonly Localized[]) => {
    const more = count - named.length
    return both(
      `This pilot has ${count === 1 ? '1 approved booking' : `${count} approved bookings`} ` +
        `(${named.map((n) => n.en).join('; ')}${more > 0 ? `; and ${more} more` : ''}), so it stays on the ` +
        'public record; only a pilot without approved bookings can be deleted.',
      `У пилота ${count} ${ruPlural(count, 'одобренное бронирование', 'одобренных бронирования', 'одобренных бронирований')} ` +
        `(${named.map((n) => n.ru).join('; ')}${more > 0 ? `; и ещё ${more}` : ''}), поэтому он остаётся в ` +
        'публичном реестре; удалить можно только пилот без одобренных бронирований.',
    )
  },
  noFeed: both(
    'No feed at this address; it may have been replaced.',
    'По этому адресу календаря нет; возможно, адрес заменили.',
  ),
  // bookings
  noBooking: both('No booking with this id.', 'Бронирования с таким id нет.'),
  noBookingOfYours: both('No booking of yours with this id.', 'У вас нет бронирования с таким id.'),
  noBookingToReview: both(
    'No booking for your department to review with this id.',
    'Бронирования с таким id на рассмотрении у вашей службы нет.',
  ),
  bookingChanged: (version: number) =>
    both(
      `The booking changed since you read it (version ${version}); reload and try again.`,
      `Бронирование изменилось после того, как вы его загрузили (версия ${version}); обновите страницу и повторите.`,
    ),
  cannotEdit: (state: string) =>
    both(
      `A ${state.replace('_', ' ')} booking cannot be edited; cancel it and request again.`,
      `${inState(state)} нельзя изменить; отмените его и подайте заявку заново.`,
    ),
  cannotReview: (state: string) =>
    both(
      `A ${state.replace('_', ' ')} booking cannot be reviewed now.`,
      `${inState(state)} сейчас нельзя рассмотреть.`,
    ),
  cannotCancel: (state: string) =>
    both(`A ${state} booking cannot be cancelled.`, `${inState(state)} нельзя отменить.`),
  onlyApplicantOrSigning: both(
    'Only the applicant or a signing department may cancel this booking.',
    'Отменить это бронирование может только заявитель или согласующая служба.',
  ),
  bookingOver: both(
    'This booking is over; it can no longer be withdrawn or revoked.',
    'Это бронирование уже закончилось; его нельзя отозвать или отменить.',
  ),
  sayWhyCityCancels: both(
    'Say why the city cancels this booking; the applicant will read it.',
    'Укажите, почему город отменяет это бронирование; заявитель это прочтёт.',
  ),
  bookedAt: (when: Localized) =>
    both(
      `The site is already booked ${when.en} (setup and teardown included); choose another time.`,
      `Площадка уже занята ${when.ru} (с учётом монтажа и демонтажа); выберите другое время.`,
    ),
  fullAt: (capacity: number, when: Localized) =>
    both(
      `The site takes ${capacity} pilots at once and is full ${when.en}; choose another time.`,
      `Площадка вмещает ${capacity} ${ruPlural(capacity, 'пилот', 'пилота', 'пилотов')} одновременно и занята ${when.ru}; выберите другое время.`,
    ),
  bookedMeanwhile: both(
    'The site is already booked for part of this time; choose another time.',
    'Площадка уже занята на часть этого времени; выберите другое время.',
  ),
  idempotencyRace: both(
    'Another request with this Idempotency-Key was handled at the same time; send this one again to get its answer.',
    'Другой запрос с этим Idempotency-Key обрабатывался одновременно; отправьте этот запрос снова, чтобы получить ответ.',
  ),
  duplicate: both(
    'This would duplicate something that exists already; nothing was changed.',
    'Это повторило бы уже существующие данные; ничего не изменено.',
  ),
  ...ruleTexts,
  closedNoApproval: (when: Localized, reason: string) =>
    both(
      `The site is closed ${when.en}: ${reason}. A booking in a closure cannot be approved: reject it or request other times.`,
      `Площадка закрыта ${when.ru}: ${reason}. Бронирование, попадающее на закрытие, нельзя одобрить: отклоните его или попросите другое время.`,
    ),
  // series
  recurrenceProblem: (message: Localized) =>
    both(`recurrence: ${message.en}.`, `Поле recurrence: ${message.ru}.`),
  seriesRefused: (failed: number, total: number, firstDay: Localized, first: Localized) =>
    both(
      `${failed} of ${total} ${failed === 1 ? 'occurrence' : 'occurrences'} cannot be booked, so none was: ` +
        `the first is ${firstDay.en} — ${first.en}`,
      `Нельзя забронировать ${failed} из ${total} ${ruGenitive(total, 'повторения', 'повторений')}, ` +
        `поэтому не забронировано ни одно. Первое такое — ${firstDay.ru}: ${first.ru}`,
    ),
  noSeries: both('No series with this id.', 'Серии с таким id нет.'),
  noSeriesOfYours: both('No series of yours with this id.', 'У вас нет серии с таким id.'),
  noSeriesYouTakePart: both(
    'No series you take part in has this id.',
    'Среди серий, в которых вы участвуете, нет серии с таким id.',
  ),
  noSeriesToReview: both(
    'No series for your department to review with this id.',
    'Серии с таким id на рассмотрении у вашей службы нет.',
  ),
  nothingWaits: both(
    'No occurrence of this series waits for your department’s decision.',
    'Ни одно повторение этой серии не ждёт решения вашей службы.',
  ),
  nothingToCancel: both(
    'No occurrence of this series can still be cancelled.',
    'Ни одно повторение этой серии уже нельзя отменить.',
  ),
  // residents (issue 18)
  resultsBeforeStart: both(
    'Results can be published once the pilot’s first approved booking has started.',
    'Результаты можно опубликовать, когда начнётся первое одобренное бронирование пилота.',
  ),
  noResults: both('This pilot has published no results yet.', 'Этот пилот ещё не опубликовал результаты.'),
  overdueForOfficials: both(
    'Only officials and admins may list pilots with overdue results.',
    'Пилоты с просроченными результатами могут видеть только сотрудники служб и администраторы.',
  ),
  tooMuchFeedback: (seconds: number) =>
    both(
      `Too many messages from this address; try again in ${seconds} seconds.`,
      `Слишком много сообщений с этого адреса; повторите через ${seconds} ${ruPlural(seconds, 'секунду', 'секунды', 'секунд')}.`,
    ),
} satisfies Record<string, Localized | ((...args: never[]) => Localized)>

// ---------------------------------------------------------------------------------------------
// zod: the schemas' own field messages

const schemaTexts = new Map<string, Localized>()

/**
 * A field message for a zod schema: zod keeps a string, so the English one goes in and the whole
 * text is remembered by it, for the renderer to find the Russian (api/lib/validation.ts).
 *
 * @example
 * z.email({ error: schemaText(field.email) })
 */
export function schemaText(text: Localized): string {
  schemaTexts.set(text.en, text)
  return text.en
}

/** The text a schema gave by its English, or undefined for a message zod wrote itself. */
export function schemaTextOf(english: string): Localized | undefined {
  return schemaTexts.get(english)
}
