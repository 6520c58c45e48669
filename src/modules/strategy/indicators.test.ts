import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatIndicatorValue,
  indicatorOf,
  INDICATOR_CODES,
  INDICATORS,
  isIndicatorCode,
  meetsTarget,
  type IndicatorCode,
} from './indicators.ts';

// The indicators are data that every dashboard and every strategy reads: each must say what it counts,
// out of what, from where, and which way is better, and that must agree with how its value is shown.

describe('the list of indicators', () => {
  test('has the eleven indicators issue 6 asks for, in the order of INDICATOR_CODES, each once', () => {
    assert.equal(INDICATORS.length, 11);
    assert.deepEqual(
      INDICATORS.map((i) => i.code),
      [...INDICATOR_CODES],
    );
    assert.equal(new Set(INDICATORS.map((i) => i.name)).size, INDICATORS.length, 'names are distinct');
  });

  test('every indicator has a plain-English definition, a numerator and a source', () => {
    for (const i of INDICATORS) {
      for (const field of ['name', 'definition', 'numerator', 'source'] as const) {
        assert.ok(i[field].trim().length > 5, `${i.code} ${field}`);
        assert.equal(i[field], i[field].trim(), `${i.code} ${field} has no stray spaces`);
      }
      assert.match(i.definition, /[.]$/, `${i.code}: the definition is a sentence`);
    }
  });

  test('a percentage has a denominator; a count has none (it is not a share of anything)', () => {
    for (const i of INDICATORS) {
      if (i.unit === 'percent')
        assert.ok(i.denominator && i.denominator.length > 5, `${i.code} needs a denominator`);
      if (i.unit === 'count') assert.equal(i.denominator, null, `${i.code} is a count`);
    }
  });

  test('counts of things that happen are added up over quarters; rates and medians are worked out again, never added', () => {
    for (const i of INDICATORS) {
      if (i.unit === 'percent' || i.unit === 'points' || i.unit === 'days')
        assert.notEqual(i.period, 'sum', i.code);
    }
    assert.equal(indicatorOf('tt_referrals').period, 'sum');
    assert.equal(
      indicatorOf('vba_trained_staff').period,
      'end',
      'trained staff is a stock, counted at the end',
    );
    assert.equal(indicatorOf('partners_smokefree_policy').period, 'end');
  });

  test('lower is better only for the gap and the wait; higher for everything else', () => {
    const lower = INDICATORS.filter((i) => i.better === 'lower')
      .map((i) => i.code)
      .sort();
    assert.deepEqual(lower, ['days_to_first_contact', 'quit_rate_gap']);
  });

  test('the gap is the difference of the two quit rates, in points, and reach is over the estimate of need', () => {
    const gap = indicatorOf('quit_rate_gap');
    assert.equal(gap.unit, 'points');
    assert.match(gap.numerator, /everyone else minus the rate for people with depression/);
    assert.match(indicatorOf('cmhc_reach').denominator ?? '', /estimate of need/);
    assert.match(indicatorOf('co_verification_rate').numerator, /below 10 parts per million/);
  });
});

describe('isIndicatorCode and indicatorOf', () => {
  test('know every code and nothing else', () => {
    for (const code of INDICATOR_CODES) {
      assert.ok(isIndicatorCode(code));
      assert.equal(indicatorOf(code).code, code);
    }
    for (const code of [
      '',
      'TT_REFERRALS',
      'tt_referrals ',
      'quit_rate',
      'constructor',
      '__proto__',
      'toString',
    ]) {
      assert.equal(isIndicatorCode(code), false, JSON.stringify(code));
    }
    assert.throws(() => indicatorOf('nope' as IndicatorCode), /No indicator nope/);
  });
});

