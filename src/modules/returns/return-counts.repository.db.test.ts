// The SQL that computes returns at scale against the pure definition (computeReturn), on generated data:
// a few hundred random episodes and referrals across two authorities (and a neighbour), inserted directly
// from a seeded generator, with the awkward cases on purpose: unknown codes, no outcome, outcomes at
// day 42 and 43, birthdays on the quit date and on 29 February, dates of birth after the quit date,
// referrals just either side of midnight at a quarter's end (in London time), services commissioned by
// two authorities at once, and services nobody commissions. Runs on PGlite, and on PostgreSQL with
// DATABASE_URL. A year's returns (computeYearReturns, quarters two at a time) are checked against the same
// definition and against one computeReturns call a quarter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { AIDS, DEFAULT_SETTINGS, INTERVENTION_SESSION_TYPE_CODES } from '../episodes/programme.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import {
  ETHNIC_CATEGORIES,
  FREE_PRESCRIPTIONS,
  GENDER_SAME_AS_BIRTH,
  NS_SEC,
  PREGNANT,
  SEX,
  SEXUAL_ORIENTATION,
} from '../referrals/demographics.ts';
import { quarterOf, quarterRange, type Quarter } from '../../platform/quarters.ts';
import { computeReturn, type QuarterlyReturn } from './return-definition.ts';
import { diffReturns } from './return-figures.ts';
import { computeReturns, computeReturnSql, computeYearReturns } from './return-counts.repository.ts';
import { factsForReturn, loadEpisodeFacts, loadReferralFacts } from './return-facts.repository.ts';

const LEEDS = 'E08000035';
const MANCHESTER = 'E08000003';
const WAKEFIELD = 'E08000036';

/** mulberry32: small, fast and the same on every machine, so a failure can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

const SEED = Number(process.env.RETURN_TEST_SEED ?? 20260501);
const rnd = prng(SEED);

/** A value from the list, sometimes missing, sometimes a code nobody knows. */
const codeOrOdd = (codes: readonly string[], odd: string | null) =>
  rnd.chance(0.12) ? null : odd !== null && rnd.chance(0.06) ? odd : rnd.pick(codes);

let h: DatabaseHandle;
const services: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
/** The period every generated quit date and referral falls in. */
const FIRST_DAY = '2024-10-01';
const DAYS = 600;

