import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock, londonDate } from './clock.ts';

test("londonDate is England's date, not UTC's, on both sides of every clock change", () => {
  // 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
  assert.equal(londonDate(new Date('2025-06-30T23:30:00Z')), '2025-07-01');
  assert.equal(londonDate(new Date('2025-12-31T23:30:00Z')), '2025-12-31');
  // The financial year turns at midnight in England: 23:30 UTC on 31 March is 1 April (BST).
  assert.equal(londonDate(new Date('2027-03-31T22:59:59Z')), '2027-03-31');
  assert.equal(londonDate(new Date('2027-03-31T23:00:00Z')), '2027-04-01');
  // Clocks go forward at 01:00 UTC on 28 March 2027 and back at 01:00 UTC on 25 October 2026.
  assert.equal(londonDate(new Date('2027-03-28T00:59:00Z')), '2027-03-28');
  assert.equal(londonDate(new Date('2027-03-27T23:59:00Z')), '2027-03-27');
  assert.equal(londonDate(new Date('2026-10-24T23:30:00Z')), '2026-10-25');
  assert.equal(londonDate(new Date('2026-10-25T23:30:00Z')), '2026-10-25');
  assert.equal(londonDate(new Date('2028-02-29T12:00:00Z')), '2028-02-29');
});

test('a fixed clock stands still, and hands out copies so nobody can move it', () => {
  const clock = fixedClock('2026-11-18T12:00:00Z');
  const a = clock.now();
  a.setFullYear(1999);
  assert.equal(clock.now().toISOString(), '2026-11-18T12:00:00.000Z');
  assert.equal(clock.today(), '2026-11-18');
  assert.throws(() => fixedClock('not a date'), /Not an instant/);
});
