// How the commissioner's dashboard compares a value with a target: the pure parts (hazard H64).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { indicatorOf, INDICATORS } from '../strategy/indicators.ts';
import { progressOf, spanTarget } from './commissioner-dashboard.service.ts';
import { periodFromQuery } from './dashboard-periods.ts';

describe('spanTarget: the target for several quarters', () => {
  const referrals = indicatorOf('tt_referrals');
  test('counts add up, and only when every quarter has a target', () => {
    assert.equal(spanTarget(referrals, [60, 70, 80]), 210);
    assert.equal(spanTarget(referrals, [60, null, 80]), null);
    assert.equal(spanTarget(referrals, []), null);
  });
  test('rates, gaps, days and stocks are never added: the last quarter’s target stands', () => {
    for (const i of INDICATORS.filter((x) => x.period !== 'sum')) {
      assert.equal(spanTarget(i, [40, 45, 50]), 50, i.code);
      assert.equal(spanTarget(i, [40, 45, null]), null, i.code);
    }
  });
});

describe('progressOf', () => {
  test('met and not met follow which way is better', () => {
    assert.equal(progressOf('cmhc_quit_rate', 55, 50), 'met');
    assert.equal(progressOf('cmhc_quit_rate', 45, 50), 'not_met');
    assert.equal(progressOf('quit_rate_gap', 3, 5), 'met');
    assert.equal(progressOf('quit_rate_gap', 7, 5), 'not_met');
    assert.equal(progressOf('days_to_first_contact', 2, 2), 'met');
  });
  test('no target, and no data, are said as such rather than as not met', () => {
    assert.equal(progressOf('tt_referrals', 10, null), 'no_target');
    assert.equal(progressOf('tt_referrals', null, 10), 'no_data');
  });
});

describe('periodFromQuery', () => {
  const today = '2026-11-26';
  test('a quarter that has begun, within five years, is taken', () => {
    assert.deepEqual(periodFromQuery({ period: '2025-4' }, today), { financialYear: 2025, quarter: 4 });
  });
  test('anything else falls back to the current quarter', () => {
    for (const period of ['2027-1', '2019-1', '2026-5', 'x', '', undefined, ['2025-1']]) {
      assert.deepEqual(
        periodFromQuery({ period }, today),
        { financialYear: 2026, quarter: 3 },
        String(period),
      );
    }
  });
});
