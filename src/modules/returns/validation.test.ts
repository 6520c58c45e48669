import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { episode, episodeFactArb, LA } from './facts.fixtures.ts';
import type { EpisodeFact } from './return-measures.ts';
import { computeReturn, emptyReturn, type QuarterlyReturn } from './return-definition.ts';
import { checkMissingData } from './data-quality.ts';
import { ISSUE_CODES } from './validation-issues.ts';
import {
  canSignOff,
  checkBreakdownSums,
  checkCoVerified,
  checkOutcomesAddUp,
  checkPending,
  checkSettingExceptions,
  validateReturn,
} from './validation.ts';

const scope = { localAuthorityCode: LA, financialYear: 2026, quarter: 1 as const, asOf: '2026-09-01' };
const compute = (episodes: EpisodeFact[], asOf = scope.asOf) =>
  computeReturn({ episodes, referrals: [], ...scope, asOf });

/** n people in a setting, `quits` of whom quit and the rest did not. */
const setting = (name: string, n: number, quits: number) =>
  Array.from({ length: n }, (_, i) =>
    episode({
      episodeId: `${name}-${i}`,
      setting: name,
      outcome: i < quits ? 'quit_self_reported' : 'not_quit',
    }),
  );

test('a computed return with complete data has no issues and can be signed off', () => {
  const facts = setting('community', 10, 5);
  const issues = validateReturn({ ret: compute(facts), episodes: facts });
  assert.deepEqual(issues, []);
  assert.equal(canSignOff(issues), true);
});

test('CO-verified above self-reported quits is an error, in the total and in each category', () => {
  const r = emptyReturn(LA, 2026, 1);
  r.totals.quitCoVerified = 3;
  r.totals.quitSelfReported = 2;
  r.breakdowns.sex.female!.quitCoVerified = 1;
  const issues = checkCoVerified(r);
  assert.equal(issues.length, 2);
  assert.deepEqual(issues[0]!.where, { breakdown: 'total', measure: 'quitCoVerified' });
  assert.equal(
    issues[0]!.message,
    'The total: 3 CO-verified quits but only 2 self-reported quits. Every CO-verified quit is also a self-reported quit, so there cannot be more of them.',
  );
  assert.deepEqual(issues[1]!.where, { breakdown: 'sex', category: 'female', measure: 'quitCoVerified' });
  assert.match(issues[1]!.message, /^Sex, Female: 1 CO-verified quit but only 0 self-reported quits/);
  assert.ok(issues.every((i) => i.severity === 'error' && i.code === 'co_verified_above_quits'));
  assert.equal(canSignOff(issues), false);
});

test('a breakdown that does not add up to its total is an error, for each count', () => {
  const r = compute(setting('community', 10, 5));
  r.breakdowns.ethnic_group.white!.setQuitDate -= 2;
  r.breakdowns.referral_source.gp_practice!.referralsReceived = 4;
  const issues = checkBreakdownSums(r);
  assert.deepEqual(
    issues.map((i) => [i.where.breakdown, i.where.measure, i.message]),
    [
      [
        'ethnic_group',
        'setQuitDate',
        'Ethnic group: the categories add up to 8 people who set a quit date, but the total is 10.',
      ],
      [
        'referral_source',
        'referralsReceived',
        'Referral source: the categories add up to 4 referrals received, but the total is 0.',
      ],
    ],
  );
});

test('everyone who set a quit date has one outcome: an error where they do not add up', () => {
  const r = emptyReturn(LA, 2026, 1);
  r.totals.setQuitDate = 10;
  r.totals.quitSelfReported = 4;
  r.totals.notQuit = 4;
  const [issue] = checkOutcomesAddUp(r);
  assert.equal(issue!.code, 'outcomes_do_not_add_up');
  assert.match(
    issue!.message,
    /10 people who set a quit date, but quit \(4\), not quit \(4\), lost to follow-up \(0\) and waiting for follow-up \(0\) add up to 8/,
  );
});

