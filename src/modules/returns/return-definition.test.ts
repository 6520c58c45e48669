import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, daysBetween } from '../../platform/dates.ts';
import { AIDS } from '../episodes/programme.ts';
import { episode, episodeFactArb, LA, OTHER_LA, referralFactArb } from './facts.fixtures.ts';
import { quarterRange, type Quarter } from '../../platform/quarters.ts';
import {
  EPISODE_MEASURES,
  MEASURES,
  countOf,
  countsOf,
  outcomeAsOf,
  type EpisodeFact,
  type ReferralFact,
  type ReturnScope,
} from './return-measures.ts';
import {
  AID_CATEGORIES,
  BREAKDOWN_KEYS,
  BREAKDOWNS,
  aidCategoryOf,
  measuresOf,
  swapToStopOf,
} from './return-breakdowns.ts';
import { computeReturn, emptyReturn } from './return-definition.ts';
import { diffReturns, figuresOf, sumReturns } from './return-figures.ts';

const Q1: ReturnScope = { localAuthorityCode: LA, financialYear: 2026, quarter: 1, asOf: '2026-08-01' };
const compute = (episodes: EpisodeFact[], referrals: ReferralFact[] = [], scope: ReturnScope = Q1) =>
  computeReturn({ episodes, referrals, ...scope });

test('the totals: set a quit date, quits (CO-verified a subset), not quit, lost and pending', () => {
  const r = compute([
    episode({ episodeId: 'a', outcome: 'quit_co_verified' }),
    episode({ episodeId: 'b', outcome: 'quit_self_reported' }),
    episode({ episodeId: 'c', outcome: 'not_quit' }),
    episode({ episodeId: 'd', outcome: 'lost_to_follow_up' }),
    episode({ episodeId: 'e', outcome: 'pending', quitDate: '2026-06-30' }),
  ]);
  assert.deepEqual(r.totals, {
    referralsReceived: 0,
    setQuitDate: 5,
    quitSelfReported: 2,
    quitCoVerified: 1,
    notQuit: 1,
    lostToFollowUp: 1,
    pending: 1,
  });
  assert.equal(r.provisional, true);
  assert.deepEqual(r.period, {
    financialYear: 2026,
    quarter: 1,
    label: '2026/27 Q1',
    start: '2026-04-01',
    end: '2026-06-30',
  });
  assert.equal(r.asOf, '2026-08-01');
});

test('people count in the quarter of their quit date, once that date has come', () => {
  const scope = { ...Q1, asOf: '2026-06-15' };
  const counted = (quitDate: string | null) => countOf('setQuitDate', [episode({ quitDate })], [], scope);
  assert.equal(counted('2026-04-01'), 1, 'first day of the quarter');
  assert.equal(counted('2026-03-31'), 0, 'the day before: last year Q4');
  assert.equal(counted('2026-06-15'), 1, 'the day the return is generated');
  assert.equal(counted('2026-06-16'), 0, 'a quit date still to come is not counted yet');
  assert.equal(counted(null), 0, 'no quit date, no episode');
  assert.equal(
    countOf('setQuitDate', [episode({ quitDate: '2026-06-30' })], [], Q1),
    1,
    'last day of the quarter',
  );
  assert.equal(countOf('setQuitDate', [episode({ quitDate: '2026-07-01' })], [], Q1), 0, 'first day of Q2');
});

test("only the authority's own episodes and referrals count", () => {
  const r = compute(
    [episode({ localAuthorityCode: OTHER_LA }), episode({ localAuthorityCode: null }), episode()],
    [
      { localAuthorityCode: OTHER_LA, receivedOn: '2026-04-02', source: 'self' },
      { localAuthorityCode: LA, receivedOn: '2026-04-02', source: 'self' },
    ],
  );
  assert.equal(r.totals.setQuitDate, 1);
  assert.equal(r.totals.referralsReceived, 1);
});

test('a pending outcome becomes lost to follow-up only after day 42, by the national rule', () => {
  const e = episode({ quitDate: '2026-05-01', outcome: 'pending' });
  const day = (n: number) => addDays('2026-05-01', n);
  assert.equal(outcomeAsOf(e, day(0)), 'pending');
  assert.equal(outcomeAsOf(e, day(42)), 'pending', 'a follow-up on day 42 still counts');
  assert.equal(outcomeAsOf(e, day(43)), 'lost_to_follow_up');
  const at = (asOf: string) => compute([e], [], { ...Q1, asOf }).totals;
  assert.deepEqual([at(day(42)).pending, at(day(42)).lostToFollowUp], [1, 0]);
  assert.deepEqual([at(day(43)).pending, at(day(43)).lostToFollowUp], [0, 1]);
  // A recorded outcome stands whatever the day.
  assert.equal(outcomeAsOf(episode({ outcome: 'not_quit' }), day(26)), 'not_quit');
  assert.equal(outcomeAsOf(episode({ outcome: 'lost_to_follow_up' }), day(60)), 'lost_to_follow_up');
});

