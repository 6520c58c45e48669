import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { requestFingerprint, sameRequest } from './idempotency.ts';

/** The same value with every object's keys in reverse order. */
const reversed = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  return v;
};

test('the fingerprint does not depend on the order of keys or on spacing', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const again = JSON.parse(JSON.stringify(reversed(value), null, 2));
      assert.equal(requestFingerprint(again), requestFingerprint(value));
    }),
    { seed: 20260310, numRuns: 300 },
  );
});

test('a different value anywhere gives a different fingerprint', () => {
  const body = { givenName: 'Ada', contactMethods: ['email'], nested: { a: 1 } };
  const others = [
    { ...body, givenName: 'Bryn' },
    { ...body, contactMethods: ['email', 'phone'] },
    { ...body, nested: { a: 2 } },
    { ...body, extra: null },
    { givenName: 'Ada', contactMethods: ['email'] },
  ];
  for (const other of others) assert.notEqual(requestFingerprint(other), requestFingerprint(body));
  // Arrays keep their order: the order of a list can be meaningful.
  assert.notEqual(requestFingerprint([1, 2]), requestFingerprint([2, 1]));
});

test('a referral stored before fingerprints were kept still answers its retry', () => {
  const idem = { key: 'k', fingerprint: requestFingerprint({ a: 1 }) };
  assert.equal(sameRequest(null, idem), true);
  assert.equal(sameRequest(idem.fingerprint, idem), true);
  assert.equal(sameRequest(requestFingerprint({ a: 2 }), idem), false);
});
