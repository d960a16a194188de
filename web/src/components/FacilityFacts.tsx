import type { EventInput } from '@fullcalendar/core'
import { call, cityTimeZone, client, type Facility } from '../api.ts'
import { duration, type TextKey, t } from '../i18n.ts'

/** A facility's specs and booking rules as a definition list. */
export function FacilityFacts({ facility }: { facility: Facility }) {
  const s = facility.specs
  const r = facility.rules
  const specs: [string, string | undefined][] = [
    [t('kind'), t(`kind.${facility.kind}` as TextKey)],
    [t('capacity'), String(facility.capacity)],
    [t('power'), s.powerKw !== undefined ? `${s.powerKw} kW` : undefined],
    [t('voltage'), s.voltage !== undefined ? `${s.voltage} V` : undefined],
    [t('connectivity'), s.connectivity?.join(', ').toUpperCase()],
    [t('mounting'), s.mounting],
    [t('maxLoad'), s.maxLoadKg !== undefined ? `${s.maxLoadKg} kg` : undefined],
    [t('height'), s.heightM !== undefined ? `${s.heightM} m` : undefined],
    [t('placement'), s.indoor === undefined ? undefined : s.indoor ? t('indoor') : t('outdoor')],
    [t('access'), s.accessNotes],
  ]
  const rules: [string, string][] = [
    [t('minDuration'), duration(r.minDurationMinutes)],
    [t('maxDuration'), duration(r.maxDurationMinutes)],
    [t('leadTime'), duration(r.leadTimeMinutes)],
    [t('horizon'), duration(r.horizonDays * 24 * 60)],
    [t('setup'), duration(r.setupMinutes)],
    [t('teardown'), duration(r.teardownMinutes)],
    [
      t('openingHours'),
      r.openingHours?.length
        ? r.openingHours.map((w) => `${t(`weekday.${w.weekday}` as TextKey)} ${w.from}–${w.to}`).join(', ')
        : t('alwaysOpen'),
    ],
    ...(r.requiredDocuments?.length
      ? [
          [
            t('docs.required'),
            r.requiredDocuments.map((kind) => t(`docKind.${kind}` as TextKey)).join(', '),
          ] as [string, string],
        ]
      : []),
  ]
  return (
    <div class="facts">
      <section>
        <h2>{t('specs')}</h2>
        <dl>
          {specs
            .filter(([, value]) => value !== undefined && value !== '')
            .map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
        </dl>
      </section>
      <section>
        <h2>{t('rules')}</h2>
        <dl>
          {rules.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  )
}

const day = 24 * 60 * 60 * 1000

/**
 * The city dates (YYYY-MM-DD) on which some free span lies: the month view shows only all-day
 * background events, so free time is marked there day by day.
 */
export function freeDays(free: readonly { start: string; end: string }[]): string[] {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: cityTimeZone.value })
  const days = new Set<string>()
  for (const f of free) {
    const start = Date.parse(f.start)
    const end = Date.parse(f.end)
    // Noon steps never skip a date, whatever the clocks do; the last instant of the span counts.
    for (let at = start; at < end; at = Math.min(at + day / 2, end)) days.add(date.format(new Date(at)))
    if (end > start) days.add(date.format(new Date(end - 1)))
  }
  return [...days].sort()
}

/** Free and busy time of a facility as FullCalendar events for the visible range. */
export function availabilityEvents(facilityId: string) {
  return async (info: { startStr: string; endStr: string }): Promise<EventInput[]> => {
    const from = new Date(info.startStr).toISOString()
    const to = new Date(info.endStr).toISOString()
    const a = await call(
      client.api.facilities[':id'].availability.$get({ param: { id: facilityId }, query: { from, to } }),
    )
    return [
      ...freeDays(a.free).map((date) => ({
        start: date,
        allDay: true,
        title: t('free'),
        classNames: ['slot-free', 'slot-free-day'],
        display: 'background',
      })),
      ...a.free.map((f) => ({
        start: f.start,
        end: f.end,
        title: t('free'),
        classNames: ['slot-free'],
        display: 'background',
      })),
      ...a.busy.map((b) => ({
        start: b.start,
        end: b.end,
        title:
          b.kind === 'booking'
            ? t('busyBooking')
            : b.kind === 'closure'
              ? t('busyClosure', { reason: b.reason ?? '' })
              : t('busyClosed'),
        classNames: [`slot-${b.kind}`],
        display: b.kind === 'closed' ? 'background' : 'block',
      })),
    ]
  }
}
