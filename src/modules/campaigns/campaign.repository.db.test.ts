// A campaign's results counted in SQL against known data, and against the pure rule (campaign-attribution.ts) on
// referrals placed either side of every boundary of the counting window, in winter and summer time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { MANCHESTER } from '../../demo/demo-data.ts';
import { addDays } from '../../platform/dates.ts';
import { createReferral } from '../referrals/referral.service.ts';
import type { ReferralInput } from '../referrals/referral.schemas.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.ts';
import { CODE_GRACE_DAYS, counts } from '../referrals/campaign-attribution.ts';
import { campaignResultRows, insertCampaign, loadCampaignResults } from './campaign.repository.ts';
import { shapeResults } from './campaign-results.ts';
import { campaignFiguresExact } from '../../platform/scope.ts';

let t: TestApp;
let tt: StaffUser;
let gp: StaffUser;
let leedsService: string;
let analystId: string;
let today: string;

async function staff(email: string): Promise<StaffUser> {
  const u = await t.db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.name',
      'u.role',
      'o.id as org',
      'o.name as orgName',
      'o.type',
      'o.local_authority_code',
    ])
    .where('u.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user',
    id: u.id,
    email,
    name: u.name,
    role: u.role,
    organisationId: u.org,
    organisationName: u.orgName,
    organisationType: u.type,
    localAuthorityCode: u.local_authority_code,
  };
}

const person = (given: string, postcode: string, campaignCode: string): ReferralInput => ({
  smokingStatus: '1',
  vapingStatus: 'never',
  adviceGiven: 'yes',
  acceptsReferral: 'yes',
  givenName: given,
  familyName: 'Campaign',
  dateOfBirth: '1980-02-03',
  postcode,
  phone: '07700 900123',
  email: undefined,
  contactMethods: ['phone'],
  contactTimes: 'any',
  nhsNumber: undefined,
  mentalHealth: 'anxiety',
  inTalkingTherapies: 'yes',
  consentShareProgress: 'yes',
  language: undefined,
  accessNeeds: undefined,
  notes: undefined,
  campaignCode,
});

/** A referral carrying the code, moved to `at` (a timestamp). */
async function referralAt(
  by: StaffUser,
  given: string,
  postcode: string,
  code: string,
  at: string,
): Promise<string> {
  const r = await createReferral({ db: t.db, postcodes: t.postcodes }, by, person(given, postcode, code));
  await t.db.updateTable('referrals').set({ created_at: at }).where('id', '=', r.id).execute();
  return r.id;
}

