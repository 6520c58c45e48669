import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPence, parsePounds, poundsInput } from './money.ts';

test('pounds as people type them become exact pence', () => {
  assert.deepEqual(parsePounds('£12,500'), { pence: 1_250_000 });
  assert.deepEqual(parsePounds(' 12500.5 '), { pence: 1_250_050 });
  assert.deepEqual(parsePounds('£ 0.07'), { pence: 7 });
  assert.deepEqual(parsePounds('1,234,567.89'), { pence: 123_456_789 });
  assert.deepEqual(parsePounds(''), { pence: null });
  assert.deepEqual(parsePounds('   '), { pence: null });
  assert.deepEqual(parsePounds('£'), { pence: null }, 'the prefix alone is a blank box');
});

test('anything that is not an amount in pounds and pence is refused, not guessed', () => {
  for (const s of ['1,50', '12.345', '-5', '£-5', '1e6', 'ten', '12.', '1,2345', '0x10', '١٢'])
    assert.deepEqual(parsePounds(s), { error: 'not-money' }, s);
  assert.deepEqual(parsePounds('1000000001'), { error: 'too-large' });
  assert.deepEqual(parsePounds('101', 100), { error: 'too-large' });
  assert.deepEqual(parsePounds('100.01', 100), { error: 'too-large' });
  assert.deepEqual(parsePounds('100', 100), { pence: 10_000 });
});

test('what a form shows back reads back to the same pence', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), (pence) => {
      assert.deepEqual(parsePounds(poundsInput(pence)), { pence });
      assert.deepEqual(parsePounds(formatPence(pence)), { pence });
    }),
  );
  assert.equal(poundsInput(null), '');
});

test('amounts are shown in pounds, whole pounds without pence', () => {
  assert.equal(formatPence(1_250_000), '£12,500');
  assert.equal(formatPence(1_250_050), '£12,500.50');
  assert.equal(formatPence(1_250_050, true), '£12,501');
  assert.equal(formatPence(7), '£0.07');
});
