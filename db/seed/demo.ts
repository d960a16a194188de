import { TZDate } from '@date-fns/tz'
import { addDays } from 'date-fns/addDays'
import { addMinutes } from 'date-fns/addMinutes'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { BookingState, Database, FacilityKind } from '../types.ts'
import { seededPlaceColumns } from './places.ts'

/** The password of every demo account; demo mode only. */
export const demoPassword = 'testbed-demo'

/** The demo accounts, as docs/api.md lists them (plus the Digital Development official). */
export const demoAccounts = [
  { email: 'admin@example.org', role: 'admin', note: 'admin' },
  { email: 'lighting@example.org', role: 'official', note: 'Roads and Lighting: manages most facilities' },
  { email: 'planning@example.org', role: 'official', note: 'Urban Planning: signs off road segments' },
  { email: 'digital@example.org', role: 'official', note: 'Digital Development: manages the campus' },
  { email: 'company@example.org', role: 'company', note: 'Nordic Lights' },
  { email: 'rival@example.org', role: 'company', note: 'Digital Streets' },
] as const

// Fixed ids make the seed idempotent and let links in the README stay valid.
const dept = {
  lighting: '10000000-0000-4000-8000-000000000001',
  planning: '10000000-0000-4000-8000-000000000002',
  digital: '10000000-0000-4000-8000-000000000003',
}
const org = {
  nordic: '20000000-0000-4000-8000-000000000001',
  digitalStreets: '20000000-0000-4000-8000-000000000002',
  nevaBuild: '20000000-0000-4000-8000-000000000003',
}
const user = {
  admin: '30000000-0000-4000-8000-000000000001',
  lighting: '30000000-0000-4000-8000-000000000002',
  planning: '30000000-0000-4000-8000-000000000003',
  digital: '30000000-0000-4000-8000-000000000004',
  company: '30000000-0000-4000-8000-000000000005',
  rival: '30000000-0000-4000-8000-000000000006',
  neva: '30000000-0000-4000-8000-000000000007',
}
const area = {
  embankment: '40000000-0000-4000-8000-000000000001',
  campus: '40000000-0000-4000-8000-000000000002',
  sadovaya: '40000000-0000-4000-8000-000000000003',
  pulkovo: '40000000-0000-4000-8000-000000000004',
}
const facilityId = (n: number) => `50000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const pilotId = (n: number) => `60000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const bookingId = (n: number) => `70000000-0000-4000-8000-${String(n).padStart(12, '0')}`

type Position = [number, number]
const polygon = (ring: Position[]) => ({ type: 'Polygon', coordinates: [ring] })
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] })
const line = (...positions: Position[]) => ({ type: 'LineString', coordinates: positions })

interface DemoFacility {
  n: number
  area: string
  name: string
  /** A real street address near the site, in the city's language. */
  address: string
  description: string
  kind: FacilityKind
  geometry: object
  capacity?: number
  specs: {
    power_kw?: number
    voltage?: number
    connectivity?: string[]
    mounting?: string
    max_load_kg?: number
    height_m?: number
    indoor?: boolean
    access_notes?: string
  }
  rules: {
    min_duration_minutes: number
    max_duration_minutes: number
    lead_time_minutes: number
    horizon_days: number
    setup_minutes: number
    teardown_minutes: number
  }
  department: string
  signoff?: string[]
  /** [ISO weekday, opens, closes] in city time. */
  openingHours?: [number, string, string][]
}

const day = 24 * 60
const poleRules = {
  min_duration_minutes: day,
  max_duration_minutes: 120 * day,
  lead_time_minutes: 2 * day,
  horizon_days: 365,
  setup_minutes: 120,
  teardown_minutes: 120,
}