/** An episode from the referral with a quit date, and its four-week outcome if given. */
async function episodeFor(
  referralId: string,
  outcome?: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up',
) {
  const p = await t.db
    .insertInto('people')
    .values({
      service_organisation_id: leedsService,
      local_authority_code: 'E08000035',
      given_name: 'X',
      family_name: 'Y',
      date_of_birth: '1980-02-03',
      postcode: 'LS6 1AN',
      phone: null,
      email: null,
      nhs_number: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = await t.db
    .insertInto('episodes')
    .values({
      person_id: p.id,
      service_organisation_id: leedsService,
      local_authority_code: 'E08000035',
      referral_id: referralId,
      adviser_user_id: null,
      quit_date: addDays(today, -40),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (outcome)
    await t.db
      .insertInto('episode_outcomes')
      .values({
        episode_id: e.id,
        outcome,
        follow_up_on: addDays(today, -12),
        smoked_days_15_to_28: outcome === 'not_quit',
        co_ppm: null,
        reason: 'test',
        session_id: null,
        recorded_by: null,
      })
      .execute();
}

const noon = (d: string) => `${d}T12:00:00Z`;

before(async () => {
  t = await buildTestApp({ demo: true });
  today = t.clock.today();
  tt = await staff('referrer@demo.test');
  gp = await staff('referrer.gp@demo.test');
  leedsService = (
    await t.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Leeds Stop Smoking Service')
      .executeTakeFirstOrThrow()
  ).id;
  analystId = (await staff('analyst@demo.test')).id;
});
after(() => t?.close());

describe('results against known data', () => {
  let id: string;
  before(async () => {
    id = await insertCampaign(
      t.db,
      {
        code: 'TEST-RES-1',
        name: 'Results test',
        description: null,
        regionCode: null,
        localAuthorityCode: 'E08000035',
        startsOn: addDays(today, -100),
        endsOn: addDays(today, -50),
        channels: [],
      },
      analystId,
    );
    await episodeFor(
      await referralAt(tt, 'Rone', 'LS6 1AN', 'test-res-1', noon(addDays(today, -80))),
      'quit_co_verified',
    );
    await episodeFor(
      await referralAt(tt, 'Rtwo', 'LS6 1AN', 'TEST RES 1', noon(addDays(today, -60))),
      'quit_self_reported',
    );
    await episodeFor(
      await referralAt(gp, 'Rthree', 'LS2 9JT', 'TESTRES1', noon(addDays(today, -30))),
      'not_quit',
    );
    await referralAt(gp, 'Rfour', 'LS2 9JT', 'TEST-RES-1', noon(addDays(today, -5)));
    await episodeFor(
      await referralAt(tt, 'Rfive', 'LS6 1AN', 'TEST-RES-1', noon(addDays(today, -120))),
      'quit_co_verified',
    );
    await referralAt(tt, 'Rsix', 'M1 1AE', 'TEST-RES-1', noon(addDays(today, -70)));
  });

  test('loadCampaignResults counts referrals that count, quit dates, quits and CO-verified quits, exact', async () => {
    const results = await loadCampaignResults(t.db, [
      id,
      id.toUpperCase(),
      '00000000-0000-4000-8000-000000000000',
    ]);
    assert.deepEqual(results.get(id), { referrals: 5, quitDates: 3, quits: 2, coVerified: 1 });
    assert.deepEqual(
      results.get(id.toUpperCase()),
      { referrals: 5, quitDates: 3, quits: 2, coVerified: 1 },
      'ids as the caller gave them',
    );
    assert.deepEqual(results.get('00000000-0000-4000-8000-000000000000'), {
      referrals: 0,
      quitDates: 0,
      quits: 0,
      coVerified: 0,
    });
    assert.deepEqual(await loadCampaignResults(t.db, []), new Map());
  });

  test('a national analyst sees every breakdown exact; the referral before the start is counted apart', async () => {
    const rows = await campaignResultRows(t.db, [id]);
    const authorities = new Map([
      ['E08000035', { name: 'Leeds', regionCode: 'E12000003' }],
      [MANCHESTER, { name: 'Manchester', regionCode: 'E12000002' }],
    ]);
    const r = shapeResults(rows, {
      exactFor: (la) => campaignFiguresExact({ kind: 'all' }, la),
      authorities,
      campaign: { regionCode: null, localAuthorityCode: 'E08000035' },
    });
    assert.equal(r.exact, true);
    assert.deepEqual(r.total, { referrals: 5, quitDates: 3, quits: 2, coVerified: 1 });
    assert.equal(r.notCounted, 1);
    assert.equal(r.quitRate, 67);
    assert.equal(r.coVerifiedShare, 50);
    assert.deepEqual(
      r.byArea.map((a) => [a.label, a.inArea, a.exact, a.figures.referrals]),
      [
        ['Leeds', true, true, 4],
        ['Manchester', false, true, 1],
      ],
    );
    assert.deepEqual(Object.fromEntries(r.bySource.map((s) => [s.label, s.figures])), {
      'NHS Talking Therapies': { referrals: 3, quitDates: 2, quits: 2, coVerified: 1 },
      'GP practice': { referrals: 2, quitDates: 1, quits: 0, coVerified: 0 },
    });
    assert.equal(
      r.byMonth.reduce((n, m) => n + (m.figures.referrals as number), 0),
      5,
    );
  });

  test('the Leeds commissioner sees Leeds exact and everything that includes Manchester disclosure-controlled', async () => {
    const rows = await campaignResultRows(t.db, [id]);
    const authorities = new Map([
      ['E08000035', { name: 'Leeds', regionCode: 'E12000003' }],
      [MANCHESTER, { name: 'Manchester', regionCode: 'E12000002' }],
    ]);
    const r = shapeResults(rows, {
      exactFor: (la) => campaignFiguresExact({ kind: 'local_authority', code: 'E08000035' }, la),
      authorities,
      campaign: { regionCode: null, localAuthorityCode: 'E08000035' },
    });
    assert.equal(r.exact, false);
    assert.deepEqual(r.byArea[0], {
      key: 'E08000035',
      label: 'Leeds',
      exact: true,
      inArea: true,
      figures: { referrals: 4, quitDates: 3, quits: 2, coVerified: 1 },
    });
    assert.deepEqual(r.byArea[1]!.figures, { referrals: '*', quitDates: 0, quits: 0, coVerified: 0 });
    assert.deepEqual(r.total, { referrals: '*', quitDates: '*', quits: '*', coVerified: '*' });
    assert.equal(r.quitRate, '*');
    assert.equal(r.notCounted, '*');
    assert.match(r.note ?? '', /counts from 1 to 7 are shown as \*/);
  });
});

describe('the SQL counts what the rule counts', () => {
  test('referrals either side of each boundary, in England’s time, winter and summer', async () => {
    const cases = [
      { code: 'TEST-WIN', startsOn: '2025-01-10', endsOn: '2025-02-10' },
      { code: 'TEST-SUM', startsOn: '2025-06-10', endsOn: '2025-06-20' },
      { code: 'TEST-OPEN', startsOn: '2025-03-30', endsOn: null },
    ];
    for (const c of cases) {
      const id = await insertCampaign(
        t.db,
        {
          ...c,
          name: c.code,
          description: null,
          regionCode: null,
          localAuthorityCode: 'E08000035',
          channels: [],
        },
        analystId,
      );
      const edges = [c.startsOn, c.endsOn, c.endsOn && addDays(c.endsOn, CODE_GRACE_DAYS)].filter(
        (d): d is string => d !== null,
      );
      const stamps: string[] = [];
      for (const edge of edges) {
        for (const day of [addDays(edge, -1), edge, addDays(edge, 1)]) {
          // 23:30 and 00:30 UTC: in summer time these fall on different days in England than in UTC.
          stamps.push(`${day}T00:30:00Z`, `${day}T23:30:00Z`, `${day}T12:00:00Z`);
        }
      }
      let expected = 0;
      for (const [i, at] of stamps.entries()) {
        await referralAt(tt, `Edge${'abcdefghijklmnopqrstuvwxyz'[i % 26]}`, 'LS6 1AN', c.code, at);
        const londonDay = new Date(at).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
        if (counts({ startsOn: c.startsOn, endsOn: c.endsOn }, londonDay)) expected++;
      }
      const got = (await loadCampaignResults(t.db, [id])).get(id)!;
      assert.equal(got.referrals, expected, c.code);
      const all = await sql<{
        n: number;
      }>`select count(*)::int as n from referrals where campaign_id = ${id}`.execute(t.db);
      const rows = await campaignResultRows(t.db, [id]);
      const notCounted = rows
        .filter((r) => r.dimension === 'total' && !r.counted)
        .reduce((n, r) => n + r.referrals, 0);
      assert.equal(
        got.referrals + notCounted,
        all.rows[0]!.n,
        `${c.code}: every referral carrying the code is either counted or not`,
      );
      assert.ok(notCounted > 0 || c.endsOn === null, `${c.code}: some fall outside`);
    }
  });
});
