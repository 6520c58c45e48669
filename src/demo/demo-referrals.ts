import { englandDateOf } from '../db/england-date.sql.ts';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { StaffUser } from '../platform/roles.ts';
import type { PostcodeLookup } from '../platform/postcode-lookup.ts';
import type { Clock } from '../platform/clock.ts';
import { actOnReferral, createReferral } from '../modules/referrals/referral.service.ts';
import type { ReferralInput } from '../modules/referrals/referral.schemas.ts';
import { MANCHESTER, type Orgs } from './demo-organisations.ts';

type Deps = { db: Database; postcodes: PostcodeLookup };

/** Contact attempts before a referral counts as unreachable. */
const MAX_ATTEMPTS = 3;

function person(
  given: string,
  family: string,
  postcode: string,
  extra: Partial<ReferralInput> = {},
): ReferralInput {
  return {
    smokingStatus: '1',
    vapingStatus: 'never',
    adviceGiven: 'yes',
    acceptsReferral: 'yes',
    givenName: given,
    familyName: family,
    dateOfBirth: '1985-06-14',
    postcode,
    phone: '07700 900123',
    email: undefined,
    contactMethods: ['phone', 'text'],
    contactTimes: 'any',
    nhsNumber: undefined,
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    consentShareProgress: 'yes',
    language: undefined,
    accessNeeds: undefined,
    notes: undefined,
    ...extra,
  };
}

/**
 * Referrals in every state, in Leeds and in Manchester, spread over the past fortnight. Returns the id of
 * the Leeds referral the adviser accepted (Morgan Hughes's), which becomes a treatment episode.
 */
export async function loadDemoReferrals(
  deps: Deps,
  clock: Clock,
  orgs: Orgs,
  users: Record<string, StaffUser>,
  passwordHash: string,
): Promise<string> {
  const rules = { maxFailedAttempts: MAX_ATTEMPTS, now: clock.now() };
  const accepted = await leedsReferrals(deps, users, rules);
  await manchesterReferrals(deps, orgs, users, passwordHash, rules);

  // Spread the referrals over the past fortnight so the worklist shows realistic waiting times.
  const ages: [string, number][] = [
    ['Sam', 9],
    ['Priya', 6],
    ['Jordan', 4],
    ['Morgan', 12],
    ['Casey', 8],
    ['Alex', 14],
    ['Robin', 5],
    ['Jamie', 2],
  ];
  for (const [given, days] of ages) await backdate(deps.db, clock, given, days);
  return accepted;
}

type Rules = { maxFailedAttempts: number; now: Date };

async function leedsReferrals(deps: Deps, users: Record<string, StaffUser>, rules: Rules): Promise<string> {
  const { db } = deps;
  const tt = users['referrer@demo.test']!;
  const gp = users['referrer.gp@demo.test']!;
  const fb = users['referrer.foodbank@demo.test']!;
  const adviser = users['adviser@demo.test']!;

  await createReferral(deps, tt, person('Sam', 'Taylor', 'LS6 1AN'));
  await createReferral(
    deps,
    gp,
    person('Priya', 'Shah', 'LS2 9JT', {
      mentalHealth: 'anxiety',
      inTalkingTherapies: 'no',
      email: 'priya@example.com',
      contactMethods: ['email'],
    }),
  );
  const contacted = await createReferral(
    deps,
    tt,
    person('Jordan', 'Lee', 'LS7 3JB', { mentalHealth: 'both' }),
  );
  await actOnReferral(db, adviser, contacted.id, { kind: 'contact', outcome: 'reached' }, rules);
  const accepted = await createReferral(
    deps,
    fb,
    person('Morgan', 'Hughes', 'LS11 5DA', { mentalHealth: 'not_known', inTalkingTherapies: 'not_known' }),
  );
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'no_answer' }, rules);
  await actOnReferral(db, adviser, accepted.id, { kind: 'contact', outcome: 'reached' }, rules);
  await actOnReferral(db, adviser, accepted.id, { kind: 'accept' }, rules);
  const declined = await createReferral(
    deps,
    gp,
    person('Casey', 'Brown', 'LS8 2PZ', { consentShareProgress: 'no' }),
  );
  await actOnReferral(db, adviser, declined.id, { kind: 'decline', reason: 'already_supported' }, rules);
  const unreachable = await createReferral(
    deps,
    tt,
    person('Alex', 'Wood', 'LS9 8AU', { mentalHealth: 'anxiety' }),
  );
  for (const outcome of ['no_answer', 'voicemail', 'no_answer'] as const) {
    await actOnReferral(db, adviser, unreachable.id, { kind: 'contact', outcome }, rules);
  }
  return accepted.id;
}

// Manchester's referral comes from its own Talking Therapies service; a Leeds adviser never sees it.
async function manchesterReferrals(
  deps: Deps,
  orgs: Orgs,
  users: Record<string, StaffUser>,
  passwordHash: string,
  rules: Rules,
): Promise<void> {
  const { db } = deps;
  const mcr = users['adviser.manchester@demo.test']!;
  const mcrTt = await db
    .insertInto('users')
    .values({
      email: 'referrer.manchester@demo.test',
      name: 'Maya Reid',
      role: 'referrer',
      organisation_id: orgs.manchesterTalkingTherapies,
      password_hash: passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mcrReferrer: StaffUser = {
    kind: 'user',
    id: mcrTt.id,
    email: 'referrer.manchester@demo.test',
    name: 'Maya Reid',
    role: 'referrer',
    organisationId: orgs.manchesterTalkingTherapies,
    organisationName: 'Manchester NHS Talking Therapies',
    organisationType: 'talking_therapies',
    localAuthorityCode: MANCHESTER,
  };
  const m1 = await createReferral(deps, mcrReferrer, person('Robin', 'Ashworth', 'M1 1AE'));
  await actOnReferral(db, mcr, m1.id, { kind: 'contact', outcome: 'reached' }, rules);
  await createReferral(
    deps,
    mcrReferrer,
    person('Jamie', 'Fletcher', 'M14 5TQ', { mentalHealth: 'depression' }),
  );
}

/** Moves a referral and its events back `days` from the clock's now (the database stamped them with its own). */
async function backdate(db: Database, clock: Clock, givenName: string, days: number) {
  const shift = sql`(make_interval(days => ${days}) - (${clock.now()}::timestamptz - now()))`;
  const ids = db.selectFrom('referrals').select('id').where('given_name', '=', givenName);
  await db
    .updateTable('referrals')
    .set({ created_at: sql`created_at - ${shift}` })
    .where('id', 'in', ids)
    .execute();
  // Events keep their order, spaced a day apart after the referral was received.
  await db
    .updateTable('referral_events')
    .set({
      occurred_at: sql`occurred_at - ${shift} + make_interval(days => least(${days}, (id - (select min(id) from referral_events e2 where e2.referral_id = referral_events.referral_id))::int))`,
    })
    .where('referral_id', 'in', ids)
    .execute();
  // The codes for the referrer's own steps are dated the day the referral was made.
  await db
    .updateTable('clinical_codes')
    .set({
      occurred_on: englandDateOf(
        sql`(select created_at from referrals r where r.id = clinical_codes.referral_id)`,
      ),
    })
    .where('referral_id', 'in', ids)
    .where('step', 'in', ['smoking_status_at_referral', 'vba_given', 'referral_made'])
    .execute();
}