// Petrovskaya Embankment runs east from Trinity Square past Peter the Great's cabin.
// The poles stand in front of its houses: No. 2 (the Nakhimov school) to No. 8 past the cabin (No. 6).
const poleAddresses = [
  'Петровская набережная, 2',
  'Петровская набережная, 4',
  'Петровская набережная, 4',
  'Петровская набережная, 6',
  'Петровская набережная, 8',
]
const poles: DemoFacility[] = [
  [1, 30.3297, 59.9528, 'top', ['lorawan', '4g'], 0.25, 9],
  [2, 30.3315, 59.9533, 'top', ['lorawan', '4g'], 0.25, 9],
  [3, 30.3333, 59.9537, 'bracket', ['nb-iot', '4g'], 0.4, 10],
  [4, 30.3351, 59.9541, 'bracket', ['nb-iot', '5g'], 0.4, 10],
  [5, 30.3369, 59.9545, 'top', ['fibre', '5g'], 0.6, 12],
].map(([n, lon, lat, mounting, connectivity, power, height]) => ({
  n: n as number,
  area: area.embankment,
  name: `Embankment lighting pole P-0${n}`,
  address: poleAddresses[(n as number) - 1] as string,
  description:
    'Cast-iron heritage-style pole on Petrovskaya Embankment with a 230 V feed switched by the city lighting grid ' +
    '(dusk to dawn); a second always-on circuit is available for sensors.',
  kind: 'lighting_pole' as const,
  geometry: point(lon as number, lat as number),
  specs: {
    power_kw: power as number,
    voltage: 230,
    connectivity: connectivity as string[],
    mounting: mounting as string,
    max_load_kg: (mounting as string) === 'top' ? 15 : 25,
    height_m: height as number,
    indoor: false,
    access_notes: 'Lift platform needed; the embankment roadway may be used 10:00–16:00 on weekdays.',
  },
  rules: poleRules,
  department: dept.lighting,
}))