before(async () => {
  h = await createTestDatabase();
  const db = h.db;
  const org = async (name: string, type: string, la: string | null) =>
    (
      await db
        .insertInto('organisations')
        .values({ name, type, local_authority_code: la, ods_code: null, email: null, phone: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  services.a = await org('Service A (Leeds)', 'stop_smoking_service', LEEDS);
  services.b = await org(
    'Service B (Manchester, and for a while Leeds too)',
    'stop_smoking_service',
    MANCHESTER,
  );
  services.c = await org('Service C (Manchester from October 2025)', 'stop_smoking_service', MANCHESTER);
  services.d = await org('Service D (commissioned by nobody)', 'stop_smoking_service', null);
  await db
    .insertInto('commissions')
    .values([
      {
        local_authority_code: LEEDS,
        service_organisation_id: services.a,
        starts_on: '2024-04-01',
        ends_on: null,
      },
      {
        local_authority_code: MANCHESTER,
        service_organisation_id: services.b,
        starts_on: '2024-04-01',
        ends_on: '2025-09-30',
      },
      // Both authorities commission B for a quarter: its episodes go to the one they were recorded against.
      {
        local_authority_code: LEEDS,
        service_organisation_id: services.b,
        starts_on: '2025-01-01',
        ends_on: '2025-03-31',
      },
      {
        local_authority_code: MANCHESTER,
        service_organisation_id: services.c,
        starts_on: '2025-10-01',
        ends_on: null,
      },
    ])
    .execute();
  const referrers: string[] = [];
  for (const type of Object.keys(ORGANISATION_TYPES))
    referrers.push(await org(`Referrer (${type})`, type, LEEDS));

  // Referrals: some stand alone, some lead to an episode.
  const referralIds: string[] = [];
  const referralRows = [];
  for (let i = 0; i < 260; i++) {
    const self = rnd.chance(0.15);
    const day = addDays(FIRST_DAY, rnd.int(0, DAYS));
    // Near midnight on purpose: 23:30 UTC is already the next day in London in summer.
    const time = rnd.pick(['00:10:00Z', '12:00:00Z', '22:59:59Z', '23:30:00Z']);
    referralRows.push({
      reference: `T${String(i).padStart(6, '0')}`,
      source: self ? ('self' as const) : rnd.pick(['staff', 'api'] as const),
      referrer_organisation_id: self ? null : rnd.chance(0.05) ? null : rnd.pick(referrers),
      service_organisation_id: rnd.pick([services.a, services.b, services.c]),
      local_authority_code: rnd.pick([LEEDS, LEEDS, MANCHESTER, WAKEFIELD]),
      given_name: 'Test',
      family_name: `Person ${i}`,
      date_of_birth: '1980-01-01',
      postcode: 'LS1 1AA',
      contact_methods: ['phone'],
      smoking_status: '1',
      vaping_status: 'never',
      mental_health: 'not_known',
      in_talking_therapies: 'not_known',
      consent_share_progress: false,
      help_wanted: self ? 'stop_smoking' : null,
      contact_consent_version: self ? 'v1' : null,
      created_at: `${day}T${time}`,
    });
  }
  // The edges of 2025/26 Q1 in London time: 30 June 23:30 BST is in Q1, 1 July 00:30 BST in Q2.
  referralRows.push(
    {
      ...referralRows[0]!,
      reference: 'EDGE1',
      source: 'staff' as const,
      help_wanted: null,
      contact_consent_version: null,
      referrer_organisation_id: referrers[0]!,
      local_authority_code: LEEDS,
      created_at: '2025-06-30T22:30:00Z',
    },
    {
      ...referralRows[0]!,
      reference: 'EDGE2',
      source: 'staff' as const,
      help_wanted: null,
      contact_consent_version: null,
      referrer_organisation_id: referrers[0]!,
      local_authority_code: LEEDS,
      created_at: '2025-06-30T23:30:00Z',
    },
  );
  for (const chunk of [referralRows.slice(0, 130), referralRows.slice(130)]) {
    const ids = await db.insertInto('referrals').values(chunk).returning('id').execute();
    referralIds.push(...ids.map((r) => r.id));
  }

  const serviceLa: Record<string, string | null> = {
    [services.a]: LEEDS,
    [services.b]: MANCHESTER,
    [services.c]: MANCHESTER,
    [services.d]: null,
  };
  for (let i = 0; i < 420; i++) {
    const service = rnd.pick([services.a, services.a, services.b, services.c, services.d]);
    const quitDate: IsoDate | null = rnd.chance(0.08) ? null : addDays(FIRST_DAY, rnd.int(0, DAYS));
    let dob = `${rnd.int(1935, 2009)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
    if (quitDate && rnd.chance(0.05)) dob = `${Number(quitDate.slice(0, 4)) - 18}${quitDate.slice(4)}`; // 18 on the quit date
    if (rnd.chance(0.03)) dob = '1964-02-29';
    if (quitDate && rnd.chance(0.02)) dob = addDays(quitDate, 30); // after the quit date: not known
    const person = await db
      .insertInto('people')
      .values({
        service_organisation_id: service,
        local_authority_code: serviceLa[service] ?? null,
        given_name: 'Test',
        family_name: `Episode ${i}`,
        date_of_birth: dob,
        postcode: 'LS1 1AA',
        phone: null,
        email: null,
        nhs_number: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db
      .insertInto('episodes')
      .values({
        person_id: person.id,
        service_organisation_id: service,
        local_authority_code: rnd.chance(0.1)
          ? null
          : rnd.chance(0.15)
            ? rnd.pick([LEEDS, MANCHESTER, WAKEFIELD])
            : (serviceLa[service] ?? rnd.pick([LEEDS, MANCHESTER])),
        referral_id: rnd.chance(0.7) ? rnd.pick(referralIds) : null,
        started_on: quitDate ? addDays(quitDate, -rnd.int(0, 14)) : '2025-01-01',
        quit_date: quitDate,
        intervention_type: codeOrOdd(INTERVENTION_SESSION_TYPE_CODES, '03'),
        setting: codeOrOdd(Object.keys(DEFAULT_SETTINGS), 'moon_base'),
        mental_health: rnd.pick(['depression', 'anxiety', 'both', 'other', 'none', 'not_known']),
        in_talking_therapies: rnd.pick(['yes', 'no', 'not_known']),
        sex: codeOrOdd(SEX.codes, null),
        gender_same_as_birth: codeOrOdd(GENDER_SAME_AS_BIRTH.codes, null),
        ethnic_category: codeOrOdd(ETHNIC_CATEGORIES.codes, 'Q'),
        pregnant: codeOrOdd(PREGNANT.codes, null),
        free_prescriptions: codeOrOdd(FREE_PRESCRIPTIONS.codes, null),
        ns_sec: codeOrOdd(NS_SEC.codes, '12'),
        sexual_orientation: codeOrOdd(SEXUAL_ORIENTATION.codes, 'unsure'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (quitDate && rnd.chance(0.6)) {
      await db
        .insertInto('episode_outcomes')
        .values({
          episode_id: episode.id,
          outcome: rnd.pick([
            'quit_co_verified',
            'quit_self_reported',
            'not_quit',
            'lost_to_follow_up',
          ] as const),
          follow_up_on: null,
          smoked_days_15_to_28: null,
          co_ppm: null,
          reason: 'generated',
          session_id: null,
          recorded_by: null,
        })
        .execute();
    }
    const aids = rnd.int(0, 3);
    for (let k = 0; k < aids; k++) {
      await db
        .insertInto('episode_aids')
        .values({
          episode_id: episode.id,
          aid: rnd.chance(0.05) ? 'nicotine_pouch' : rnd.pick(Object.keys(AIDS)),
          supplied_on: quitDate ?? '2025-01-01',
          supply: null,
          session_id: null,
          recorded_by: null,
        })
        .execute();
    }
  }
});
after(() => h?.close());

/** The differences between two returns, readably, for an assertion message. */
function differences(expected: QuarterlyReturn, actual: QuarterlyReturn): string {
  const changes = diffReturns(expected, actual).slice(0, 12);
  return changes
    .map((c) => `${c.breakdown}/${c.category}/${c.measure}: pure ${c.previous}, SQL ${c.current}`)
    .join('\n');
}

/** Quarters, each with days to generate it on: mid-quarter, just after (outcomes pending), long after (all known). */
const CASES: { financialYear: number; quarter: Quarter; asOf: (end: IsoDate) => IsoDate }[] = [
  { financialYear: 2024, quarter: 3, asOf: (end) => addDays(end, 60) },
  { financialYear: 2024, quarter: 4, asOf: (end) => addDays(end, 10) },
  { financialYear: 2025, quarter: 1, asOf: (end) => addDays(end, 42) },
  { financialYear: 2025, quarter: 1, asOf: (end) => addDays(end, 43) },
  { financialYear: 2025, quarter: 2, asOf: (end) => addDays(end, -20) },
  { financialYear: 2025, quarter: 3, asOf: (end) => addDays(end, 200) },
  { financialYear: 2025, quarter: 4, asOf: (end) => end },
  { financialYear: 2026, quarter: 1, asOf: (end) => addDays(end, -80) },
];

describe('the SQL return equals computeReturn on generated data', () => {
  for (const c of CASES) {
    const { end } = quarterRange(c.financialYear, c.quarter);
    const asOf = c.asOf(end);
    test(`${c.financialYear} Q${c.quarter} as of ${asOf}: every count and breakdown, both authorities`, async () => {
      // Every episode and referral in the database: the pure function does its own filtering.
      const [episodes, referrals] = await Promise.all([loadEpisodeFacts(h.db), loadReferralFacts(h.db)]);
      const sqlReturns = await computeReturns(h.db, {
        authorities: [LEEDS, MANCHESTER],
        financialYear: c.financialYear,
        quarter: c.quarter,
        asOf,
      });
      for (const la of [LEEDS, MANCHESTER]) {
        const expected = computeReturn({
          episodes,
          referrals,
          localAuthorityCode: la,
          financialYear: c.financialYear,
          quarter: c.quarter,
          asOf,
        });
        const actual = sqlReturns.get(la)!;
        assert.deepStrictEqual(actual, expected, `${la}:\n${differences(expected, actual)}`);
      }
    });
  }

  test('the generated data reaches the cases that matter', async () => {
    const episodes = await loadEpisodeFacts(h.db);
    const ret = computeReturn({
      episodes,
      referrals: await loadReferralFacts(h.db),
      localAuthorityCode: LEEDS,
      financialYear: 2025,
      quarter: 1,
      asOf: '2025-08-01',
    });
    assert.ok(ret.totals.setQuitDate > 20, `enough episodes in a quarter: ${ret.totals.setQuitDate}`);
    for (const m of [
      'quitCoVerified',
      'quitSelfReported',
      'notQuit',
      'lostToFollowUp',
      'referralsReceived',
    ] as const) {
      assert.ok(ret.totals[m] > 0, `${m} is not zero`);
    }
    assert.ok(
      ret.breakdowns.setting.not_known!.setQuitDate > 0,
      'some settings are unknown codes or missing',
    );
    assert.ok(ret.breakdowns.age_band.not_known!.setQuitDate >= 0);
    assert.ok(
      episodes.some((e) => e.aids.includes('nicotine_pouch')),
      'an aid nobody knows',
    );
    assert.ok(
      episodes.some((e) => e.referralSource === 'self'),
      'self-referrals',
    );
  });

  test('every authority at once (as the benchmark runs it) equals computeReturn for each, the neighbour included', async () => {
    const [episodes, referrals] = await Promise.all([loadEpisodeFacts(h.db), loadReferralFacts(h.db)]);
    const asOf = '2026-01-15';
    const all = await computeReturns(h.db, { authorities: 'all', financialYear: 2025, quarter: 2, asOf });
    assert.ok(
      all.has(WAKEFIELD),
      'episodes recorded against Wakefield at a service nobody commissions count there',
    );
    for (const [la, actual] of all) {
      const expected = computeReturn({
        episodes,
        referrals,
        localAuthorityCode: la,
        financialYear: 2025,
        quarter: 2,
        asOf,
      });
      assert.deepStrictEqual(actual, expected, `${la}:\n${differences(expected, actual)}`);
    }
  });

  test('the facts for one return are exactly the ones it counts, and give the same return', async () => {
    const req = { financialYear: 2025, quarter: 1 as Quarter, asOf: '2025-09-01' };
    const { episodes, referrals } = await factsForReturn(h.db, LEEDS, req);
    const fromFacts = computeReturn({ episodes, referrals, localAuthorityCode: LEEDS, ...req });
    assert.deepStrictEqual(await computeReturnSql(h.db, LEEDS, req), fromFacts);
    assert.equal(episodes.filter((e) => e.localAuthorityCode === LEEDS).length, fromFacts.totals.setQuitDate);
    assert.equal(referrals.length, fromFacts.totals.referralsReceived);
  });
});

/**
 * Years, each with the day its returns are made: after the year (all outcomes known), inside it (a quarter
 * cut short at the day, the ones after it empty), on a day 42 after a quit date's quarter, before the
 * year starts (nothing counts), and some quarters only.
 */
const YEAR_CASES: {
  financialYear: number;
  asOf: IsoDate;
  quarters?: Quarter[];
  authorities: 'all' | string[];
}[] = [
  { financialYear: 2025, asOf: '2026-06-30', authorities: 'all' },
  { financialYear: 2025, asOf: '2025-08-20', authorities: [LEEDS, MANCHESTER] },
  { financialYear: 2025, asOf: '2025-08-20', authorities: 'all' },
  { financialYear: 2025, asOf: '2025-08-11', authorities: 'all' },
  { financialYear: 2025, asOf: '2025-12-31', authorities: [LEEDS, MANCHESTER, WAKEFIELD] },
  { financialYear: 2024, asOf: '2025-04-10', authorities: 'all' },
  { financialYear: 2026, asOf: '2026-05-01', authorities: 'all' },
  { financialYear: 2025, asOf: '2025-03-01', authorities: [LEEDS] },
  { financialYear: 2025, asOf: '2026-12-01', quarters: [4, 2], authorities: 'all' },
  { financialYear: 2025, asOf: '2025-11-15', quarters: [3], authorities: [LEEDS, MANCHESTER] },
];

describe("a year's returns equal one computeReturns call a quarter, and the definition", () => {
  for (const c of YEAR_CASES) {
    const name = `${c.financialYear} ${c.quarters ? `Q${c.quarters.join(', Q')}` : 'every quarter'} as of ${c.asOf}, ${c.authorities === 'all' ? 'every authority' : c.authorities.join(', ')}`;
    test(name, async () => {
      const [episodes, referrals] = await Promise.all([loadEpisodeFacts(h.db), loadReferralFacts(h.db)]);
      const { financialYear, asOf, authorities } = c;
      const year = await computeYearReturns(h.db, { financialYear, asOf, authorities, quarters: c.quarters });
      const quarters = c.quarters ?? ([1, 2, 3, 4] as const);
      assert.deepStrictEqual([...year.keys()].sort(), [...quarters].sort());
      let counted = 0;
      for (const quarter of quarters) {
        const one = await computeReturns(h.db, { financialYear, quarter, asOf, authorities });
        const fromYear = year.get(quarter)!;
        assert.deepStrictEqual(fromYear, one, `Q${quarter}`);
        assert.deepStrictEqual([...fromYear.keys()].sort(), [...one.keys()].sort(), `Q${quarter}'s returns`);
        for (const [la, actual] of fromYear) {
          const expected = computeReturn({
            episodes,
            referrals,
            localAuthorityCode: la,
            financialYear,
            quarter,
            asOf,
          });
          assert.deepStrictEqual(actual, expected, `Q${quarter} ${la}:\n${differences(expected, actual)}`);
          counted += actual.totals.setQuitDate + actual.totals.referralsReceived;
        }
      }
      // The cases with nothing to count are the ones meant to have nothing.
      assert.equal(counted === 0, asOf < quarterRange(financialYear, 1).start);
    });
  }

  test('inside a transaction (one connection) too', async () => {
    const req = { financialYear: 2025, asOf: '2026-06-30', authorities: 'all' as const };
    const outside = await computeYearReturns(h.db, req);
    const inside = await h.db.transaction().execute((trx) => computeYearReturns(trx, req));
    assert.deepStrictEqual(inside, outside);
    assert.deepStrictEqual([...inside.keys()], [1, 2, 3, 4]);
  });
});

