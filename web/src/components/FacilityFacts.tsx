import type { EventInput } from '@fullcalendar/core'
import { call, client, type Facility } from '../api.ts'
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

/** Free and busy time of a facility as FullCalendar events for the visible range. */
export function availabilityEvents(facilityId: string) {
  return async (info: { startStr: string; endStr: string }): Promise<EventInput[]> => {
    const from = new Date(info.startStr).toISOString()
    const to = new Date(info.endStr).toISOString()
    const a = await call(
      client.api.facilities[':id'].availability.$get({ param: { id: facilityId }, query: { from, to } }),
    )
    return [
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