test('referrals count in the quarter they were received, broken down by referral source only', () => {
  const r = compute(
    [],
    [
      { localAuthorityCode: LA, receivedOn: '2026-04-01', source: 'talking_therapies' },
      { localAuthorityCode: LA, receivedOn: '2026-06-30', source: 'gp_practice' },
      { localAuthorityCode: LA, receivedOn: '2026-06-30', source: 'foodbank' },
      { localAuthorityCode: LA, receivedOn: '2026-06-30', source: 'stop_smoking_service' },
      { localAuthorityCode: LA, receivedOn: '2026-06-30', source: null },
      { localAuthorityCode: LA, receivedOn: '2026-07-01', source: 'self' },
      { localAuthorityCode: LA, receivedOn: '2026-03-31', source: 'self' },
    ],
  );
  assert.equal(r.totals.referralsReceived, 5);
  const bySource = Object.fromEntries(
    Object.entries(r.breakdowns.referral_source).map(([k, v]) => [k, v.referralsReceived]),
  );
  assert.equal(bySource.talking_therapies, 1);
  assert.equal(bySource.gp_practice, 1);
  assert.equal(bySource.foodbank, 1);
  assert.equal(bySource.other, 1);
  assert.equal(bySource.not_known, 1);
  assert.equal(bySource.self, 0);
  for (const key of BREAKDOWN_KEYS.filter((k) => k !== 'referral_source')) {
    for (const cell of Object.values(r.breakdowns[key])) assert.equal(cell.referralsReceived, null, key);
  }
  assert.deepEqual(measuresOf('referral_source'), MEASURES);
  assert.deepEqual(measuresOf('sex'), EPISODE_MEASURES);
  assert.deepEqual(measuresOf('total'), MEASURES);
});

test('one aid category per person: NRT types combined, e-cigarettes together, Swap to Stop apart', () => {
  const cases: [string[], string][] = [
    [['combination_nrt'], 'nrt_only'],
    [['single_nrt', 'combination_nrt'], 'nrt_only'],
    [['varenicline'], 'varenicline_only'],
    [['cytisine'], 'cytisine_only'],
    [['bupropion'], 'bupropion_only'],
    [['single_nrt', 'varenicline'], 'more_than_one_medicine'],
    [['e_cigarette'], 'e_cigarette_only'],
    [['e_cigarette_swap_to_stop'], 'e_cigarette_only'],
    [['e_cigarette', 'e_cigarette_swap_to_stop'], 'e_cigarette_only'],
    [['combination_nrt', 'e_cigarette_swap_to_stop'], 'nrt_and_e_cigarette'],
    [['varenicline', 'e_cigarette'], 'other_medicine_and_e_cigarette'],
    [['cytisine', 'single_nrt', 'e_cigarette'], 'more_than_one_medicine_and_e_cigarette'],
    [['none'], 'none'],
    [['none', 'varenicline'], 'varenicline_only'],
    [[], 'not_known'],
    [['patch_only'], 'not_known'],
  ];
  for (const [aids, expected] of cases) assert.equal(aidCategoryOf(aids), expected, aids.join('+'));
  assert.equal(swapToStopOf(['e_cigarette_swap_to_stop', 'single_nrt']), 'yes');
  assert.equal(swapToStopOf(['e_cigarette']), 'no');
  assert.equal(swapToStopOf(['none']), 'no');
  assert.equal(swapToStopOf([]), 'not_known');
});

test('property: every combination of aids has exactly one listed category', () => {
  fc.assert(
    fc.property(fc.subarray(Object.keys(AIDS)), (aids) => {
      assert.ok(AID_CATEGORIES.codes.includes(aidCategoryOf(aids)));
    }),
  );
});

