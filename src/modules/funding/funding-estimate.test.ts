import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ASSUMPTIONS, assumptionChanges, estimateRollout, resolveAssumptions } from './funding-estimate.ts';

test('each assumption uses the national team’s value, else Mortar’s measure, else the published figure', () => {
  const r = resolveAssumptions(
    { smoking_pct: 30 },
    { quit_pct: 48.5, cost_per_person_pence: null, tt_referrals: 5 },
  );
  const by = new Map(r.map((a) => [a.name, a]));
  assert.equal(by.get('smoking_pct')!.value, 30);
  assert.equal(by.get('smoking_pct')!.source, 'set');
  assert.equal(by.get('quit_pct')!.value, 48.5);
  assert.equal(by.get('quit_pct')!.source, 'measured');
  // Referrals are not something Mortar measures: the published figure stands.
  assert.equal(by.get('tt_referrals')!.value, 1_820_000);
  assert.equal(by.get('tt_referrals')!.source, 'published');
  assert.equal(by.get('uptake_pct')!.source, 'missing');
  assert.equal(by.get('cost_per_person_pence')!.source, 'missing');
});

test('the estimate is not given while an assumption is missing, and says which', () => {
  const e = estimateRollout(resolveAssumptions({}, {}));
  assert.equal(e.complete, false);
  assert.ok(!e.complete && e.missing.length === 3);
});

test('the estimate follows the stated chain, rounding only at the end', () => {
  const e = estimateRollout(
    resolveAssumptions({ uptake_pct: 10, quit_pct: 50, cost_per_person_pence: 25_000 }, {}),
  );
  // 1,820,000 × 26.3% = 478,660 who smoke; 10% = 47,866 supported; 50% = 23,933 quits.
  assert.deepEqual(e, {
    complete: true,
    smokers: 478_660,
    supported: 47_866,
    quits: 23_933,
    costPence: 47_866 * 25_000,
    perQuitPence: 50_000,
  });
  const none = estimateRollout(
    resolveAssumptions({ uptake_pct: 10, quit_pct: 0, cost_per_person_pence: 1 }, {}),
  );
  assert.ok(none.complete && none.perQuitPence === null && none.quits === 0);
});

test('more uptake never means fewer people supported, quits or cost', () => {
  const arb = fc.record({ a: fc.integer({ min: 0, max: 1000 }), b: fc.integer({ min: 0, max: 1000 }) });
  fc.assert(
    fc.property(
      arb,
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 0, max: 1e7 }),
      ({ a, b }, q, cost) => {
        const [lo, hi] = [Math.min(a, b) / 10, Math.max(a, b) / 10];
        const est = (uptake: number) =>
          estimateRollout(
            resolveAssumptions({ uptake_pct: uptake, quit_pct: q / 10, cost_per_person_pence: cost }, {}),
          );
        const x = est(lo);
        const y = est(hi);
        assert.ok(x.complete && y.complete);
        assert.ok(x.supported <= y.supported && x.quits <= y.quits && x.costPence <= y.costPence);
      },
    ),
  );
});

test('only what differs is a change; a blank removes the national team’s value', () => {
  assert.deepEqual(
    assumptionChanges({ smoking_pct: 26.3, uptake_pct: 10 }, { smoking_pct: 26.3, quit_pct: 40 }),
    [
      { name: 'uptake_pct', before: 10, after: null },
      { name: 'quit_pct', before: null, after: 40 },
    ],
  );
  assert.deepEqual(assumptionChanges({}, {}), []);
  assert.equal(ASSUMPTIONS.length, 5);
});
