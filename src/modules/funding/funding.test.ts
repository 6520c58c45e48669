import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { figuresOf, perUnitPence, summariseByRoute, totalCostPence, type ServiceYear } from './funding.ts';

const service = (over: Partial<ServiceYear>): ServiceYear => ({
  serviceId: 's',
  name: 'S',
  localAuthorityCode: 'E08000035',
  route: 'specialist',
  costs: { contractPence: null, perPersonPence: null, perQuitPence: null },
  supported: 0,
  quits: 0,
  ...over,
});

test('a year’s cost is the contract plus each tariff times its count', () => {
  const c = { contractPence: 10_000_000, perPersonPence: 15_000, perQuitPence: 20_000 };
  assert.equal(totalCostPence(c, 100, 40), 10_000_000 + 1_500_000 + 800_000);
  assert.equal(
    totalCostPence({ contractPence: null, perPersonPence: 15_000, perQuitPence: null }, 3, 2),
    45_000,
  );
});

test('cost per person and per quit are not given when there is no one to divide by', () => {
  assert.equal(perUnitPence(100_000, 0), null);
  assert.equal(perUnitPence(100_000, 3), 33_333);
  const f = figuresOf(
    service({ costs: { contractPence: 500_000, perPersonPence: null, perQuitPence: null }, supported: 4 }),
  );
  assert.deepEqual(f, {
    costPence: 500_000,
    supported: 4,
    quits: 0,
    perPersonPence: 125_000,
    perQuitPence: null,
  });
  assert.equal(figuresOf(service({ costs: null, supported: 4 })), null);
});

test('routes add up only services with costs, and say how many have none', () => {
  const rows = summariseByRoute([
    service({
      serviceId: 'a',
      route: 'integrated',
      costs: { contractPence: 1_000_000, perPersonPence: null, perQuitPence: null },
      supported: 10,
      quits: 5,
    }),
    service({ serviceId: 'b', route: 'integrated', costs: null, supported: 90, quits: 10 }),
    service({
      serviceId: 'c',
      route: 'specialist',
      costs: { contractPence: null, perPersonPence: 20_000, perQuitPence: null },
      supported: 20,
      quits: 8,
    }),
  ]);
  assert.deepEqual(
    rows.map((r) => [
      r.route,
      r.servicesCosted,
      r.servicesWithoutCosts,
      r.costPence,
      r.supported,
      r.quits,
      r.perPersonPence,
      r.perQuitPence,
    ]),
    [
      ['integrated', 1, 1, 1_000_000, 10, 5, 100_000, 200_000],
      ['specialist', 1, 0, 400_000, 20, 8, 20_000, 50_000],
      ['pharmacy', 0, 0, 0, 0, 0, null, null],
    ],
  );
});

const arbCosts = fc.option(
  fc.record({
    contractPence: fc.option(fc.integer({ min: 0, max: 1e9 })),
    perPersonPence: fc.option(fc.integer({ min: 0, max: 1e6 })),
    perQuitPence: fc.option(fc.integer({ min: 0, max: 1e6 })),
  }),
);
const arbService = fc
  .record({
    route: fc.constantFrom('integrated', 'specialist', 'pharmacy'),
    costs: arbCosts,
    supported: fc.nat(5000),
    quitShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ quitShare, supported, ...s }) =>
    service({ ...s, supported, quits: Math.floor(supported * quitShare) }),
  );

test('over any services, the routes’ costs and counts are the sums of their costed services', () => {
  fc.assert(
    fc.property(fc.array(arbService, { maxLength: 30 }), (services) => {
      const rows = summariseByRoute(services);
      const costed = services.filter((s) => s.costs);
      assert.equal(
        rows.reduce((a, r) => a + r.costPence, 0),
        costed.reduce((a, s) => a + figuresOf(s)!.costPence, 0),
      );
      assert.equal(
        rows.reduce((a, r) => a + r.supported, 0),
        costed.reduce((a, s) => a + s.supported, 0),
      );
      assert.equal(
        rows.reduce((a, r) => a + r.servicesCosted + r.servicesWithoutCosts, 0),
        services.length,
      );
      for (const r of rows) {
        assert.ok(r.quits <= r.supported);
        if (r.supported === 0) assert.equal(r.perPersonPence, null);
        // A quit costs at least what a person supported costs: quits are some of those people.
        if (r.perQuitPence !== null && r.perPersonPence !== null)
          assert.ok(r.perQuitPence >= r.perPersonPence - 1);
      }
    }),
  );
});