test('a setting at or below 35% or at or above 70% needs a written reason: exactly 35% and 70% count', () => {
  const facts = [
    ...setting('pharmacy', 20, 7), // 35%
    ...setting('community', 20, 8), // 40%
    ...setting('hospital', 10, 7), // 70%
    ...setting('dental', 10, 6), // 60%
    ...setting('prison', 3, 0), // 0%
  ];
  const r = compute(facts);
  const missing = checkSettingExceptions(r, {});
  // In the order of the settings list.
  assert.deepEqual(
    missing.map((i) => i.where.category),
    ['hospital', 'pharmacy', 'prison'],
  );
  assert.ok(missing.every((i) => i.code === 'setting_exception_reason_missing' && i.severity === 'error'));
  assert.equal(
    missing[1]!.message,
    "Pharmacy: 7 of 20 people who set a quit date quit (35%), at or below 35%. The national data set needs a written reason for a setting's quit rate at or below 35% or at or above 70%.",
  );
  assert.match(
    missing[0]!.message,
    /^Hospital: 7 of 10 people who set a quit date quit \(70%\), at or above 70%/,
  );

  const some = checkSettingExceptions(r, {
    pharmacy: 'A new service started in May.',
    hospital: '   ',
    community: 'Old reason',
  });
  assert.deepEqual(
    some.map((i) => [i.code, i.where.category]),
    [
      ['setting_exception_reason_missing', 'hospital'],
      ['setting_exception_reason_missing', 'prison'],
      ['setting_exception_reason_not_needed', 'community'],
    ],
  );
  assert.equal(some[2]!.severity, 'warning');
  // Other bands can be configured.
  assert.deepEqual(
    checkSettingExceptions(r, {}, { low: 10, high: 90 }).map((i) => i.where.category),
    ['prison'],
  );
});

test('the exception message warns when people are still waiting, since the rate may rise', () => {
  const facts = [
    ...setting('pharmacy', 4, 1),
    episode({ episodeId: 'p', setting: 'pharmacy', outcome: 'pending', quitDate: '2026-06-29' }),
  ];
  const [issue] = checkSettingExceptions(compute(facts, '2026-07-10'));
  assert.match(issue!.message, /1 person waiting for follow-up here, so the rate may change/);
});

test('missing data: counts per item with the episodes to fix; "not stated" is an answer, not missing', () => {
  const facts = [
    episode({ episodeId: 'a', ethnicCategory: null, sex: 'not_stated' }),
    episode({ episodeId: 'b', ethnicCategory: '99' }),
    episode({ episodeId: 'c', ethnicCategory: 'Z' }),
    episode({ episodeId: 'd', ethnicCategory: 'W1', aids: [], dateOfBirth: null }),
    episode({
      episodeId: 'e',
      aids: ['none', 'patch_only'],
      mentalHealth: 'not_known',
      referralSource: 'carrier_pigeon',
    }),
    episode({ episodeId: 'f', quitDate: '2026-07-02', ethnicCategory: null }), // not in the return
  ];
  const issues = checkMissingData(compute(facts), facts);
  const byItem = Object.fromEntries(issues.map((i) => [`${i.code}:${i.where.item}`, i]));
  assert.deepEqual(byItem['missing_data:ethnicCategory']!.episodeIds, ['a', 'b']);
  assert.equal(
    byItem['missing_data:ethnicCategory']!.message,
    '2 people who set a quit date have no ethnic category recorded.',
  );
  assert.equal(byItem['missing_data:ethnicCategory']!.count, 2);
  assert.deepEqual(byItem['missing_data:ethnicCategory']!.where, {
    breakdown: 'ethnic_group',
    item: 'ethnicCategory',
  });
  assert.deepEqual(byItem['unrecognised_code:ethnicCategory']!.episodeIds, ['d']);
  assert.equal(
    byItem['unrecognised_code:ethnicCategory']!.message,
    '1 person who set a quit date has an ethnic category that Mortar does not recognise ("W1"), so it is counted as not known.',
  );
  assert.deepEqual(byItem['missing_data:aids']!.episodeIds, ['d']);
  assert.deepEqual(byItem['unrecognised_code:aids']!.episodeIds, ['e']);
  assert.deepEqual(byItem['missing_data:dateOfBirth']!.episodeIds, ['d']);
  assert.deepEqual(byItem['missing_data:mentalHealth']!.episodeIds, ['e']);
  assert.deepEqual(byItem['unrecognised_code:referralSource']!.episodeIds, ['e']);
  assert.equal(byItem['missing_data:sex'], undefined, 'not stated is an answer');
  assert.ok(issues.every((i) => i.severity === 'warning'));
  assert.equal(canSignOff(issues), true);
});