test('the mental health breakdowns: CMHC yes/no/not stated, the condition, Talking Therapies, referral source', () => {
  const r = compute([
    episode({ episodeId: 'a', mentalHealth: 'depression', referralSource: 'talking_therapies' }),
    episode({ episodeId: 'b', mentalHealth: 'both', inTalkingTherapies: 'no', referralSource: 'housing' }),
    episode({
      episodeId: 'c',
      mentalHealth: 'other',
      inTalkingTherapies: 'not_known',
      referralSource: 'self',
    }),
    episode({ episodeId: 'd', mentalHealth: 'not_known', referralSource: 'gp_practice' }),
  ]);
  const set = (key: keyof typeof r.breakdowns) =>
    Object.fromEntries(Object.entries(r.breakdowns[key]).map(([k, v]) => [k, v.setQuitDate]));
  assert.deepEqual(set('cmhc'), { yes: 2, no: 1, not_stated: 1 });
  assert.deepEqual(set('condition'), { depression: 1, anxiety: 0, both: 1, other: 1, none: 0, not_known: 1 });
  assert.deepEqual(set('in_talking_therapies'), { yes: 2, no: 1, not_known: 1 });
  assert.equal(set('referral_source').housing, 1);
  assert.equal(set('referral_source').self, 1);
  assert.ok(BREAKDOWNS.cmhc.mortarOnly && !BREAKDOWNS.sex.mortarOnly);
});

test('missing or unrecognised codes count as not known, so nobody drops out of a breakdown', () => {
  const r = compute([
    episode({
      episodeId: 'a',
      sex: null,
      ethnicCategory: 'X9',
      interventionType: '7',
      setting: 'garden',
      nsSec: null,
      dateOfBirth: null,
    }),
  ]);
  assert.equal(r.breakdowns.sex.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.ethnic_group.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.intervention_type.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.setting.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.ns_sec.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.age_band.not_known!.setQuitDate, 1);
  assert.equal(r.breakdowns.ethnic_group.white!.setQuitDate, 0);
});

test('an empty return has every category of every breakdown, at zero', () => {
  const r = emptyReturn(LA, 2026, 4);
  assert.equal(r.provisional, false);
  assert.equal(r.asOf, null);
  for (const key of BREAKDOWN_KEYS) {
    assert.deepEqual(
      Object.keys(r.breakdowns[key]).sort(),
      [...BREAKDOWNS[key].categories.codes].sort(),
      key,
    );
  }
  // Object keys that look like whole numbers ('10') come first in JavaScript; figuresOf keeps the list's order.
  const types = figuresOf(r).filter(
    (f) => f.breakdown === 'intervention_type' && f.measure === 'setQuitDate',
  );
  assert.deepEqual(
    types.map((f) => f.category),
    [...BREAKDOWNS.intervention_type.categories.codes],
  );
  assert.ok(figuresOf(r).every((f) => f.value === 0));
  const expectedFigures =
    MEASURES.length +
    BREAKDOWN_KEYS.reduce((n, k) => n + BREAKDOWNS[k].categories.codes.length * measuresOf(k).length, 0);
  assert.equal(figuresOf(r).length, expectedFigures);
});

test('a return needs a real generation date, a quarter and an authority', () => {
  assert.throws(() => compute([], [], { ...Q1, asOf: '2026-13-01' }), RangeError);
  assert.throws(() => compute([], [], { ...Q1, quarter: 5 as Quarter }), RangeError);
  assert.throws(() => compute([], [], { ...Q1, localAuthorityCode: '' }), RangeError);
});

test('diffReturns lists every figure that changed, and only those', () => {
  const before = compute([episode({ outcome: 'pending', quitDate: '2026-06-20' })], [], {
    ...Q1,
    asOf: '2026-07-01',
  });
  const after = compute([episode({ outcome: 'quit_self_reported', quitDate: '2026-06-20' })], [], {
    ...Q1,
    asOf: '2026-08-01',
  });
  assert.deepEqual(diffReturns(before, before), []);
  const changes = diffReturns(before, after);
  assert.deepEqual(
    changes.filter((c) => c.breakdown === 'total'),
    [
      { breakdown: 'total', category: 'all', measure: 'quitSelfReported', previous: 0, current: 1 },
      { breakdown: 'total', category: 'all', measure: 'pending', previous: 1, current: 0 },
    ],
  );
  // Two measures changed, in the one category of each breakdown the person is in.
  assert.equal(changes.length, 2 * (1 + BREAKDOWN_KEYS.length));
  assert.throws(() => diffReturns(before, emptyReturn(OTHER_LA, 2026, 1)), RangeError);
  assert.throws(() => diffReturns(before, emptyReturn(LA, 2026, 2)), RangeError);
});

