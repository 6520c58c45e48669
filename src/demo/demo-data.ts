import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import { hashPassword } from '../platform/passwords.ts';
import type { StaffUser } from '../platform/roles.ts';
import type { PostcodeLookup } from '../modules/directory/postcode-lookup.ts';
import { actOnReferral, createReferral } from '../modules/referrals/referral.service.ts';
import type { ReferralInput } from '../modules/referrals/referral.schemas.ts';

export const LEEDS = 'E08000035';
export const MANCHESTER = 'E08000003';

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; org: keyof Orgs }[] = [
  { email: 'referrer@demo.test', name: 'Riya Patel', role: 'referrer', org: 'leedsTalkingTherapies' },
  { email: 'adviser@demo.test', name: 'Adam Clarke', role: 'adviser', org: 'leedsService' },
  { email: 'manager@demo.test', name: 'Mina Hussain', role: 'service_manager', org: 'leedsService' },
  { email: 'commissioner@demo.test', name: 'Chris Owen', role: 'commissioner', org: 'leedsCouncil' },
  { email: 'analyst@demo.test', name: 'Ana Silva', role: 'national_analyst', org: 'nationalBody' },
  { email: 'admin@demo.test', name: 'Alex Morgan', role: 'administrator', org: 'leedsCouncil' },
  { email: 'adviser.manchester@demo.test', name: 'Megan Doyle', role: 'adviser', org: 'manchesterService' },
  { email: 'referrer.gp@demo.test', name: 'Gareth Price', role: 'referrer', org: 'leedsGp' },
  { email: 'referrer.foodbank@demo.test', name: 'Fran Okafor', role: 'referrer', org: 'leedsFoodbank' },
];

type Orgs = {
  leedsService: string;
  manchesterService: string;
  leedsTalkingTherapies: string;
  leedsGp: string;
  leedsFoodbank: string;
  manchesterTalkingTherapies: string;
  leedsCouncil: string;
  nationalBody: string;
};

export function generateDemoPassword(): string {
  return `demo-${randomBytes(9).toString('base64url')}`;
}

export async function hasAnyOrganisation(db: Database): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Two local authorities with services, referrers of each kind, one account per role and referrals in
 * every state. Goes through the same services as the product, so the data obeys the same rules.
 */
