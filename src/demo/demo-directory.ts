import type { Database } from '../db/database.ts';

const LEEDS_ENTRY = {
  description:
    'Free help to stop smoking for adults in Leeds. You see the same adviser every week, and you can have medicine or a vape to help with cravings.',
  phone: '0113 496 0000',
  email: 'stopsmoking@leeds.example.org',
  website: 'https://stopsmoking.leeds.example.org',
  opening_times: 'Monday to Friday, 9am to 5pm\nThursday evenings until 8pm',
  modes: ['in_person', 'telephone', 'video', 'text', 'group'],
  languages: ['English', 'Urdu', 'Punjabi', 'Polish'],
  tailored_support: true,
  tailored_support_text:
    'Longer first sessions, a mood check every week, and advisers trained to support people with anxiety or depression. With your say-so, we can keep your therapist up to date.',
  in_talking_therapies: true,
  aids: [
    'combination_nrt',
    'single_nrt',
    'varenicline',
    'cytisine',
    'e_cigarette',
    'e_cigarette_swap_to_stop',
  ],
  eligibility: 'Adults who live in Leeds or are registered with a Leeds GP.',
  published: true,
};

const MANCHESTER_ENTRY = {
  description:
    'Free stop smoking support for people who live in Manchester, by phone, by video or face to face.',
  phone: '0161 496 0000',
  email: 'stopsmoking@manchester.example.org',
  website: 'https://stopsmoking.manchester.example.org',
  opening_times: 'Monday to Friday, 8am to 6pm',
  modes: ['in_person', 'telephone', 'video'],
  languages: ['English', 'Arabic', 'Somali'],
  tailored_support: false,
  in_talking_therapies: false,
  aids: ['combination_nrt', 'varenicline', 'cytisine', 'e_cigarette'],
  eligibility: 'Adults who live in Manchester.',
  published: true,
  tailored_support_text: null,
};

const LEEDS_PLACES = [
  {
    name: 'Leeds city centre clinic',
    address: 'Merrion Centre\nLeeds',
    postcode: 'LS2 8NG',
    latitude: 53.801614,
    longitude: -1.544044,
    accessibility: 'Step-free entrance from Merrion Way. Hearing loop at reception.',
  },
  {
    name: 'Armley community hub',
    address: 'Town Street\nArmley\nLeeds',
    postcode: 'LS12 1UQ',
    latitude: 53.797127,
    longitude: -1.58821,
    accessibility: null,
  },
];

const MANCHESTER_PLACES = [
  {
    name: 'Manchester central clinic',
    address: 'Piccadilly\nManchester',
    postcode: 'M1 1AE',
    latitude: 53.483471,
    longitude: -2.231184,
    accessibility: 'Lift to the first floor.',
  },
  {
    name: 'Wythenshawe Forum',
    address: 'Forum Square\nWythenshawe\nManchester',
    postcode: 'M22 5RX',
    latitude: 53.379925,
    longitude: -2.265017,
    accessibility: null,
  },
];

type Hours = { days: number[]; opens_at: string; closes_at: string; notes?: string };

/** Each place's opening times, by its name: Leeds city centre late on Thursdays, Armley a morning drop-in. */
const PLACE_HOURS: Record<string, Hours[]> = {
  'Leeds city centre clinic': [
    { days: [1, 2, 3, 4, 5], opens_at: '09:00', closes_at: '17:00' },
    { days: [4], opens_at: '17:30', closes_at: '20:00', notes: 'Evening clinic, appointments only' },
  ],
  'Armley community hub': [{ days: [2], opens_at: '10:00', closes_at: '12:30', notes: 'Drop-in' }],
  'Manchester central clinic': [{ days: [1, 2, 3, 4, 5], opens_at: '08:00', closes_at: '18:00' }],
};

/**
 * Public directory entries for the two services, with their places and their opening times. Leeds offers support tailored for
 * anxiety and depression and Swap to Stop vape kits; Manchester offers neither. Positions are the
 * postcodes' own (OS Code-Point Open).
 */
export async function loadDemoDirectory(
  db: Database,
  services: { leeds: string; manchester: string },
): Promise<void> {
  const [leeds, manchester] = await db
    .insertInto('directory_services')
    .values([
      { organisation_id: services.leeds, ...LEEDS_ENTRY },
      { organisation_id: services.manchester, ...MANCHESTER_ENTRY },
    ])
    .returning('id')
    .execute();
  const places = await db
    .insertInto('directory_locations')
    .values([
      ...LEEDS_PLACES.map((place) => ({ service_id: leeds!.id, ...place })),
      ...MANCHESTER_PLACES.map((place) => ({ service_id: manchester!.id, ...place })),
    ])
    .returning(['id', 'name'])
    .execute();
  const hours = places.flatMap((p) =>
    (PLACE_HOURS[p.name] ?? []).flatMap(({ days, ...h }) =>
      days.map((weekday) => ({ location_id: p.id, weekday, notes: null, ...h })),
    ),
  );
  await db.insertInto('directory_opening_hours').values(hours).execute();
}
