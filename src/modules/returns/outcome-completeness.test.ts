import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areOutcomesComplete, outcomesCompleteAfter } from './outcome-completeness.ts';

test('outcomes for a quarter are complete after day 42 from its last day', () => {
  assert.equal(outcomesCompleteAfter(2026, 1), '2026-08-11');
  assert.equal(outcomesCompleteAfter(2026, 4), '2027-05-12');
  assert.equal(areOutcomesComplete(2026, 1, '2026-08-11'), false, 'a follow-up on day 42 still counts');
  assert.equal(areOutcomesComplete(2026, 1, '2026-08-12'), true);
});
