import { useEffect, useState } from 'preact/hooks'
import { checkBookingRules, occupiedSpan, type RuleViolation } from '../../../api/domain/booking-rules.ts'
import { type Interval, overlaps, subtract } from '../../../api/domain/intervals.ts'
import { call, cityTimeZone, client, type Facility } from '../api.ts'
import { fromLocalInput } from '../format.ts'
import { lang, t } from '../i18n.ts'

/**
 * A rule a request breaks, in words of the interface language: the server's own sentence (one
 * catalogue, api/lib/messages.ts), worded with the city's times.
 */
export function explainRule(v: RuleViolation): string {
  return v.detail[lang.value]
}

/** The closures and free and busy time of a facility over a span (the span with its setup and teardown). */
export function readSite(facility: Facility, occupied: Interval) {
  const param = { id: facility.id }
  const query = { from: new Date(occupied.start).toISOString(), to: new Date(occupied.end).toISOString() }
  return Promise.all([
    call(client.api.facilities[':id'].closures.$get({ param, query })),
    call(client.api.facilities[':id'].availability.$get({ param, query })),
  ])
}

export type SiteRead = Awaited<ReturnType<typeof readSite>>

/**
 * What is wrong with a span on a facility, as the server would judge it: the first broken rule,
 * else "booked" when the facility is full for part of it. `own` is the booking being moved: its
 * present occupied span does not count against itself.
 */
export function judge(
  facility: Facility,
  span: Interval,
  [closures, availability]: SiteRead,
  own?: Interval,
) {
  const violation = checkBookingRules(
    span,
    { ...facility.rules, openingHours: facility.rules.openingHours ?? [] },
    {
      now: Date.now(),
      timeZone: cityTimeZone.value,
      closures: closures.items.map((c) => ({
        start: Date.parse(c.start),
        end: Date.parse(c.end),
        reason: c.reason,
      })),
      categoryAccepted: true, // the server knows the area's categories; it says so if not
      published: facility.published,
    },
  )
  if (violation) return explainRule(violation)
  const full = availability.busy
    .filter((b) => b.kind === 'booking')
    .map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }))
  const others = own ? subtract(full, [occupiedSpan(own, facility.rules)]) : full
  const occupied = occupiedSpan(span, facility.rules)
  return others.some((b) => overlaps(b, occupied)) ? t('busyBooking') : undefined
}

/**
 * The live check of a booking's times, as the request form and the edit of a request show it:
 * whenever the site or the times change, the broken rule (or "booked") in words, before anything
 * is sent. `start` and `end` are datetime-local values in city time; `own` is the present span
 * of the booking being edited, if any. `checked` turns true once an answer is in for these times.
 */
export function useRuleCheck(
  facility: Facility | undefined,
  start: string,
  end: string,
  own?: Interval,
): { problems: string[]; checked: boolean } {
  const [result, setResult] = useState<{ problems: string[]; checked: boolean }>({
    problems: [],
    checked: false,
  })
  useEffect(() => {
    const startIso = fromLocalInput(start)
    const endIso = fromLocalInput(end)
    const span = startIso && endIso ? { start: Date.parse(startIso), end: Date.parse(endIso) } : undefined
    if (!facility || !span || span.end <= span.start) {
      setResult({ problems: span && facility ? [t('rule.end_before_start')] : [], checked: false })
      return
    }
    setResult((r) => ({ ...r, checked: false }))
    let live = true
    readSite(facility, occupiedSpan(span, facility.rules)).then(
      (read) => {
        const problem = judge(facility, span, read, own)
        if (live) setResult({ problems: problem ? [problem] : [], checked: true })
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [start, end, facility?.id, own?.start, own?.end])
  return result
}
