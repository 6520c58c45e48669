import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  afterFailure,
  failuresAt,
  forgetAt,
  NO_FAILURES,
  nextTryAt,
  throttleRules,
  verdict,
  waitAfter,
  waitInWords,
  type ThrottleRule,
  type ThrottleState,
} from './sign-in-throttle.ts';

const T0 = new Date('2025-06-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;

const DEFAULTS = throttleRules({ freeFailures: 5, maxWaitMs: 15 * MIN, accountMaxWaitMs: 60_000 });

test('the defaults: 5 free from one address, 10 for an account from anywhere, 20 for one address', () => {
  assert.equal(DEFAULTS.accountFromAddress.freeFailures, 5);
  assert.equal(DEFAULTS.account.freeFailures, 10);
  assert.equal(DEFAULTS.address.freeFailures, 20);
  assert.equal(DEFAULTS.account.maxWaitMs, 60_000);
  assert.equal(DEFAULTS.accountFromAddress.maxWaitMs, 15 * MIN);
});

test('no wait before the free failures are used; then the wait doubles up to the maximum', () => {
  const rule = DEFAULTS.accountFromAddress;
  assert.deepEqual(
    [0, 1, 4, 5, 6, 7, 8, 9, 10, 50, 1e9].map((n) => waitAfter(n, rule)),
    [0, 0, 0, 30_000, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN, 15 * MIN],
  );
});

test('a try waits until the last failure plus the wait; the first of the free ones waits not at all', () => {
  const rule = DEFAULTS.accountFromAddress;
  let s: ThrottleState = NO_FAILURES;
  for (let i = 0; i < 4; i++) s = afterFailure(s, rule, at(i * 1000));
  assert.equal(nextTryAt(s, rule), null);
  s = afterFailure(s, rule, at(4000));
  assert.deepEqual(nextTryAt(s, rule), at(4000 + 30_000));
  assert.deepEqual(verdict([{ state: s, rule }], at(33_999)), { allowed: false, retryAt: at(34_000) });
  assert.deepEqual(verdict([{ state: s, rule }], at(34_000)), { allowed: true });
});

test('failures are forgotten one every quarter of an hour without another', () => {
  const rule = DEFAULTS.accountFromAddress;
  const s: ThrottleState = { failures: 7, lastFailureAt: T0 };
  assert.equal(failuresAt(s, rule, at(14 * MIN)), 7);
  assert.equal(failuresAt(s, rule, at(15 * MIN)), 6);
  assert.equal(failuresAt(s, rule, at(100 * MIN)), 1);
  assert.equal(failuresAt(s, rule, at(105 * MIN)), 0);
  assert.deepEqual(afterFailure(s, rule, at(30 * MIN)), { failures: 6, lastFailureAt: at(30 * MIN) });
  assert.deepEqual(forgetAt(s, rule), at(105 * MIN));
  assert.deepEqual(forgetAt(NO_FAILURES, rule), new Date(0));
});

test('the longest of the waits applies', () => {
  const a = { state: { failures: 5, lastFailureAt: T0 }, rule: DEFAULTS.accountFromAddress };
  const b = { state: { failures: 12, lastFailureAt: T0 }, rule: DEFAULTS.account };
  assert.deepEqual(verdict([a, b], at(1000)), { allowed: false, retryAt: at(30_000) });
  assert.deepEqual(verdict([b], at(1000)), { allowed: false, retryAt: at(20_000) });
  assert.deepEqual(verdict([], at(0)), { allowed: true });
});

test('waits in words round up', () => {
  assert.equal(waitInWords(at(1), T0), '1 second');
  assert.equal(waitInWords(at(30_000), T0), '30 seconds');
  assert.equal(waitInWords(at(59_001), T0), '1 minute');
  assert.equal(waitInWords(at(61_000), T0), '2 minutes');
  assert.equal(waitInWords(at(15 * MIN), T0), '15 minutes');
  assert.equal(waitInWords(T0, T0), '1 second');
});

const ruleArb: fc.Arbitrary<ThrottleRule> = fc
  .record({
    freeFailures: fc.integer({ min: 1, max: 20 }),
    firstWaitMs: fc.integer({ min: 1, max: 60_000 }),
    maxWaitMs: fc.integer({ min: 1, max: 3_600_000 }),
    forgetEveryMs: fc.integer({ min: 1000, max: 3_600_000 }),
  })
  .map((r) => ({ ...r, firstWaitMs: Math.min(r.firstWaitMs, r.maxWaitMs) }));

test('property: no wait is ever longer than the rule maximum, and waits never shrink as failures grow', () => {
  fc.assert(
    fc.property(ruleArb, fc.integer({ min: 0, max: 10_000 }), (rule, n) => {
      const w = waitAfter(n, rule);
      assert.ok(w >= 0 && w <= rule.maxWaitMs);
      assert.ok(waitAfter(n + 1, rule) >= w);
    }),
  );
});

/**
 * Someone tries the account from their address whenever they are allowed to (the worst case for the
 * owner: the account's count is as high as it can be), with random pauses; the owner, from another
 * address, turns up at a random moment. Returns how long the owner has to wait.
 */
function ownerWait(
  rules: typeof DEFAULTS,
  pauses: number[],
  ownerAfterMs: number,
): { wait: number; attackerTries: number } {
  let pair = NO_FAILURES;
  let account = NO_FAILURES;
  let address = NO_FAILURES;
  let now = T0.getTime();
  let tries = 0;
  for (const pause of pauses) {
    const v = verdict(
      [
        { state: pair, rule: rules.accountFromAddress },
        { state: account, rule: rules.account },
        { state: address, rule: rules.address },
      ],
      new Date(now),
    );
    if (v.allowed) {
      const when = new Date(now);
      pair = afterFailure(pair, rules.accountFromAddress, when);
      account = afterFailure(account, rules.account, when);
      address = afterFailure(address, rules.address, when);
      tries++;
    }
    now += pause;
  }
  // The owner's own address has no failures; only the account's count from everywhere can hold them up.
  const ownerAt = new Date(now + ownerAfterMs);
  const v = verdict(
    [
      { state: NO_FAILURES, rule: rules.accountFromAddress },
      { state: account, rule: rules.account },
      { state: NO_FAILURES, rule: rules.address },
    ],
    ownerAt,
  );
  return { wait: v.allowed ? 0 : v.retryAt.getTime() - ownerAt.getTime(), attackerTries: tries };
}

test('property: someone hammering an account holds its owner, from another address, up by the account wait at most', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 5, max: 600 }),
      fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 0, max: 120_000 }),
      (free, maxMinutes, accountSeconds, pauses, ownerAfter) => {
        const rules = throttleRules({
          freeFailures: free,
          maxWaitMs: maxMinutes * MIN,
          accountMaxWaitMs: accountSeconds * 1000,
        });
        const { wait } = ownerWait(rules, pauses, ownerAfter);
        assert.ok(wait <= accountSeconds * 1000, `owner waited ${wait} ms`);
      },
    ),
    { numRuns: 300 },
  );
});

test('one address hammering an account for a day gets about one try a quarter of an hour, not thousands', () => {
  const pauses = Array.from({ length: 24 * 3600 }, () => 1000);
  const { attackerTries } = ownerWait(DEFAULTS, pauses, 0);
  assert.ok(attackerTries <= 5 + 24 * 4 + 10, `${attackerTries} tries in a day`);
});

test('an account tried from ever new addresses is slowed to about one try a minute', () => {
  const rule = DEFAULTS.account;
  let account = NO_FAILURES;
  let tries = 0;
  for (let s = 0; s < 3600; s++) {
    const now = at(s * 1000);
    if (verdict([{ state: account, rule }], now).allowed) {
      account = afterFailure(account, rule, now);
      tries++;
    }
  }
  assert.ok(tries <= 10 + 60 + 5, `${tries} tries in an hour`);
});
