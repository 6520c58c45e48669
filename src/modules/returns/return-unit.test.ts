import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { computeReturn } from './return-definition.ts';
import { countsInSetQuitDate, type EpisodeFact } from './return-measures.ts';
import { episode, episodeFactArb, LA, OTHER_LA } from './facts.fixtures.ts';
import {
  integratedUnitKey,
  returnUnitOf,
  routeMoveDecision,
  unitKey,
  unitKeyOf,
  unitOfKey,
} from './return-unit.ts';
import { DELIVERY_ROUTES, type DeliveryRoute } from '../organisations/delivery-route.ts';

const TT = '00000000-0000-4000-8000-000000000002';
const Q1 = { financialYear: 2026, quarter: 1 as const, asOf: '2026-07-15' };
const scopeOf = (key: string) => ({ localAuthorityCode: key, ...Q1 });

test('an integrated episode counts in its service’s integrated return, never the authority’s', () => {
  const e = episode({ serviceOrganisationId: TT, deliveryRoute: 'integrated' });
  assert.deepEqual(returnUnitOf(e), { kind: 'integrated_service', serviceOrganisationId: TT });
  assert.equal(countsInSetQuitDate(e, scopeOf(LA)), false);
  assert.equal(countsInSetQuitDate(e, scopeOf(integratedUnitKey(TT))), true);
  assert.equal(computeReturn({ episodes: [e], referrals: [], ...scopeOf(LA) }).totals.setQuitDate, 0);
  const tt = computeReturn({ episodes: [e], referrals: [], ...scopeOf(integratedUnitKey(TT)) });
  assert.equal(tt.totals.setQuitDate, 1);
  assert.equal(tt.totals.quitCoVerified, 1);
});

test('specialist and pharmacy episodes (and facts made before routes) count for their authority', () => {
  for (const deliveryRoute of ['specialist', 'pharmacy', undefined] as const) {
    const e = episode({ deliveryRoute });
    assert.deepEqual(returnUnitOf(e), { kind: 'local_authority', code: LA });
    assert.equal(countsInSetQuitDate(e, scopeOf(LA)), true);
    assert.equal(countsInSetQuitDate(e, scopeOf(integratedUnitKey(e.serviceOrganisationId))), false);
  }
  assert.equal(returnUnitOf(episode({ localAuthorityCode: null })), null);
  // An integrated episode needs no authority to be counted: its service's return holds it.
  assert.notEqual(returnUnitOf(episode({ localAuthorityCode: null, deliveryRoute: 'integrated' })), null);
});

test('unit keys go both ways and an authority code never reads as an integrated key', () => {
  for (const unit of [
    { kind: 'local_authority', code: LA } as const,
    { kind: 'integrated_service', serviceOrganisationId: TT } as const,
  ]) {
    assert.deepEqual(unitOfKey(unitKey(unit)), unit);
  }
  assert.equal(unitOfKey(LA).kind, 'local_authority');
});

const routeArb = fc.constantFrom<DeliveryRoute | undefined>(
  ...(Object.keys(DELIVERY_ROUTES) as DeliveryRoute[]),
  undefined,
);
const routedArb = fc
  .tuple(
    episodeFactArb({ from: '2026-03-01', days: 160, localAuthorityCodes: [LA, OTHER_LA, null] }),
    routeArb,
  )
  .map(([e, deliveryRoute]): EpisodeFact => ({ ...e, deliveryRoute }));

test('property: across every return there is, each episode counts once or (no unit, no quit date in the quarter) not at all', () => {
  fc.assert(
    fc.property(fc.array(routedArb, { maxLength: 40 }), (episodes) => {
      const keys = new Set<string>([LA, OTHER_LA]);
      for (const e of episodes) {
        const k = unitKeyOf(e);
        if (k !== null) keys.add(k);
      }
      const returns = [...keys].map((k) => computeReturn({ episodes, referrals: [], ...scopeOf(k) }));
      for (const e of episodes) {
        const countedIn = [...keys].filter((k) => countsInSetQuitDate(e, scopeOf(k)));
        const inQuarter = e.quitDate !== null && e.quitDate >= '2026-04-01' && e.quitDate <= '2026-06-30';
        assert.equal(countedIn.length, inQuarter && unitKeyOf(e) !== null ? 1 : 0);
        if (e.deliveryRoute === 'integrated')
          assert.ok(countedIn.every((k) => !keys.has(k) || k.startsWith('integrated:')));
      }
      const total = returns.reduce((n, r) => n + r.totals.setQuitDate, 0);
      const expected = episodes.filter((e) =>
        [...keys].some((k) => countsInSetQuitDate(e, scopeOf(k))),
      ).length;
      assert.equal(total, expected);
    }),
    { seed: 12, numRuns: 200 },
  );
});

test('moving between routes: handed over before the quit date, kept until the outcome after it', () => {
  const today = '2026-05-10';
  assert.equal(routeMoveDecision({ quitDate: null, outcomeKnown: false }, today).kind, 'hand_over');
  assert.equal(routeMoveDecision({ quitDate: '2026-05-11', outcomeKnown: false }, today).kind, 'hand_over');
  assert.equal(
    routeMoveDecision({ quitDate: '2026-05-10', outcomeKnown: false }, today).kind,
    'stay_until_outcome',
  );
  assert.equal(routeMoveDecision({ quitDate: '2026-04-01', outcomeKnown: true }, today).kind, 'new_episode');
});

test('property: a handed-over episode is one episode, counted once, in the receiver’s return', () => {
  fc.assert(
    fc.property(routedArb, routeArb, (e, to) => {
      if (routeMoveDecision({ quitDate: e.quitDate, outcomeKnown: false }, '2026-03-01').kind !== 'hand_over')
        return;
      const moved: EpisodeFact = { ...e, deliveryRoute: to, serviceOrganisationId: TT };
      const keys = [LA, OTHER_LA, integratedUnitKey(TT), integratedUnitKey(e.serviceOrganisationId)];
      const before = new Set(keys.filter((k) => countsInSetQuitDate(e, scopeOf(k))));
      const after = new Set(keys.filter((k) => countsInSetQuitDate(moved, scopeOf(k))));
      assert.ok(before.size <= 1 && after.size <= 1);
    }),
    { seed: 12, numRuns: 200 },
  );
});
