import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Period, Quarter } from '../../platform/quarters.ts';
import {
  contains,
  findOverlap,
  orderForReading,
  overlaps,
  periodLabel,
  quarterCount,
  quarterIndex,
  quartersOf,
  timingOf,
  type StrategyPeriod,
} from './strategy.periods.ts';

const Q = (financialYear: number, quarter: Quarter): Period => ({ financialYear, quarter });
const P = (a: [number, Quarter], b: [number, Quarter]): StrategyPeriod => ({ start: Q(...a), end: Q(...b) });

describe('quarters of a period', () => {
  test('runs across financial years, both ends included', () => {
    assert.deepEqual(quartersOf(P([2025, 3], [2026, 2])), [Q(2025, 3), Q(2025, 4), Q(2026, 1), Q(2026, 2)]);
    assert.equal(quarterCount(P([2025, 1], [2026, 4])), 8);
    assert.equal(quarterCount(P([2025, 2], [2025, 2])), 1);
  });

  test('an end before the start has no quarters', () => {
    assert.deepEqual(quartersOf(P([2026, 1], [2025, 4])), []);
    assert.equal(quarterCount(P([2026, 1], [2025, 4])), 0);
  });

  test('quarterIndex counts quarters: consecutive quarters differ by one, across a year end too', () => {
    assert.equal(quarterIndex(Q(2026, 1)) - quarterIndex(Q(2025, 4)), 1);
    assert.equal(quarterIndex(Q(2025, 2)) - quarterIndex(Q(2025, 1)), 1);
    const all = quartersOf(P([2020, 1], [2030, 4]));
    all.forEach((p, i) => assert.equal(quarterIndex(p) - quarterIndex(all[0]!), i));
  });

  test('contains its first and last quarter and nothing outside', () => {
    const p = P([2025, 2], [2026, 1]);
    assert.ok(contains(p, Q(2025, 2)));
    assert.ok(contains(p, Q(2026, 1)));
    assert.ok(contains(p, Q(2025, 4)));
    assert.ok(!contains(p, Q(2025, 1)));
    assert.ok(!contains(p, Q(2026, 2)));
  });

  test('labels read as the NHS writes financial quarters', () => {
    assert.equal(periodLabel(P([2025, 1], [2026, 4])), '2025/26 Q1 to 2026/27 Q4');
    assert.equal(periodLabel(P([2025, 3], [2025, 3])), '2025/26 Q3');
    assert.equal(periodLabel(P([2099, 1], [2099, 4])), '2099/00 Q1 to 2099/00 Q4');
  });
});

describe('overlap', () => {
  test('sharing one quarter is an overlap; touching end to start is not', () => {
    assert.ok(overlaps(P([2025, 1], [2025, 4]), P([2025, 4], [2026, 4])));
    assert.ok(!overlaps(P([2025, 1], [2025, 4]), P([2026, 1], [2026, 4])));
    assert.ok(!overlaps(P([2026, 1], [2026, 4]), P([2025, 1], [2025, 4])));
  });

  test('one inside the other, or the same, overlaps', () => {
    assert.ok(overlaps(P([2025, 1], [2027, 4]), P([2026, 2], [2026, 3])));
    assert.ok(overlaps(P([2026, 2], [2026, 3]), P([2025, 1], [2027, 4])));
    assert.ok(overlaps(P([2025, 1], [2025, 1]), P([2025, 1], [2025, 1])));
  });

  test('is symmetric, and agrees with "they share a quarter" for every pair of short periods in three years', () => {
    const periods: StrategyPeriod[] = [];
    const qs = quartersOf(P([2025, 1], [2027, 4]));
    for (let i = 0; i < qs.length; i++)
      for (let j = i; j < qs.length; j++) periods.push({ start: qs[i]!, end: qs[j]! });
    for (const a of periods) {
      const inA = new Set(quartersOf(a).map(quarterIndex));
      for (const b of periods) {
        const shared = quartersOf(b).some((p) => inA.has(quarterIndex(p)));
        assert.equal(overlaps(a, b), shared, `${periodLabel(a)} / ${periodLabel(b)}`);
        assert.equal(overlaps(a, b), overlaps(b, a));
      }
    }
  });

  test('findOverlap names the earliest clash and ignores the strategy being changed', () => {
    const existing = [
      { id: 'c', period: P([2027, 1], [2027, 4]) },
      { id: 'a', period: P([2025, 1], [2025, 4]) },
      { id: 'b', period: P([2026, 1], [2026, 4]) },
    ];
    assert.equal(findOverlap(P([2025, 3], [2027, 2]), existing)?.id, 'a');
    assert.equal(findOverlap(P([2026, 3], [2027, 2]), existing)?.id, 'b');
    assert.equal(findOverlap(P([2028, 1], [2028, 4]), existing), null);
    assert.equal(
      findOverlap(P([2025, 1], [2025, 2]), existing, 'a'),
      null,
      'shrinking a strategy within itself is fine',
    );
    assert.equal(
      findOverlap(P([2025, 1], [2026, 1]), existing, 'a')?.id,
      'b',
      'stretching it into the next is not',
    );
    assert.equal(findOverlap(P([2025, 1], [2025, 4]), []), null);
  });
});

describe('timing and reading order', () => {
  const today = Q(2026, 3);
  test('in force, not started or ended, by the current quarter', () => {
    assert.equal(timingOf(P([2025, 1], [2026, 4]), today), 'current');
    assert.equal(timingOf(P([2026, 3], [2026, 3]), today), 'current');
    assert.equal(timingOf(P([2026, 4], [2027, 4]), today), 'upcoming');
    assert.equal(timingOf(P([2024, 1], [2026, 2]), today), 'ended');
  });

  test('the one in force first, then upcoming soonest first, then ended most recent first', () => {
    const list = [
      { id: 'old', period: P([2022, 1], [2023, 4]) },
      { id: 'later', period: P([2028, 1], [2028, 4]) },
      { id: 'recent', period: P([2024, 1], [2025, 4]) },
      { id: 'next', period: P([2027, 1], [2027, 4]) },
      { id: 'now', period: P([2026, 1], [2026, 4]) },
    ];
    assert.deepEqual(
      orderForReading(list, today).map((s) => s.id),
      ['now', 'next', 'later', 'recent', 'old'],
    );
    assert.deepEqual(orderForReading([], today), []);
  });
});
