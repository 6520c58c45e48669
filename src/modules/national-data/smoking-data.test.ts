import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { quarterOf } from '../../platform/quarters.ts';
import { askedFact } from './smoking-data.fixtures.ts';
import {
  SMOKING_MEASURES,
  countSmokingData,
  measuresOf,
  serviceTypeOf,
  type AskedFact,
  type SmokingMeasure,
} from './smoking-data.ts';

const Q1 = { financialYear: 2025, quarter: 1 } as const;
const base: AskedFact = {
  organisationType: 'gp_practice',
  localAuthorityCode: 'E08000035',
  askedOn: '2025-05-01',
  smokingStatus: '1',
  adviceGiven: true,
  referral: null,
};
const referral = (
  eventKinds: string[],
  episodes: NonNullable<AskedFact['referral']>['episodes'] = [],
): AskedFact['referral'] => ({ eventKinds, episodes });

describe('measuresOf: what one person asked counts in', () => {
  test('not asked counts nowhere', () => assert.deepEqual(measuresOf({ ...base, smokingStatus: '9' }), []));
  test('ex-smokers, people who never smoked and other answers are asked and nothing more', () => {
    for (const [s, m] of [
      ['2', 'exSmoker'],
      ['4', 'neverSmoked'],
      ['3', 'otherAnswer'],
      ['Z', 'otherAnswer'],
    ] as const) {
      // Even referred with advice (possible through the API): the funnel is of people who smoke.
      const f = {
        ...base,
        smokingStatus: s,
        referral: referral(['accepted'], [{ quitDate: '2025-05-10', outcome: 'quit_co_verified' }]),
      };
      assert.deepEqual(measuresOf(f), ['asked', m]);
    }
  });
  test('a smoker asked only, advised only, and referred', () => {
    assert.deepEqual(measuresOf({ ...base, adviceGiven: false }), ['asked', 'smokes']);
    assert.deepEqual(measuresOf(base), ['asked', 'smokes', 'advised']);
    assert.deepEqual(measuresOf({ ...base, referral: referral(['contacted']) }), [
      'asked',
      'smokes',
      'advised',
      'referred',
    ]);
  });
  test('accepted: an accepted event, or an episode started from the referral', () => {
    const accepted: SmokingMeasure[] = ['asked', 'smokes', 'advised', 'referred', 'accepted'];
    assert.deepEqual(measuresOf({ ...base, referral: referral(['accepted']) }), accepted);
    assert.deepEqual(
      measuresOf({ ...base, referral: referral([], [{ quitDate: null, outcome: null }]) }),
      accepted,
    );
    assert.deepEqual(measuresOf({ ...base, referral: referral(['declined']) }), accepted.slice(0, 4));
  });
  test('a quit counts only from an episode with a quit date, and only a quit outcome', () => {
    const ep = (quitDate: string | null, outcome: FourWeekOutcome) => ({ quitDate, outcome });
    const m = (episodes: ReturnType<typeof ep>[]) =>
      measuresOf({ ...base, referral: referral([], episodes) });
    assert.ok(!m([ep(null, 'quit_co_verified')]).includes('quitAtFourWeeks'));
    assert.ok(m([ep('2025-05-02', 'not_quit')]).includes('quitDateSet'));
    assert.ok(!m([ep('2025-05-02', 'not_quit')]).includes('quitAtFourWeeks'));
    assert.ok(!m([ep('2025-05-02', 'lost_to_follow_up')]).includes('quitAtFourWeeks'));
    assert.ok(m([ep('2025-05-02', 'quit_self_reported')]).includes('quitAtFourWeeks'));
    assert.ok(
      m([ep(null, 'quit_co_verified'), ep('2025-05-02', 'quit_co_verified')]).includes('quitAtFourWeeks'),
    );
  });
  test('property: each step is a subset of the one before it, and the statuses add up to asked', () => {
    fc.assert(
      fc.property(askedFact, (f) => {
        const m = new Set(measuresOf(f));
        const chain: SmokingMeasure[] = [
          'asked',
          'smokes',
          'referred',
          'accepted',
          'quitDateSet',
          'quitAtFourWeeks',
        ];
        for (let i = 1; i < chain.length; i++) if (m.has(chain[i]!)) assert.ok(m.has(chain[i - 1]!));
        if (m.has('advised')) assert.ok(m.has('smokes'));
        const statuses = ['smokes', 'exSmoker', 'neverSmoked', 'otherAnswer'].filter((s) =>
          m.has(s as SmokingMeasure),
        );
        assert.equal(statuses.length, m.has('asked') ? 1 : 0);
      }),
    );
  });
});

describe('serviceTypeOf', () => {
  test('Talking Therapies, GP, community and other', () => {
    assert.equal(serviceTypeOf('talking_therapies'), 'talking_therapies');
    assert.equal(serviceTypeOf('gp_practice'), 'gp');
    for (const t of [
      'community_mental_health_team',
      'pharmacy',
      'foodbank',
      'housing',
      'homelessness',
      'addiction_support',
      'family_income_support',
      'community_other',
    ])
      assert.equal(serviceTypeOf(t), 'community');
    for (const t of ['stop_smoking_service', 'local_authority', 'national_body', 'unknown'])
      assert.equal(serviceTypeOf(t), 'other');
  });
});

describe('countSmokingData', () => {
  test('property: each group counts exactly its quarter’s facts, measure by measure', () => {
    fc.assert(
      fc.property(fc.array(askedFact, { maxLength: 60 }), (facts) => {
        const rows = countSmokingData(facts, Q1);
        for (const r of rows) {
          const mine = facts.filter((f) => {
            const q = quarterOf(f.askedOn);
            return (
              q.financialYear === 2025 &&
              q.quarter === 1 &&
              serviceTypeOf(f.organisationType) === r.serviceType &&
              f.localAuthorityCode === r.localAuthorityCode
            );
          });
          for (const m of SMOKING_MEASURES)
            assert.equal(r.counts[m], mine.filter((f) => measuresOf(f).includes(m)).length, m);
          assert.ok(r.counts.asked > 0, 'no empty groups');
        }
        const total = rows.reduce((n, r) => n + r.counts.asked, 0);
        const expected = facts.filter(
          (f) =>
            f.smokingStatus !== '9' &&
            quarterOf(f.askedOn).quarter === 1 &&
            quarterOf(f.askedOn).financialYear === 2025,
        ).length;
        assert.equal(total, expected);
      }),
    );
  });
  test('the quarter is the day asked: 31 March is the last quarter, 1 April the first', () => {
    const rows = countSmokingData(
      [
        { ...base, askedOn: '2025-03-31' },
        { ...base, askedOn: '2025-04-01' },
        { ...base, askedOn: '2025-06-30' },
        { ...base, askedOn: '2025-07-01' },
      ],
      Q1,
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.counts.asked, 2);
  });
});
