import type { Database } from '../db/database.ts';
import type { IsoDate } from '../platform/dates.ts';

// Stop smoking services that do not use Mortar: commissioned by their authority, listed in the public
// directory with their own contact details, and with nobody signed up to read referrals. People in
// these areas are given the service's details, in the finder and on both referral forms, and no
// referral is sent there (referrals/where-to-send.ts). The details are made up: phone numbers from
// Ofcom's ranges kept for drama, addresses under example.org.

type Entry = { phone: string; email: string; website: string; openingTimes: string };

const ENTRIES: Readonly<Record<string, Entry>> = {
  // Sheffield
  E08000039: {
    phone: '0114 496 0999',
    email: 'quit@sheffield.example.org',
    website: 'https://stopsmoking.sheffield.example.org',
    openingTimes: 'Monday to Friday, 9am to 5pm',
  },
  // Bradford
  E08000032: {
    phone: '01632 960100',
    email: 'quit@bradford.example.org',
    website: 'https://stopsmoking.bradford.example.org',
    openingTimes: 'Monday to Saturday, 9am to 6pm',
  },
  // Kirklees
  E08000034: {
    phone: '01632 960200',
    email: 'quit@kirklees.example.org',
    website: 'https://stopsmoking.kirklees.example.org',
    openingTimes: 'Monday to Friday, 9am to 5pm',
  },
  // Liverpool
  E08000012: {
    phone: '0151 496 0999',
    email: 'quit@liverpool.example.org',
    website: 'https://stopsmoking.liverpool.example.org',
    openingTimes: 'Monday to Friday, 8am to 8pm',
  },
};

/**
 * A service for the authority that does not use Mortar, commissioned from `startsOn`, with a published
 * directory entry when the demo has details for it. Answers the organisation's id.
 */
export async function insertServiceNotOnMortar(
  db: Database,
  la: { code: string; name: string },
  startsOn: IsoDate,
): Promise<string> {
  const entry = ENTRIES[la.code];
  const service = await db
    .insertInto('organisations')
    .values({
      name: `${la.name} Community Stop Smoking Service`,
      type: 'stop_smoking_service',
      local_authority_code: la.code,
      ods_code: null,
      email: entry?.email ?? null,
      phone: entry?.phone ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('commissions')
    .values({ local_authority_code: la.code, service_organisation_id: service.id, starts_on: startsOn })
    .execute();
  if (entry) {
    await db
      .insertInto('directory_services')
      .values({
        organisation_id: service.id,
        description: `Free help to stop smoking for adults who live in ${la.name}, by phone or face to face.`,
        phone: entry.phone,
        email: entry.email,
        website: entry.website,
        opening_times: entry.openingTimes,
        modes: ['in_person', 'telephone'],
        languages: ['English'],
        tailored_support: false,
        tailored_support_text: null,
        in_talking_therapies: false,
        aids: ['combination_nrt', 'varenicline', 'e_cigarette'],
        eligibility: `Adults who live in ${la.name}.`,
        published: true,
      })
      .execute();
  }
  return service.id;
}