export async function loadDemoData(db: Database, postcodes: PostcodeLookup, password: string): Promise<void> {
  const org = async (name: string, type: string, la: string | null) =>
    (await db.insertInto('organisations').values({ name, type, local_authority_code: la, ods_code: null, email: null, phone: null }).returning('id').executeTakeFirstOrThrow()).id;
  const orgs: Orgs = {
    leedsService: await org('Leeds Stop Smoking Service', 'stop_smoking_service', LEEDS),
    manchesterService: await org('Manchester Stop Smoking Service', 'stop_smoking_service', MANCHESTER),
    leedsTalkingTherapies: await org('Leeds NHS Talking Therapies', 'talking_therapies', LEEDS),
    leedsGp: await org('Hyde Park Surgery', 'gp_practice', LEEDS),
    leedsFoodbank: await org('Leeds North Foodbank', 'foodbank', LEEDS),
    manchesterTalkingTherapies: await org('Manchester NHS Talking Therapies', 'talking_therapies', MANCHESTER),
    leedsCouncil: await org('Leeds City Council Public Health', 'local_authority', LEEDS),
    nationalBody: await org('National Stop Smoking Data Team', 'national_body', null),
  };
  await db.insertInto('sites').values([
    { organisation_id: orgs.leedsService, name: 'Leeds city centre clinic', address: 'Merrion Centre, Leeds', postcode: 'LS2 8NG' },
    { organisation_id: orgs.manchesterService, name: 'Manchester central clinic', address: 'Piccadilly, Manchester', postcode: 'M1 1AE' },
  ]).execute();
  await db.insertInto('commissions').values([
    { local_authority_code: LEEDS, service_organisation_id: orgs.leedsService, starts_on: '2025-04-01' },
    { local_authority_code: MANCHESTER, service_organisation_id: orgs.manchesterService, starts_on: '2025-04-01' },
  ]).execute();
  await loadDemoDirectory(db, { leeds: orgs.leedsService, manchester: orgs.manchesterService });

  const hash = await hashPassword(password);
  const users: Record<string, StaffUser> = {};
  for (const a of DEMO_ACCOUNTS) {
    const row = await db
      .insertInto('users')
      .values({ email: a.email, name: a.name, role: a.role, organisation_id: orgs[a.org], password_hash: hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    const o = await db.selectFrom('organisations').selectAll().where('id', '=', orgs[a.org]).executeTakeFirstOrThrow();
    users[a.email] = { kind: 'user', id: row.id, email: a.email, name: a.name, role: a.role, organisationId: o.id, organisationName: o.name, organisationType: o.type, localAuthorityCode: o.local_authority_code };
  }

  const deps = { db, postcodes };
  const person = (given: string, family: string, postcode: string, extra: Partial<ReferralInput> = {}): ReferralInput => ({
    smokingStatus: '1', vapingStatus: 'never', adviceGiven: 'yes', acceptsReferral: 'yes',
    givenName: given, familyName: family, dateOfBirth: '1985-06-14', postcode,
    phone: '07700 900123', email: undefined, contactMethods: ['phone', 'text'], contactTimes: 'any',
    nhsNumber: undefined, mentalHealth: 'depression', inTalkingTherapies: 'yes', consentShareProgress: 'yes',
    language: undefined, accessNeeds: undefined, notes: undefined, ...extra,
  });
  const tt = users['referrer@demo.test']!;
  const gp = users['referrer.gp@demo.test']!;
  const fb = users['referrer.foodbank@demo.test']!;
  const adviser = users['adviser@demo.test']!;
  const mcr = users['adviser.manchester@demo.test']!;
  const max = 3;

  await createReferral(deps, tt, person('Sam', 'Taylor', 'LS6 1AN'));
  await createReferral(deps, gp, person('Priya', 'Shah', 'LS2 9JT', { mentalHealth: 'anxiety', inTalkingTherapies: 'no', email: 'priya@example.com', contactMethods: ['email'] }));
  const contacted = await createReferral(deps, tt, person('Jordan', 'Lee', 'LS7 3JB', { mentalHealth: 'both' }));
  await actOnReferral(db, adviser, contacted.id, { kind: 'contact', outcome: 'reached' }, max);
  const accepted = await createReferral(deps, fb, person('Morgan', 'Hughes', 'LS11 5DA', { mentalHealth: 'not_known', inTalkingTherapies: 'not_known' }));
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'no_answer' }, max);
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'reached' }, max);
  await actOnReferral(db, adviser, accepted.id, { kind: 'accept' }, max);
  const declined = await createReferral(deps, gp, person('Casey', 'Brown', 'LS8 2PZ', { consentShareProgress: 'no' }));
  await actOnReferral(db, adviser, declined.id, { kind: 'decline', reason: 'already_supported' }, max);
  const unreachable = await createReferral(deps, tt, person('Alex', 'Wood', 'LS9 8AU', { mentalHealth: 'anxiety' }));
  for (const outcome of ['no_answer', 'voicemail', 'no_answer'] as const) {
    await actOnReferral(db, adviser, unreachable.id, { kind: 'contact', outcome }, max);
  }
  // Manchester's referral comes from its own Talking Therapies service; a Leeds adviser never sees it.
  const mcrTt = await db.insertInto('users').values({ email: 'referrer.manchester@demo.test', name: 'Maya Reid', role: 'referrer', organisation_id: orgs.manchesterTalkingTherapies, password_hash: hash }).returning('id').executeTakeFirstOrThrow();
  const mcrReferrer: StaffUser = { kind: 'user', id: mcrTt.id, email: 'referrer.manchester@demo.test', name: 'Maya Reid', role: 'referrer', organisationId: orgs.manchesterTalkingTherapies, organisationName: 'Manchester NHS Talking Therapies', organisationType: 'talking_therapies', localAuthorityCode: MANCHESTER };
  const m1 = await createReferral(deps, mcrReferrer, person('Robin', 'Ashworth', 'M1 1AE'));
  await actOnReferral(db, mcr, m1.id, { kind: 'contact', outcome: 'reached' }, max);
  await createReferral(deps, mcrReferrer, person('Jamie', 'Fletcher', 'M14 5TQ', { mentalHealth: 'depression' }));

  // Spread the referrals over the past fortnight so the worklist shows realistic waiting times.
  const ages: [string, number][] = [['Sam', 9], ['Priya', 6], ['Jordan', 4], ['Morgan', 12], ['Casey', 8], ['Alex', 14], ['Robin', 5], ['Jamie', 2]];
  for (const [given, days] of ages) await backdate(db, given, days);
}