describe('meetsTarget', () => {
  test('higher is better: met at or above the target', () => {
    assert.equal(meetsTarget('tt_referrals', 120, 120), true);
    assert.equal(meetsTarget('tt_referrals', 121, 120), true);
    assert.equal(meetsTarget('tt_referrals', 119, 120), false);
    assert.equal(meetsTarget('cmhc_quit_rate', 45.5, 45.4), true);
  });

  test('lower is better: met at or below the target', () => {
    assert.equal(meetsTarget('days_to_first_contact', 2, 3), true);
    assert.equal(meetsTarget('days_to_first_contact', 3, 3), true);
    assert.equal(meetsTarget('days_to_first_contact', 3.5, 3), false);
    assert.equal(
      meetsTarget('quit_rate_gap', -1, 0),
      true,
      'a negative gap (people with a CMHC doing better) meets a target of no gap',
    );
    assert.equal(meetsTarget('quit_rate_gap', 6, 5), false);
  });

  test('unknown when either the value or the target is unknown, never "met"', () => {
    for (const code of INDICATOR_CODES) {
      assert.equal(meetsTarget(code, null, 10), null);
      assert.equal(meetsTarget(code, 10, null), null);
      assert.equal(meetsTarget(code, null, null), null);
    }
  });

  test('a target of zero is a target, not "no target"', () => {
    assert.equal(meetsTarget('quit_rate_gap', 0, 0), true);
    assert.equal(meetsTarget('tt_referrals', 0, 0), true);
    assert.equal(meetsTarget('quit_rate_gap', 0.1, 0), false);
  });

  test('for every indicator, a value is met exactly when it is on the better side or equal', () => {
    for (const i of INDICATORS) {
      for (const [value, t] of [
        [1, 2],
        [2, 1],
        [2, 2],
        [0, 0.5],
      ] as const) {
        const expected = i.better === 'higher' ? value >= t : value <= t;
        assert.equal(meetsTarget(i.code, value, t), expected, `${i.code} ${value} vs ${t}`);
      }
    }
  });
});

describe('formatIndicatorValue', () => {
  test('counts are whole, with thousands separated', () => {
    assert.equal(formatIndicatorValue('tt_referrals', 1234), '1,234');
    assert.equal(formatIndicatorValue('tt_referrals', 0), '0');
    assert.equal(formatIndicatorValue('vba_trained_staff', 12.6), '13');
    assert.equal(formatIndicatorValue('cmhc_quit_dates', 1_500_000), '1,500,000');
  });

  test('percentages to one decimal place, or two below 1%', () => {
    assert.equal(formatIndicatorValue('cmhc_quit_rate', 41.5), '41.5%');
    assert.equal(formatIndicatorValue('cmhc_quit_rate', 41.54), '41.5%');
    assert.equal(formatIndicatorValue('cmhc_quit_rate', 50), '50%');
    assert.equal(formatIndicatorValue('co_verification_rate', 100), '100%');
    assert.equal(formatIndicatorValue('cmhc_reach', 0.42), '0.42%');
    assert.equal(formatIndicatorValue('cmhc_reach', 0.381), '0.38%');
    assert.equal(formatIndicatorValue('cmhc_reach', 0), '0%');
  });

  test('points keep their sign; days say day or days', () => {
    assert.equal(formatIndicatorValue('quit_rate_gap', 3.25), '3.3 points');
    assert.equal(formatIndicatorValue('quit_rate_gap', -2), '-2 points');
    assert.equal(formatIndicatorValue('days_to_first_contact', 1), '1 day');
    assert.equal(formatIndicatorValue('days_to_first_contact', 4), '4 days');
    assert.equal(formatIndicatorValue('days_to_first_contact', 2.46), '2.5 days');
    assert.equal(formatIndicatorValue('days_to_first_contact', 0.96), '1 day');
  });

  test('no value, or one that is not a number, shows as "No data" (never 0)', () => {
    for (const code of INDICATOR_CODES) {
      assert.equal(formatIndicatorValue(code, null), 'No data');
      assert.equal(formatIndicatorValue(code, Number.NaN), 'No data');
      assert.equal(formatIndicatorValue(code, Number.POSITIVE_INFINITY), 'No data');
    }
  });
});