describe('whose return an episode counts in', () => {
  const cases: {
    name: string;
    service: keyof typeof services;
    recorded: string | null;
    quitDate: IsoDate;
    expected: string | null;
  }[] = [
    {
      name: 'two authorities commission the service: the one it was recorded against (Leeds)',
      service: 'b',
      recorded: LEEDS,
      quitDate: '2025-02-10',
      expected: LEEDS,
    },
    {
      name: 'two authorities commission the service: the one it was recorded against (Manchester)',
      service: 'b',
      recorded: MANCHESTER,
      quitDate: '2025-02-10',
      expected: MANCHESTER,
    },
    {
      name: 'two authorities commission the service, recorded against neither: the first by code',
      service: 'b',
      recorded: WAKEFIELD,
      quitDate: '2025-02-10',
      expected: MANCHESTER,
    },
    {
      name: 'two authorities commission the service, recorded against none: the first by code',
      service: 'b',
      recorded: null,
      quitDate: '2025-02-10',
      expected: MANCHESTER,
    },
    {
      name: 'one authority commissions the service: that one, whatever it was recorded against',
      service: 'a',
      recorded: WAKEFIELD,
      quitDate: '2025-05-01',
      expected: LEEDS,
    },
    {
      name: 'a service nobody commissions: the authority it was recorded against',
      service: 'd',
      recorded: WAKEFIELD,
      quitDate: '2025-05-01',
      expected: WAKEFIELD,
    },
    {
      name: 'after the commission ended: the authority it was recorded against',
      service: 'b',
      recorded: LEEDS,
      quitDate: '2025-10-15',
      expected: LEEDS,
    },
    {
      name: 'the commission on the quit date decides, not the one today',
      service: 'b',
      recorded: null,
      quitDate: '2025-09-30',
      expected: MANCHESTER,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const person = await h.db
        .insertInto('people')
        .values({
          service_organisation_id: services[c.service],
          local_authority_code: null,
          given_name: 'Case',
          family_name: c.name.slice(0, 40),
          date_of_birth: '1980-05-05',
          postcode: 'LS1 1AA',
          phone: null,
          email: null,
          nhs_number: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const episode = await h.db
        .insertInto('episodes')
        .values({
          person_id: person.id,
          service_organisation_id: services[c.service],
          local_authority_code: c.recorded,
          quit_date: c.quitDate,
          started_on: c.quitDate,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      try {
        const facts = await loadEpisodeFacts(h.db);
        assert.equal(facts.find((e) => e.episodeId === episode.id)?.localAuthorityCode, c.expected);
        // And the aggregate agrees: the episode is counted once, in that authority's return only.
        const { financialYear, quarter } = quarterOf(c.quitDate);
        const all = await computeReturns(h.db, {
          authorities: 'all',
          financialYear,
          quarter,
          asOf: '2027-01-01',
        });
        const referrals = await loadReferralFacts(h.db);
        for (const [la, ret] of all) {
          assert.deepStrictEqual(
            ret,
            computeReturn({
              episodes: facts,
              referrals,
              localAuthorityCode: la,
              financialYear,
              quarter,
              asOf: '2027-01-01',
            }),
            la,
          );
        }
      } finally {
        await h.db.deleteFrom('episodes').where('id', '=', episode.id).execute();
        await h.db.deleteFrom('people').where('id', '=', person.id).execute();
      }
    });
  }
});