const demoFacilities: DemoFacility[] = [
  ...poles,
  {
    n: 6,
    area: area.campus,
    name: 'Campus rooftop A (main building)',
    address: 'Кронверкский проспект, 49',
    description: 'Flat roof of the main building, 24 m above Kronverksky Prospekt, clear view over the Neva.',
    kind: 'rooftop',
    geometry: polygon([
      [30.3091, 59.9562],
      [30.3103, 59.9562],
      [30.3103, 59.9567],
      [30.3091, 59.9567],
      [30.3091, 59.9562],
    ]),
    specs: {
      power_kw: 5,
      voltage: 400,
      connectivity: ['fibre', '5g', 'lorawan'],
      mounting: 'ballasted frame',
      max_load_kg: 400,
      height_m: 24,
      indoor: false,
      access_notes: 'Escorted access through the service stairs; no cranes.',
    },
    rules: {
      ...poleRules,
      min_duration_minutes: 7 * day,
      max_duration_minutes: 365 * day,
      lead_time_minutes: 5 * day,
    },
    department: dept.digital,
  },
  {
    n: 7,
    area: area.campus,
    name: 'Campus rooftop B (laboratory wing)',
    address: 'Кронверкский проспект, 49, лит. Б',
    description: 'Smaller roof of the laboratory wing with a weather mast and a free cable tray.',
    kind: 'rooftop',
    geometry: polygon([
      [30.3106, 59.9566],
      [30.3114, 59.9566],
      [30.3114, 59.957],
      [30.3106, 59.957],
      [30.3106, 59.9566],
    ]),
    specs: {
      power_kw: 2,
      voltage: 230,
      connectivity: ['ethernet', 'wifi', 'lorawan'],
      mounting: 'mast',
      max_load_kg: 120,
      height_m: 18,
      indoor: false,
    },
    rules: { ...poleRules, min_duration_minutes: 3 * day, max_duration_minutes: 180 * day },
    department: dept.digital,
  },
  {
    n: 8,
    area: area.campus,
    name: 'Campus 5G small cell node',
    address: 'Кронверкский проспект, 49',
    description: 'A 5G standalone small cell on the courtyard facade with an edge-computing rack port.',
    kind: 'network_point',
    geometry: point(30.3099, 59.9568),
    capacity: 3,
    specs: { power_kw: 1, voltage: 230, connectivity: ['5g', 'fibre'], mounting: 'rack', indoor: false },
    rules: {
      min_duration_minutes: 60,
      max_duration_minutes: 30 * day,
      lead_time_minutes: day,
      horizon_days: 180,
      setup_minutes: 30,
      teardown_minutes: 30,
    },
    department: dept.digital,
  },
  {
    n: 9,
    area: area.campus,
    name: 'Campus LoRaWAN gateway',
    address: 'Сытнинская улица, 1',
    description: 'An eight-channel LoRaWAN gateway covering the campus and Alexandrovsky Park.',
    kind: 'network_point',
    geometry: point(30.3087, 59.956),
    capacity: 5,
    specs: { connectivity: ['lorawan', 'fibre'], indoor: false },
    rules: {
      min_duration_minutes: day,
      max_duration_minutes: 365 * day,
      lead_time_minutes: 0,
      horizon_days: 365,
      setup_minutes: 0,
      teardown_minutes: 0,
    },
    department: dept.digital,
  },
  {
    n: 10,
    area: area.campus,
    name: 'Open Lab demonstration hall',
    address: 'Кронверкский проспект, 49',
    description: 'Ground-floor hall for demonstrations to the public and to city staff.',
    kind: 'building_space',
    geometry: point(30.3095, 59.9564),
    capacity: 2,
    specs: { power_kw: 10, voltage: 230, connectivity: ['wifi', 'ethernet'], max_load_kg: 500, indoor: true },
    rules: {
      min_duration_minutes: 60,
      max_duration_minutes: 10 * 60,
      lead_time_minutes: day,
      horizon_days: 90,
      setup_minutes: 30,
      teardown_minutes: 30,
    },
    department: dept.digital,
    openingHours: [1, 2, 3, 4, 5].map((weekday) => [weekday, '09:00', '18:00'] as [number, string, string]),
  },
  {
    n: 11,
    area: area.sadovaya,
    name: 'Malaya Sadovaya pedestrian street',
    address: 'Малая Садовая улица, 1–8 (от Невского проспекта)',
    description:
      'The pedestrian street between Nevsky Prospekt and Italyanskaya Street, with its fountain and sculpture; ' +
      'heavy foot traffic all day.',
    kind: 'public_space',
    geometry: line([30.3373, 59.9346], [30.3386, 59.9362], [30.3393, 59.9372]),
    capacity: 3,
    specs: {
      power_kw: 3,
      voltage: 230,
      connectivity: ['4g', '5g', 'wifi'],
      mounting: 'free-standing',
      max_load_kg: 300,
      indoor: false,
      access_notes: 'Deliveries before 10:00 only.',
    },
    rules: {
      min_duration_minutes: 4 * 60,
      max_duration_minutes: 60 * day,
      lead_time_minutes: 3 * day,
      horizon_days: 180,
      setup_minutes: 60,
      teardown_minutes: 60,
    },
    department: dept.lighting,
  },
  {
    n: 12,
    area: area.sadovaya,
    name: 'Manezhnaya Square',
    address: 'Манежная площадь, 2',
    description: 'Square in front of the Mikhailovsky Manege, used for events and temporary installations.',
    kind: 'public_space',
    geometry: polygon([
      [30.3405, 59.9371],
      [30.3432, 59.9371],
      [30.3432, 59.9382],
      [30.3405, 59.9382],
      [30.3405, 59.9371],
    ]),
    capacity: 2,
    specs: { power_kw: 15, voltage: 400, connectivity: ['4g', '5g'], max_load_kg: 2000, indoor: false },
    rules: {
      min_duration_minutes: 2 * 60,
      max_duration_minutes: 30 * day,
      lead_time_minutes: 2 * day,
      horizon_days: 365,
      setup_minutes: 240,
      teardown_minutes: 240,
    },
    department: dept.lighting,
  },
  {
    n: 13,
    area: area.pulkovo,
    name: 'Pulkovskoye Highway, northbound km 12–13',
    address: 'Пулковское шоссе, 12–13 км',
    description:
      'One kilometre of the northbound carriageway towards the city; one lane can be closed at night for test ' +
      'surfaces, embedded sensors or connected-vehicle equipment.',
    kind: 'road_segment',
    geometry: line([30.3215, 59.83], [30.3211, 59.8255], [30.3208, 59.82]),
    specs: {
      power_kw: 2,
      voltage: 230,
      connectivity: ['fibre', '4g'],
      max_load_kg: 40000,
      indoor: false,
      access_notes: 'Lane closures need a traffic management plan approved with the booking.',
    },
    rules: {
      min_duration_minutes: 2 * 60,
      max_duration_minutes: 7 * 60,
      lead_time_minutes: 7 * day,
      horizon_days: 365,
      setup_minutes: 30,
      teardown_minutes: 30,
    },
    department: dept.lighting,
    signoff: [dept.planning],
    // Night works only: every window runs past midnight.
    openingHours: [1, 2, 3, 4, 5, 6, 7].map(
      (weekday) => [weekday, '23:00', '06:00'] as [number, string, string],
    ),
  },
  {
    n: 14,
    area: area.pulkovo,
    name: 'Pulkovskoye Highway, service road km 14',
    address: 'Пулковское шоссе, 14 км, дублёр',
    description:
      'A 1.2 km service road parallel to the highway, suitable for autonomous shuttles and road-surface trials.',
    kind: 'road_segment',
    geometry: line([30.3205, 59.815], [30.32, 59.81], [30.3195, 59.805]),
    specs: {
      power_kw: 1,
      voltage: 230,
      connectivity: ['4g', '5g', 'lorawan'],
      max_load_kg: 25000,
      indoor: false,
    },
    rules: {
      min_duration_minutes: day,
      max_duration_minutes: 90 * day,
      lead_time_minutes: 14 * day,
      horizon_days: 365,
      setup_minutes: 12 * 60,
      teardown_minutes: 12 * 60,
    },
    department: dept.lighting,
    signoff: [dept.planning],
  },
]

