import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OUTCOMES } from '../episodes/four-week-outcome.ts';
import { DELIVERY_ROUTES, type DeliveryRoute } from '../organisations/delivery-route.ts';
import { outcomesByRoute, rateOf, type RouteOutcomeCount } from './outcomes-by-route.ts';

test('a row per route, every route present, and all routes added up', () => {
  const rows = outcomesByRoute([
    { route: 'integrated', outcome: 'quit_co_verified', n: 3 },
    { route: 'integrated', outcome: 'not_quit', n: 1 },
    { route: 'specialist', outcome: 'quit_self_reported', n: 2 },
  ]);
  assert.deepEqual(
    rows.map((r) => r.route),
    ['integrated', 'specialist', 'pharmacy', 'all'],
  );
  const [integrated, specialist, pharmacy, all] = rows;
  assert.equal(integrated!.setQuitDate, 4);
  assert.deepEqual(integrated!.quitRate, { numerator: 3, denominator: 4, percent: 75 });
  assert.deepEqual(integrated!.coVerifiedRate, { numerator: 3, denominator: 4, percent: 75 });
  assert.deepEqual(specialist!.coVerifiedRate, { numerator: 0, denominator: 2, percent: 0 });
  assert.equal(pharmacy!.quitRate.percent, null, 'no rate when nobody set a quit date, not 0%');
  assert.equal(all!.setQuitDate, 6);
  assert.equal(all!.quitSelfReported, 5);
});

test('a rate is refused when it is not one', () => {
  assert.throws(() => rateOf(3, 2), RangeError);
  assert.throws(() => rateOf(-1, 2), RangeError);
  assert.equal(rateOf(1, 3).percent, 33.3);
  assert.throws(() => outcomesByRoute([{ route: 'elsewhere' as DeliveryRoute, outcome: 'not_quit', n: 1 }]));
});

const countArb = fc.record({
  route: fc.constantFrom(...(Object.keys(DELIVERY_ROUTES) as DeliveryRoute[])),
  outcome: fc.constantFrom(...OUTCOMES),
  n: fc.integer({ min: 0, max: 50 }),
});

test('property: outcomes add up to set a quit date in every row, and the routes add up to all', () => {
  fc.assert(
    fc.property(fc.array(countArb, { maxLength: 30 }), (counts: RouteOutcomeCount[]) => {
      const rows = outcomesByRoute(counts);
      for (const r of rows) {
        assert.equal(r.setQuitDate, r.quitSelfReported + r.notQuit + r.lostToFollowUp + r.pending);
        assert.ok(r.quitCoVerified <= r.quitSelfReported);
      }
      const all = rows.at(-1)!;
      assert.equal(
        rows.slice(0, -1).reduce((n, r) => n + r.setQuitDate, 0),
        all.setQuitDate,
      );
      assert.equal(
        all.setQuitDate,
        counts.reduce((n, c) => n + c.n, 0),
      );
    }),
    { seed: 12 },
  );
});