test('a date of birth after the quit date, and a quit date before the referral, are reported', () => {
  const facts = [
    episode({ episodeId: 'a', dateOfBirth: '2026-06-01', quitDate: '2026-05-01' }),
    episode({ episodeId: 'b', referralReceivedOn: '2026-05-10', quitDate: '2026-05-01' }),
  ];
  const issues = checkMissingData(compute(facts), facts);
  const dob = issues.find((i) => i.where.item === 'dateOfBirth')!;
  assert.equal(dob.code, 'unrecognised_code');
  assert.deepEqual(dob.episodeIds, ['a']);
  const early = issues.find((i) => i.code === 'quit_date_before_referral')!;
  assert.deepEqual(early.episodeIds, ['b']);
  assert.equal(
    early.message,
    '1 person who set a quit date has a quit date before the service received the referral. Check the dates.',
  );
});

test('people still waiting for follow-up: a warning that says when the return will be complete', () => {
  const facts = [episode({ episodeId: 'w', outcome: 'pending', quitDate: '2026-06-20' }), episode()];
  const [issue] = checkPending(compute(facts, '2026-07-05'), facts);
  assert.equal(issue!.code, 'outcomes_pending');
  assert.equal(issue!.severity, 'warning');
  assert.deepEqual(issue!.episodeIds, ['w']);
  assert.equal(
    issue!.message,
    '1 person who set a quit date is still waiting for the four-week follow-up. This provisional return will have every outcome if it is generated again after 11 August 2026.',
  );
  assert.deepEqual(checkPending(compute(facts, '2026-08-12'), facts), []);
});

test('an imported return (no generation date, no episodes) gets the figure checks only', () => {
  const r = emptyReturn(LA, 2026, 4);
  r.totals.setQuitDate = 5;
  r.totals.pending = 5;
  const issues = validateReturn({ ret: r });
  assert.deepEqual(
    issues.map((i) => i.code),
    // Every breakdown is short of both the people who set a quit date and the ones pending.
    Array(32).fill('breakdown_does_not_add_up').concat(['outcomes_pending']),
  );
  assert.match(
    issues.at(-1)!.message,
    /This is the final \(Q4\) return, and it will have every outcome if it is generated again after 12 May 2027/,
  );
});

test('validateReturn lists errors before warnings, and every issue has a known code and its severity', () => {
  const facts = [
    ...setting('prison', 3, 0),
    episode({ episodeId: 'x', sex: null, setting: 'prison', outcome: 'not_quit' }),
  ];
  const issues = validateReturn({ ret: compute(facts), episodes: facts });
  assert.deepEqual(
    issues.map((i) => i.code),
    ['setting_exception_reason_missing', 'missing_data'],
  );
  for (const i of issues) assert.equal(i.severity, ISSUE_CODES[i.code]);
  assert.equal(canSignOff(issues), false);
  assert.equal(
    canSignOff(
      validateReturn({
        ret: compute(facts),
        episodes: facts,
        exceptionReasons: { prison: 'Short sentences.' },
      }),
    ),
    true,
  );
});

test('property: a computed return never fails a figure check, whatever the facts', () => {
  fc.assert(
    fc.property(
      fc.array(episodeFactArb({ from: '2026-03-01', days: 150 }), { maxLength: 50 }),
      fc.integer({ min: 0, max: 200 }),
      (episodes, d) => {
        const ret = compute(episodes, addDays('2026-03-01', d));
        const figureChecks = [
          ...checkCoVerified(ret),
          ...checkBreakdownSums(ret),
          ...checkOutcomesAddUp(ret),
        ];
        assert.deepEqual(figureChecks, []);
        // Every data-quality issue points at episodes the return counts, and its count matches.
        const issues = validateReturn({ ret, episodes });
        for (const i of issues) {
          if (i.episodeIds) {
            assert.equal(i.count, i.episodeIds.length);
            assert.ok(i.count <= ret.totals.setQuitDate);
          }
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('property: any change to one figure of a computed return is caught by an error', () => {
  fc.assert(
    fc.property(
      fc.array(episodeFactArb({ from: '2026-03-15', days: 120 }), { minLength: 1, maxLength: 30 }),
      fc.constantFrom('sex', 'age_band', 'cmhc', 'aid', 'setting', 'referral_source'),
      fc.constantFrom('setQuitDate', 'quitSelfReported', 'notQuit', 'lostToFollowUp', 'pending'),
      fc.integer({ min: 1, max: 5 }),
      (episodes, breakdown, measure, delta) => {
        const ret: QuarterlyReturn = compute(episodes);
        const category = Object.keys(ret.breakdowns[breakdown])[0]!;
        ret.breakdowns[breakdown][category]![measure] += delta;
        assert.equal(
          canSignOff(validateReturn({ ret, exceptionReasons: new Proxy({}, { get: () => 'reason' }) })),
          false,
        );
      },
    ),
    { numRuns: 100 },
  );
});