/**
 * Local midnight `days` from today in the city's time zone, plus `minutes`: demo dates are
 * relative to `now` so that the demo always has past, present and future pilots.
 */
function cityTime(now: Date, timeZone: string, days: number, minutes = 0): Date {
  const local = new TZDate(now.getTime(), timeZone)
  const midnight = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), timeZone)
  const shifted = addDays(midnight, days)
  return new Date(addMinutes(shifted, minutes).getTime())
}

async function seedPeople(tx: Transaction<Database>, hashPassword: (password: string) => Promise<string>) {
  await tx
    .insertInto('departments')
    .values([
      { id: dept.lighting, name: 'Roads and Lighting' },
      { id: dept.planning, name: 'Urban Planning' },
      { id: dept.digital, name: 'Digital Development' },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute()
  await tx
    .insertInto('organisations')
    .values([
      {
        id: org.nordic,
        name: 'Nordic Lights',
        legal_id: '7801234567',
        website: 'https://nordic-lights.example',
        cluster_id: 'electronics',
      },
      {
        id: org.digitalStreets,
        name: 'Digital Streets',
        legal_id: '7807654321',
        website: 'https://digital-streets.example',
        cluster_id: 'ict',
      },
      {
        id: org.nevaBuild,
        name: 'Neva Road Lab',
        legal_id: '7805550101',
        website: 'https://neva-road-lab.example',
        cluster_id: 'construction',
      },
    ])
    .onConflict((oc) => oc.doNothing())
    .execute()
  const passwordHash = await hashPassword(demoPassword)
  const people = [
    { id: user.admin, email: 'admin@example.org', name: 'Anna Adminova', role: 'admin' as const },
    {
      id: user.lighting,
      email: 'lighting@example.org',
      name: 'Leonid Svetlov',
      role: 'official' as const,
      department_id: dept.lighting,
      language: 'ru' as const,
    },
    {
      id: user.planning,
      email: 'planning@example.org',
      name: 'Polina Gradova',
      role: 'official' as const,
      department_id: dept.planning,
    },
    {
      id: user.digital,
      email: 'digital@example.org',
      name: 'Dmitry Tsifrov',
      role: 'official' as const,
      department_id: dept.digital,
    },
    {
      id: user.company,
      email: 'company@example.org',
      name: 'Kari Nieminen',
      role: 'company' as const,
      organisation_id: org.nordic,
    },
    {
      id: user.rival,
      email: 'rival@example.org',
      name: 'Vera Ulitsina',
      role: 'company' as const,
      organisation_id: org.digitalStreets,
      language: 'ru' as const,
    },
    {
      id: user.neva,
      email: 'roadlab@example.org',
      name: 'Igor Dorozhkin',
      role: 'company' as const,
      organisation_id: org.nevaBuild,
    },
  ]
  await tx
    .insertInto('users')
    .values(people.map((p) => ({ ...p, password_hash: passwordHash })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

async function seedCatalogue(tx: Transaction<Database>, now: Date, timeZone: string) {
  const areas = [
    {
      id: area.embankment,
      name: 'Petrovskaya Embankment',
      address: 'Петровская набережная',
      description:
        'Half a kilometre of the Neva embankment from Trinity Square past the Cabin of Peter the Great: a heritage ' +
        'lighting line open for smart-lighting and environmental sensing pilots.',
      department_id: dept.lighting,
      categories: ['lighting', 'energy', 'environment', 'digital'],
      ring: [
        [30.3285, 59.9522],
        [30.3395, 59.9548],
        [30.3392, 59.9556],
        [30.3282, 59.953],
        [30.3285, 59.9522],
      ] as Position[],
    },
    {
      id: area.campus,
      name: 'Kronverksky University Campus',
      address: 'Кронверкский проспект, 49',
      description:
        'The university campus on Kronverksky Prospekt: rooftops, a 5G small cell, a LoRaWAN gateway and a ' +
        'demonstration hall for digital, energy and environmental pilots.',
      department_id: dept.digital,
      categories: ['digital', 'energy', 'environment', 'mobility', 'other'],
      ring: [
        [30.308, 59.9556],
        [30.312, 59.9556],
        [30.312, 59.9573],
        [30.308, 59.9573],
        [30.308, 59.9556],
      ] as Position[],
    },
    {
      id: area.sadovaya,
      name: 'Malaya Sadovaya Street and Manezhnaya Square',
      address: 'Малая Садовая улица и Манежная площадь',
      description:
        'The pedestrian heart of the city centre next to Nevsky Prospekt, for digital and tourist services that ' +
        'meet visitors where they walk.',
      department_id: dept.lighting,
      categories: ['digital', 'tourism', 'lighting', 'environment'],
      ring: [
        [30.3355, 59.934],
        [30.344, 59.9365],
        [30.3435, 59.9385],
        [30.3385, 59.9382],
        [30.335, 59.935],
        [30.3355, 59.934],
      ] as Position[],
    },
    {
      id: area.pulkovo,
      name: 'Pulkovskoye Highway test corridor',
      address: 'Пулковское шоссе, 12–14 км',
      description:
        'A stretch of the airport highway and its service road for road-construction methods, embedded sensors and ' +
        'connected or autonomous vehicles. Works on the carriageway need Urban Planning sign-off.',
      department_id: dept.lighting,
      categories: ['construction', 'mobility', 'energy'],
      ring: [
        [30.315, 59.8],
        [30.327, 59.8],
        [30.327, 59.835],
        [30.315, 59.835],
        [30.315, 59.8],
      ] as Position[],
    },
  ]
  for (const a of areas) {
    await tx
      .insertInto('areas')
      .values({
        id: a.id,
        name: a.name,
        description: a.description,
        department_id: a.department_id,
        geometry: JSON.stringify(polygon(a.ring)),
        ...seededPlaceColumns(a.name, a.address, polygon(a.ring)),
        published: true,
      })
      .onConflict((oc) => oc.doNothing())
      .execute()
    await tx
      .insertInto('area_categories')
      .values(a.categories.map((category_id) => ({ area_id: a.id, category_id })))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }

  for (const f of demoFacilities) {
    await tx
      .insertInto('facilities')
      .values({
        id: facilityId(f.n),
        area_id: f.area,
        name: f.name,
        description: f.description,
        kind: f.kind,
        geometry: JSON.stringify(f.geometry),
        ...seededPlaceColumns(f.name, f.address, f.geometry),
        capacity: f.capacity ?? 1,
        ...f.specs,
        ...f.rules,
        department_id: f.department,
        published: true,
      })
      .onConflict((oc) => oc.doNothing())
      .execute()
    if (f.openingHours) {
      await tx
        .insertInto('facility_opening_hours')
        .values(
          f.openingHours.map(([weekday, opens, closes]) => ({
            facility_id: facilityId(f.n),
            weekday,
            opens,
            closes,
          })),
        )
        .execute()
    }
    if (f.signoff) {
      await tx
        .insertInto('facility_signoff_departments')
        .values(f.signoff.map((department_id) => ({ facility_id: facilityId(f.n), department_id })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
  }

  await tx
    .insertInto('closures')
    .values([
      {
        area_id: area.embankment,
        starts_at: cityTime(now, timeZone, 45),
        ends_at: cityTime(now, timeZone, 47),
        reason: 'City festival on the embankment: the whole area is closed to installations and works.',
        created_by: user.lighting,
      },
      {
        facility_id: facilityId(3),
        starts_at: cityTime(now, timeZone, 9, 8 * 60),
        ends_at: cityTime(now, timeZone, 11, 18 * 60),
        reason: 'Scheduled repainting and cable inspection of pole P-03.',
        created_by: user.lighting,
      },
    ])
    .execute()
}

interface DemoPilot {
  n: number
  organisation: string
  createdBy: string
  title: string
  summary: string
  category: string
  publicDescription: string
  dataCollected: string
  contactEmail: string
  website?: string
  bookings: {
    n: number
    facility: number
    from: [number, number]
    to: [number, number]
    state: BookingState
  }[]
}

const demoPilots: DemoPilot[] = [
  {
    n: 1,
    organisation: org.nordic,
    createdBy: user.company,
    title: 'Adaptive LED lighting on the embankment',
    summary: 'Lamps that dim when the embankment is empty and brighten ahead of walkers and cyclists.',
    category: 'lighting',
    publicDescription:
      'We replace the lamps of two poles with adaptive LED luminaires driven by radar presence sensors, to measure ' +
      'how much energy adaptive dimming saves without making people feel less safe.',
    dataCollected:
      'Counts of passing people and bicycles per minute and lamp power use. The radar sees no faces and no images ' +
      'are recorded; counts are kept for one year.',
    contactEmail: 'pilot@nordic-lights.example',
    website: 'https://nordic-lights.example/adaptive',
    bookings: [
      { n: 1, facility: 1, from: [-20, 12 * 60], to: [40, 12 * 60], state: 'approved' },
      { n: 2, facility: 2, from: [-20, 12 * 60], to: [40, 12 * 60], state: 'approved' },
    ],
  },
  {
    n: 2,
    organisation: org.nordic,
    createdBy: user.company,
    title: 'Solar bench with phone charging',
    summary: 'A bench with a solar canopy, USB charging and an air-quality sensor.',
    category: 'energy',
    publicDescription:
      'Two solar benches stood on Manezhnaya Square to learn how much energy a city bench can harvest in a ' +
      'St. Petersburg spring and how people use charging in public space.',
    dataCollected: 'Energy harvested and used per hour; PM2.5 and temperature. No personal data.',
    contactEmail: 'pilot@nordic-lights.example',
    bookings: [{ n: 3, facility: 12, from: [-65, 10 * 60], to: [-40, 18 * 60], state: 'approved' }],
  },
  {
    n: 3,
    organisation: org.digitalStreets,
    createdBy: user.rival,
    title: 'AR guide to Malaya Sadovaya',
    summary: 'An augmented-reality walking guide with city history, on visitors’ own phones.',
    category: 'tourism',
    publicDescription:
      'Markers along the street let a phone show how it looked in 1900 and tell its stories in Russian and ' +
      'English; we test whether visitors use it and whether it slows foot traffic.',
    dataCollected:
      'Anonymous counts of marker scans per hour and voluntary ratings in the app. No location tracking, no accounts.',
    contactEmail: 'ar@digital-streets.example',
    website: 'https://digital-streets.example/ar',
    bookings: [{ n: 4, facility: 11, from: [14, 10 * 60], to: [44, 22 * 60], state: 'approved' }],
  },
  {
    n: 4,
    organisation: org.digitalStreets,
    createdBy: user.rival,
    title: 'Air-quality mesh on campus rooftops',
    summary: 'Low-cost air-quality sensors over LoRaWAN, calibrated against a reference station.',
    category: 'environment',
    publicDescription:
      'Ten sensors on the campus rooftops send particulate and NO2 readings over LoRaWAN so that we can learn ' +
      'how well cheap sensors track a reference station through a winter.',
    dataCollected:
      'PM1, PM2.5, PM10, NO2, temperature and humidity every five minutes; published as open data.',
    contactEmail: 'air@digital-streets.example',
    bookings: [
      { n: 5, facility: 7, from: [10, 10 * 60], to: [100, 18 * 60], state: 'pending' },
      { n: 6, facility: 9, from: [10, 0], to: [100, 0], state: 'approved' },
    ],
  },
  {
    n: 5,
    organisation: org.nevaBuild,
    createdBy: user.neva,
    title: 'Self-healing asphalt test strip',
    summary:
      'A 200 m strip of asphalt with encapsulated rejuvenator, laid at night and watched through a winter.',
    category: 'construction',
    publicDescription:
      'We lay a test strip of self-healing asphalt in one northbound lane and compare crack growth with the ' +
      'ordinary surface next to it over the freeze-thaw season.',
    dataCollected: 'Surface temperature, strain gauge readings and monthly crack surveys. No traffic images.',
    contactEmail: 'lab@neva-road-lab.example',
    bookings: [{ n: 7, facility: 13, from: [30, 23 * 60 + 30], to: [31, 5 * 60], state: 'pending' }],
  },
]

async function seedPilots(tx: Transaction<Database>, now: Date, timeZone: string) {
  for (const p of demoPilots) {
    await tx
      .insertInto('pilots')
      .values({
        id: pilotId(p.n),
        organisation_id: p.organisation,
        title: p.title,
        summary: p.summary,
        category_id: p.category,
        public_description: p.publicDescription,
        data_collected: p.dataCollected,
        contact_email: p.contactEmail,
        website: p.website ?? null,
        created_by: p.createdBy,
        created_at: cityTime(now, timeZone, -120),
      })
      .onConflict((oc) => oc.doNothing())
      .execute()
    for (const b of p.bookings) {
      const facility = demoFacilities.find((f) => f.n === b.facility)
      if (!facility) throw new Error(`demo booking ${b.n} names no facility`)
      const start = cityTime(now, timeZone, ...b.from)
      const end = cityTime(now, timeZone, ...b.to)
      // Requested ten days ahead and decided two days later, all before now.
      const createdAt = new Date(Math.min(addDays(start, -10).getTime(), addDays(now, -3).getTime()))
      const decided = b.state === 'approved'
      await tx
        .insertInto('bookings')
        .values({
          id: bookingId(b.n),
          pilot_id: pilotId(p.n),
          facility_id: facilityId(b.facility),
          starts_at: start,
          ends_at: end,
          occupied_from: addMinutes(start, -facility.rules.setup_minutes),
          occupied_to: addMinutes(end, facility.rules.teardown_minutes),
          state: b.state,
          created_by: p.createdBy,
          created_at: createdAt,
          updated_at: decided ? addDays(createdAt, 2) : createdAt,
          decided_at: decided ? addDays(createdAt, 2) : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute()
      const departments = [facility.department, ...(facility.signoff ?? [])]
      const officialOf: Record<string, string> = {
        [dept.lighting]: user.lighting,
        [dept.planning]: user.planning,
        [dept.digital]: user.digital,
      }
      await tx
        .insertInto('reviews')
        .values(
          departments.map((department_id) => ({
            booking_id: bookingId(b.n),
            department_id,
            decision: decided ? ('approved' as const) : ('pending' as const),
            decided_by: decided ? (officialOf[department_id] ?? null) : null,
            decided_at: decided ? addDays(createdAt, 2) : null,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute()
      await tx
        .insertInto('events')
        .values({
          at: createdAt,
          actor_id: p.createdBy,
          action: 'booking.requested',
          subject_type: 'booking',
          subject_id: bookingId(b.n),
          details: JSON.stringify({
            after: { state: 'pending', start, end, facilityId: facilityId(b.facility) },
          }),
        })
        .execute()
      if (decided) {
        await tx
          .insertInto('events')
          .values({
            at: addDays(createdAt, 2),
            actor_id: officialOf[facility.department] ?? null,
            action: 'booking.approved',
            subject_type: 'booking',
            subject_id: bookingId(b.n),
            details: JSON.stringify({ before: { state: 'pending' }, after: { state: 'approved' } }),
          })
          .execute()
      }
    }
  }
}

/**
 * Loads the demo city of St. Petersburg: departments, accounts, areas, facilities, a closure and
 * pilots in the past, present and future (dates relative to `now`, in `timeZone`).
 * Runs in one transaction and does nothing when the demo city is already there.
 *
 * @returns whether anything was written
 */
export async function seedDemo(
  db: Kysely<Database>,
  options: {
    now: Date
    timeZone: string
    /** How the app stores passwords: the seed stores the demo accounts' the same way. */
    hashPassword: (password: string) => Promise<string>
  },
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const present = await tx
      .selectFrom('departments')
      .select('id')
      .where('id', '=', dept.lighting)
      .executeTakeFirst()
    if (present) return false
    await seedPeople(tx, options.hashPassword)
    await seedCatalogue(tx, options.now, options.timeZone)
    await seedPilots(tx, options.now, options.timeZone)
    return true
  })
}

/** Ids of a few demo records, for the README and for tests that read the demo city. */
export const demoIds = {
  departments: dept,
  organisations: org,
  areas: area,
  facility: facilityId,
  pilot: pilotId,
}

/** Every account the seed creates, all with the known demo password (the banner lists most). */
export const demoEmails = [...demoAccounts.map((a) => a.email), 'roadlab@example.org']

const demoModeOff = 'demo mode is off'

/**
 * Outside demo mode the demo accounts, whose password is public, must not sign in: deactivates
 * those still active, ends their sessions and records why, in one transaction.
 *
 * @returns how many accounts were disabled now
 */
export async function disableDemoAccounts(db: Kysely<Database>, now: Date): Promise<number> {
  return inTransaction(db, async (tx) => {
    const disabled = await tx
      .updateTable('users')
      .set({ active: false, updated_at: now })
      .where(sql<string>`lower(email)`, 'in', demoEmails)
      .where('active', '=', true)
      .returning('id')
      .execute()
    const ids = disabled.map((u) => u.id)
    if (ids.length === 0) return 0
    await tx.deleteFrom('sessions').where('user_id', 'in', ids).execute()
    await tx
      .insertInto('events')
      .values(ids.map((id) => startupEvent('user.deactivated', id, now)))
      .execute()
    return ids.length
  })
}

/**
 * Demo mode again: opens the demo accounts that start-up disabled, and only those (an account an
 * admin deactivated stays so).
 *
 * @returns how many accounts were enabled now
 */
export async function enableDemoAccounts(db: Kysely<Database>, now: Date): Promise<number> {
  return inTransaction(db, async (tx) => {
    const enabled = await tx
      .updateTable('users')
      .set({ active: true, updated_at: now })
      .where(sql<string>`lower(email)`, 'in', demoEmails)
      .where('active', '=', false)
      // The account's latest event must be start-up's own deactivation.
      .where(
        sql<boolean>`coalesce((select e.action = 'user.deactivated' and e.actor_id is null
          and e.details->>'reason' = ${demoModeOff}
          from events e where e.subject_type = 'user' and e.subject_id = users.id
          order by e.id desc limit 1), false)`,
      )
      .returning('id')
      .execute()
    const ids = enabled.map((u) => u.id)
    if (ids.length > 0)
      await tx
        .insertInto('events')
        .values(ids.map((id) => startupEvent('user.reactivated', id, now)))
        .execute()
    return ids.length
  })
}

/** The caller's transaction when there is one (tests roll theirs back), else a new one. */
function inTransaction<T>(db: Kysely<Database>, work: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}

function startupEvent(action: string, userId: string, at: Date) {
  const reason = action === 'user.deactivated' ? demoModeOff : 'demo mode is on'
  return {
    at,
    actor_id: null,
    action,
    subject_type: 'user',
    subject_id: userId,
    details: JSON.stringify({ reason }),
  }
}