test('diffReturns shows a category one version does not have as null', () => {
  const a = emptyReturn(LA, 2026, 1);
  const b = emptyReturn(LA, 2026, 1);
  b.breakdowns.setting.forest_school = { ...b.breakdowns.setting.community!, setQuitDate: 2 };
  delete a.breakdowns.setting.prison;
  const changes = diffReturns(a, b);
  assert.ok(
    changes.some(
      (c) =>
        c.category === 'forest_school' &&
        c.measure === 'setQuitDate' &&
        c.previous === null &&
        c.current === 2,
    ),
  );
  assert.ok(
    changes.some(
      (c) => c.category === 'prison' && c.measure === 'notQuit' && c.previous === null && c.current === 0,
    ),
  );
});

test('sumReturns adds authorities up for England or a region', () => {
  const a = compute([episode({ outcome: 'not_quit' })]);
  const b = computeReturn({
    episodes: [episode({ localAuthorityCode: OTHER_LA })],
    referrals: [],
    ...Q1,
    localAuthorityCode: OTHER_LA,
    asOf: '2026-08-02',
  });
  const england = sumReturns('E92000001', 2026, 1, [a, b]);
  assert.equal(england.localAuthorityCode, 'E92000001');
  assert.equal(england.asOf, '2026-08-02');
  assert.equal(england.totals.setQuitDate, 2);
  assert.equal(england.totals.notQuit, 1);
  assert.equal(england.breakdowns.sex.female!.setQuitDate, 2);
  assert.equal(england.breakdowns.sex.male!.referralsReceived, null);
  assert.throws(() => sumReturns('E92000001', 2026, 2, [a]), RangeError);
});

// ------------------------------------------------------------------------------------------- properties

const factsArb = fc.record({
  episodes: fc.array(episodeFactArb({ from: '2026-02-01', days: 200 }), { maxLength: 60 }),
  referrals: fc.array(referralFactArb({ from: '2026-02-01', days: 200 }), { maxLength: 30 }),
  asOf: fc.integer({ min: 0, max: 240 }).map((n) => addDays('2026-02-01', n)),
});

/**
 * A second, deliberately plain reading of docs/domain.md (Four-week outcome, Quarterly return), to check
 * computeReturn against.
 */
function oracle(episodes: EpisodeFact[], referrals: ReferralFact[], scope: ReturnScope) {
  const { start, end } = quarterRange(scope.financialYear, scope.quarter);
  const within = (d: string | null) => d !== null && d >= start && d <= end && d <= scope.asOf;
  const mine = episodes.filter(
    (e) => e.localAuthorityCode === scope.localAuthorityCode && within(e.quitDate),
  );
  const outcome = (e: EpisodeFact) =>
    e.outcome === 'pending' && daysBetween(e.quitDate!, scope.asOf) > 42 ? 'lost_to_follow_up' : e.outcome;
  const n = (p: (o: string) => boolean) => mine.filter((e) => p(outcome(e))).length;
  return {
    referralsReceived: referrals.filter(
      (r) => r.localAuthorityCode === scope.localAuthorityCode && within(r.receivedOn),
    ).length,
    setQuitDate: mine.length,
    quitSelfReported: n((o) => o === 'quit_self_reported' || o === 'quit_co_verified'),
    quitCoVerified: n((o) => o === 'quit_co_verified'),
    notQuit: n((o) => o === 'not_quit'),
    lostToFollowUp: n((o) => o === 'lost_to_follow_up'),
    pending: n((o) => o === 'pending'),
  };
}

test('property: the totals agree with a plain reading of the rules, and with countsOf and countOf', () => {
  fc.assert(
    fc.property(factsArb, ({ episodes, referrals, asOf }) => {
      const scope = { ...Q1, asOf };
      const r = computeReturn({ episodes, referrals, ...scope });
      assert.deepEqual(r.totals, oracle(episodes, referrals, scope));
      assert.deepEqual(countsOf(episodes, referrals, scope), r.totals);
      for (const m of MEASURES) assert.equal(countOf(m, episodes, referrals, scope), r.totals[m]);
    }),
    { numRuns: 300 },
  );
});

test("property: every breakdown's categories add up to the total, for every count it carries", () => {
  fc.assert(
    fc.property(factsArb, ({ episodes, referrals, asOf }) => {
      const r = computeReturn({ episodes, referrals, ...Q1, asOf });
      for (const key of BREAKDOWN_KEYS) {
        const cells = Object.values(r.breakdowns[key]);
        for (const m of measuresOf(key)) {
          assert.equal(
            cells.reduce((s, c) => s + c[m]!, 0),
            r.totals[m],
            `${key} ${m}`,
          );
        }
        if (!measuresOf(key).includes('referralsReceived'))
          assert.ok(cells.every((c) => c.referralsReceived === null));
      }
    }),
    { numRuns: 300 },
  );
});

