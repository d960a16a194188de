import { Calendar, type CalendarOptions, type EventSourceInput } from '@fullcalendar/core'
import ruLocale from '@fullcalendar/core/locales/ru'
import dayGridPlugin from '@fullcalendar/daygrid'
import interactionPlugin from '@fullcalendar/interaction'
import listPlugin from '@fullcalendar/list'
import luxon3Plugin from '@fullcalendar/luxon3'
import timeGridPlugin from '@fullcalendar/timegrid'
import { useEffect, useRef } from 'preact/hooks'
import { cityTimeZone } from '../api.ts'
import { lang, t } from '../i18n.ts'

export interface CalendarViewProps {
  /** Events or a function loading them for the visible range. */
  events: EventSourceInput
  initialView?: string
  views?: string
  /** Drag to select a span (a company choosing a slot). */
  onSelect?: (start: Date, end: Date) => void
  onEventClick?: (id: string, props: Record<string, unknown>) => void
  /** The date to open at (an instant); today when absent. */
  initialDate?: string | undefined
  /** Changes whenever the events should be fetched again. */
  refreshKey?: string
  /** Told the view's type whenever the dates or the view change (e.g. to keep it in the address). */
  onView?: (type: string) => void
  label: string
}

/**
 * FullCalendar (MIT packages only) in the city's time zone and the interface language. The
 * calendar is a visual aid: everything it offers can also be done with the form fields and lists
 * next to it, which are the keyboard path.
 */
export function CalendarView(props: CalendarViewProps) {
  const host = useRef<HTMLDivElement>(null)
  const calendar = useRef<Calendar | null>(null)
  const latest = useRef(props)
  latest.current = props

  useEffect(() => {
    if (!host.current) return
    const narrow = window.matchMedia('(max-width: 640px)').matches
    const options: CalendarOptions = {
      plugins: [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin, luxon3Plugin],
      timeZone: cityTimeZone.value,
      locales: [ruLocale],
      locale: lang.value,
      initialView: props.initialView ?? (narrow ? 'listMonth' : 'dayGridMonth'),
      ...(props.initialDate ? { initialDate: props.initialDate } : {}),
      headerToolbar: {
        start: 'prev,next today',
        center: 'title',
        end: props.views ?? 'dayGridMonth,timeGridWeek,listMonth',
      },
      buttonText: { today: t('today'), month: t('months'), week: t('weeks'), list: t('list') },
      height: 'auto',
      nowIndicator: true,
      // 24-hour times in both languages (FullCalendar's English default is a 12-hour clock).
      eventTimeFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      slotLabelFormat: { hour: '2-digit', minute: '2-digit', hour12: false },
      // Bookings are timed; all-day background events mark the days with free time in the month
      // view and would only repeat that above the week's time grid.
      allDaySlot: false,
      firstDay: 1,
      events: props.events,
      selectable: Boolean(props.onSelect),
      selectMirror: true,
      select: (info) => latest.current.onSelect?.(info.start, info.end),
      eventClick: (info) => {
        info.jsEvent.preventDefault()
        latest.current.onEventClick?.(info.event.id, info.event.extendedProps)
      },
      // FullCalendar's markup, mended for screen readers: its icons are decoration inside
      // titled buttons, and a day cell is named by its contents, events included.
      datesSet: (info) => {
        for (const icon of host.current?.querySelectorAll('.fc-icon') ?? [])
          icon.setAttribute('aria-hidden', 'true')
        latest.current.onView?.(info.view.type)
      },
      dayCellDidMount: (info) => info.el.removeAttribute('aria-labelledby'),
      eventDidMount: (info) => {
        // An event shown once for a span of days says the whole span where the list puts its time.
        const range = info.event.extendedProps.listRange
        const time = info.el.querySelector('.fc-list-event-time')
        if (typeof range === 'string' && time) time.textContent = range
        // Events are links for keyboard users too.
        info.el.setAttribute('tabindex', '0')
        info.el.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') latest.current.onEventClick?.(info.event.id, info.event.extendedProps)
        })
      },
    }
    const instance = new Calendar(host.current, options)
    instance.render()
    calendar.current = instance
    return () => instance.destroy()
    // Rebuilt when the language or zone changes; events refetch on refreshKey below.
  }, [props.initialView, props.views, Boolean(props.onSelect)])

  useEffect(() => {
    calendar.current?.setOption('locale', lang.value)
    calendar.current?.setOption('buttonText', {
      today: t('today'),
      month: t('months'),
      week: t('weeks'),
      list: t('list'),
    })
  })

  useEffect(() => {
    const c = calendar.current
    if (!c) return
    for (const source of c.getEventSources()) source.remove()
    c.addEventSource(props.events)
  }, [props.refreshKey])

  // Follows the date it is given later (the first free span once known, the start typed).
  useEffect(() => {
    if (props.initialDate) calendar.current?.gotoDate(props.initialDate)
  }, [props.initialDate])

  return (
    <section aria-label={props.label}>
      <p class="hint">{t('timeZoneNote', { zone: cityTimeZone.value })}</p>
      <div ref={host} class="calendar" />
    </section>
  )
}