/**
 * Public directory entries for the two services, with their places. Leeds offers support tailored for
 * anxiety and depression and Swap to Stop vape kits; Manchester offers neither. Positions are the
 * postcodes' own (OS Code-Point Open).
 */
export async function loadDemoDirectory(db: Database, services: { leeds: string; manchester: string }): Promise<void> {
  const [leeds, manchester] = await db
    .insertInto('directory_services')
    .values([
      {
        organisation_id: services.leeds,
        description: 'Free help to stop smoking for adults in Leeds. You see the same adviser every week, and you can have medicine or a vape to help with cravings.',
        phone: '0113 496 0000',
        email: 'stopsmoking@leeds.example.org',
        website: 'https://stopsmoking.leeds.example.org',
        opening_times: 'Monday to Friday, 9am to 5pm\nThursday evenings until 8pm',
        modes: ['in_person', 'telephone', 'video', 'text', 'group'],
        languages: ['English', 'Urdu', 'Punjabi', 'Polish'],
        tailored_support: true,
        tailored_support_text: 'Longer first sessions, a mood check every week, and advisers trained to support people with anxiety or depression. With your say-so, we can keep your therapist up to date.',
        in_talking_therapies: true,
        aids: ['combination_nrt', 'single_nrt', 'varenicline', 'cytisine', 'e_cigarette', 'e_cigarette_swap_to_stop'],
        eligibility: 'Adults who live in Leeds or are registered with a Leeds GP.',
        published: true,
      },
      {
        organisation_id: services.manchester,
        description: 'Free stop smoking support for people who live in Manchester, by phone, by video or face to face.',
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
      },
    ])
    .returning('id')
    .execute();
  await db
    .insertInto('directory_locations')
    .values([
      { service_id: leeds!.id, name: 'Leeds city centre clinic', address: 'Merrion Centre\nLeeds', postcode: 'LS2 8NG', latitude: 53.801614, longitude: -1.544044, accessibility: 'Step-free entrance from Merrion Way. Hearing loop at reception.' },
      { service_id: leeds!.id, name: 'Armley community hub', address: 'Town Street\nArmley\nLeeds', postcode: 'LS12 1UQ', latitude: 53.797127, longitude: -1.58821, accessibility: null },
      { service_id: manchester!.id, name: 'Manchester central clinic', address: 'Piccadilly\nManchester', postcode: 'M1 1AE', latitude: 53.483471, longitude: -2.231184, accessibility: 'Lift to the first floor.' },
      { service_id: manchester!.id, name: 'Wythenshawe Forum', address: 'Forum Square\nWythenshawe\nManchester', postcode: 'M22 5RX', latitude: 53.379925, longitude: -2.265017, accessibility: null },
    ])
    .execute();
}

async function backdate(db: Database, givenName: string, days: number) {
  const shift = sql`make_interval(days => ${days})`;
  const ids = db.selectFrom('referrals').select('id').where('given_name', '=', givenName);
  await db.updateTable('referrals').set({ created_at: sql`created_at - ${shift}` }).where('id', 'in', ids).execute();
  // Events keep their order, spaced a day apart after the referral was received.
  await db
    .updateTable('referral_events')
    .set({ occurred_at: sql`occurred_at - ${shift} + make_interval(days => least(${days}, (id - (select min(id) from referral_events e2 where e2.referral_id = referral_events.referral_id))::int))` })
    .where('referral_id', 'in', ids)
    .execute();
}

/** Demo accounts get the password of this run, so the one printed at start always works. */
export async function resetDemoPasswords(db: Database, password: string): Promise<number> {
  const hash = await hashPassword(password);
  const r = await db
    .updateTable('users')
    .set({ password_hash: hash, failed_sign_ins: 0, locked_until: null })
    .where('email', 'like', '%@demo.test')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