test('property: in the total and every category, CO-verified ≤ quits and the outcomes add up to set a quit date', () => {
  fc.assert(
    fc.property(factsArb, ({ episodes, referrals, asOf }) => {
      const r = computeReturn({ episodes, referrals, ...Q1, asOf });
      const cells = [r.totals, ...BREAKDOWN_KEYS.flatMap((k) => Object.values(r.breakdowns[k]))];
      for (const c of cells) {
        assert.ok(c.quitCoVerified <= c.quitSelfReported);
        assert.equal(c.quitSelfReported + c.notQuit + c.lostToFollowUp + c.pending, c.setQuitDate);
      }
    }),
    { numRuns: 200 },
  );
});

test('property: the four quarters of a year count everyone with a quit date in the year exactly once', () => {
  fc.assert(
    fc.property(
      fc.array(episodeFactArb({ from: '2026-03-01', days: 420 }), { maxLength: 60 }),
      (episodes) => {
        const asOf = '2027-12-31';
        const quarters = ([1, 2, 3, 4] as const).map((quarter) =>
          computeReturn({
            episodes,
            referrals: [],
            localAuthorityCode: LA,
            financialYear: 2026,
            quarter,
            asOf,
          }),
        );
        const inYear = episodes.filter(
          (e) =>
            e.localAuthorityCode === LA &&
            e.quitDate !== null &&
            e.quitDate >= '2026-04-01' &&
            e.quitDate <= '2027-03-31',
        );
        assert.equal(
          quarters.reduce((s, r) => s + r.totals.setQuitDate, 0),
          inYear.length,
        );
        // Long after the year, nobody is pending any more.
        assert.ok(quarters.every((r) => r.totals.pending === 0));
      },
    ),
  );
});

test('property: a later generation date never counts fewer people or fewer lost to follow-up', () => {
  fc.assert(
    fc.property(factsArb, fc.integer({ min: 1, max: 60 }), ({ episodes, referrals, asOf }, later) => {
      const a = computeReturn({ episodes, referrals, ...Q1, asOf });
      const b = computeReturn({ episodes, referrals, ...Q1, asOf: addDays(asOf, later) });
      assert.ok(b.totals.setQuitDate >= a.totals.setQuitDate);
      assert.ok(b.totals.lostToFollowUp >= a.totals.lostToFollowUp);
      assert.ok(b.totals.referralsReceived >= a.totals.referralsReceived);
    }),
    { numRuns: 200 },
  );
});

test('property: diffReturns lists exactly the figures that differ', () => {
  fc.assert(
    fc.property(factsArb, factsArb, (x, y) => {
      const a = computeReturn({ ...x, ...Q1, asOf: x.asOf });
      const b = computeReturn({ ...y, ...Q1, asOf: y.asOf });
      const changes = diffReturns(a, b);
      const fa = figuresOf(a);
      const fb = figuresOf(b);
      assert.equal(fa.length, fb.length);
      const expected = fb.flatMap((f, i) => {
        const before = fa[i]!;
        assert.deepEqual(
          [before.breakdown, before.category, before.measure],
          [f.breakdown, f.category, f.measure],
        );
        return before.value === f.value ? [] : [[f.breakdown, f.category, f.measure, before.value, f.value]];
      });
      assert.deepEqual(
        changes.map((c) => [c.breakdown, c.category, c.measure, c.previous, c.current]),
        expected,
      );
    }),
    { numRuns: 100 },
  );
});

test('property: the sum of returns is the return of all their facts', () => {
  fc.assert(
    fc.property(factsArb, ({ episodes, referrals, asOf }) => {
      const one = (code: string) =>
        computeReturn({ episodes, referrals, ...Q1, localAuthorityCode: code, asOf });
      const both = sumReturns('E12000001', 2026, 1, [one(LA), one(OTHER_LA)]);
      const relabel = (code: string | null) => (code === LA || code === OTHER_LA ? 'E12000001' : code);
      const all = computeReturn({
        episodes: episodes.map((e) => ({ ...e, localAuthorityCode: relabel(e.localAuthorityCode) })),
        referrals: referrals.map((r) => ({ ...r, localAuthorityCode: relabel(r.localAuthorityCode) })),
        ...Q1,
        localAuthorityCode: 'E12000001',
        asOf,
      });
      assert.deepEqual(both, all);
    }),
    { numRuns: 100 },
  );
});

test('an outcome that is not a four-week outcome is refused, not counted somewhere', () => {
  const bad = episode({ outcome: 'relapsed' as EpisodeFact['outcome'] });
  assert.throws(() => compute([bad]), /Not a four-week outcome: "relapsed"/);
});
