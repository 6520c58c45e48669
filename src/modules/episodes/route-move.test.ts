import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { DELIVERY_ROUTES, type DeliveryRoute } from '../organisations/delivery-route.ts';
import { handoverRefusal, receivingRoute, routeMoveDecision } from './route-move.ts';

const TODAY = '2026-05-10';

test('a handover goes from mental health care to the stop smoking service, and back from either other route', () => {
  assert.equal(receivingRoute('integrated'), 'specialist');
  assert.equal(receivingRoute('specialist'), 'integrated');
  assert.equal(receivingRoute('pharmacy'), 'integrated');
  for (const r of Object.keys(DELIVERY_ROUTES) as DeliveryRoute[]) assert.notEqual(receivingRoute(r), r);
});

test('a quit attempt can be handed over until its quit date, and not from the quit date on', () => {
  const open = { outcomeKnown: false, closed: false };
  assert.equal(handoverRefusal({ ...open, quitDate: null }, TODAY), null);
  assert.equal(handoverRefusal({ ...open, quitDate: '2026-05-11' }, TODAY), null);
  assert.match(handoverRefusal({ ...open, quitDate: TODAY }, TODAY)!, /has started.*counted once/);
  assert.match(handoverRefusal({ ...open, quitDate: '2026-04-01' }, TODAY)!, /has started/);
  assert.match(
    handoverRefusal({ quitDate: '2026-04-01', outcomeKnown: true, closed: false }, TODAY)!,
    /has its four-week outcome.*new episode/,
  );
  assert.match(handoverRefusal({ quitDate: null, outcomeKnown: false, closed: true }, TODAY)!, /closed/);
});

test('property: a handover is allowed exactly when the route rule says hand over and the episode is open', () => {
  const dayArb = fc.integer({ min: -60, max: 60 }).map((n) => addDays(TODAY, n));
  fc.assert(
    fc.property(fc.option(dayArb), fc.boolean(), fc.boolean(), (quitDate, outcomeKnown, closed) => {
      const refusal = handoverRefusal({ quitDate, outcomeKnown, closed }, TODAY);
      const rule = routeMoveDecision({ quitDate, outcomeKnown }, TODAY).kind;
      assert.equal(refusal === null, rule === 'hand_over' && !closed);
      // Never once the quit date has come: the attempt counts where it was made.
      if (quitDate !== null && quitDate <= TODAY) assert.notEqual(refusal, null);
    }),
    { seed: 26, numRuns: 300 },
  );
});
