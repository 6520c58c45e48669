import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRelapse } from './relapse.schemas.ts';

const ctx = { today: '2027-06-10', quitDate: '2027-03-01' };
const body = (over: Record<string, string> = {}) => ({
  'relapsedOn-day': '20',
  'relapsedOn-month': '5',
  'relapsedOn-year': '2027',
  whatHappened: ' A hard week at work ',
  preventionPlan: 'Call the adviser; keep the patches for 12 weeks',
  ...over,
});

test('a relapse date between the last quit date and today, and both parts of the plan', () => {
  const parsed = parseRelapse(body(), ctx);
  assert.deepEqual(parsed, {
    ok: true,
    data: {
      relapsedOn: '2027-05-20',
      whatHappened: 'A hard week at work',
      preventionPlan: 'Call the adviser; keep the patches for 12 weeks',
    },
  });
  assert.equal(parseRelapse(body({ 'relapsedOn-day': '1', 'relapsedOn-month': '3' }), ctx).ok, true);
  // Years later is fine: people come back.
  assert.equal(parseRelapse(body({ 'relapsedOn-year': '2027' }), { ...ctx, today: '2031-01-01' }).ok, true);
});

test('mistakes are named in page order, each at its field', () => {
  const parsed = parseRelapse(
    body({ 'relapsedOn-day': '28', 'relapsedOn-month': '2', whatHappened: '', preventionPlan: '' }),
    ctx,
  );
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  assert.deepEqual(
    parsed.errors.list.map((e) => [e.href, e.text]),
    [
      [
        '#relapsedOn-day',
        'Date they started smoking again cannot be before the quit date of the last attempt (1 March)',
      ],
      ['#whatHappened', 'Enter what led to smoking again'],
      ['#preventionPlan', 'Enter the plan to stay smokefree this time'],
    ],
  );
  const future = parseRelapse(body({ 'relapsedOn-month': '7' }), ctx);
  assert.equal(future.ok, false);
  const missing = parseRelapse(
    body({ 'relapsedOn-day': '', 'relapsedOn-month': '', 'relapsedOn-year': '' }),
    ctx,
  );
  assert.equal(!missing.ok && missing.errors.list[0]?.text, 'Enter the date they started smoking again');
  const long = parseRelapse(body({ preventionPlan: 'x'.repeat(2001) }), ctx);
  assert.equal(!long.ok && long.errors.list[0]?.href, '#preventionPlan');
});
