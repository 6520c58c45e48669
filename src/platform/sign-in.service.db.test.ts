import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase } from '../../test/helpers/test-db.ts';
import { hashPassword } from './passwords.ts';
import { throttleRules } from './sign-in-throttle.ts';
import {
  checkSignIn,
  purgeSignInThrottle,
  throttleKeys,
  verifyPasswordThrottled,
} from './sign-in.service.ts';

// The throttle on the real database engine, with the time passed in: hours of someone hammering an
// account take no time at all.

const PASSWORD = 'a-long-enough-password';
const RULES = throttleRules({ freeFailures: 5, maxWaitMs: 15 * 60_000, accountMaxWaitMs: 60_000 });
const T0 = new Date('2025-06-02T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let handle: DatabaseHandle;
let orgId: string;
let n = 0;

before(async () => {
  handle = await createTestDatabase();
  orgId = (
    await handle.db
      .insertInto('organisations')
      .values({ name: 'Throttle Test Surgery', type: 'gp_practice', local_authority_code: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
after(() => handle?.close());

/** A new account of its own for each test, so counts never carry over. */
async function account(opts: { active?: boolean } = {}): Promise<string> {
  const email = `person${++n}@throttle.test`;
  await handle.db
    .insertInto('users')
    .values({
      email,
      name: `Person ${n}`,
      role: 'referrer',
      organisation_id: orgId,
      password_hash: await hashPassword(PASSWORD),
      active: opts.active ?? true,
    })
    .execute();
  return email;
}

const attempt = (email: string, password: string, address: string, now: Date) =>
  checkSignIn(handle.db, email, password, address, RULES, now);

describe('nobody can lock an account by typing wrong passwords for it', () => {
  test('five wrong passwords from one address: the owner signs in from another straight away', async () => {
    const email = await account();
    for (let i = 0; i < 5; i++)
      assert.equal((await attempt(email, 'wrong', '198.51.100.1', at(i))).ok, false);
    const owner = await attempt(email, PASSWORD, '203.0.113.9', at(10));
    assert.equal(owner.ok, true);
    // The address that typed them waits, right password or not.
    const attacker = await attempt(email, PASSWORD, '198.51.100.1', at(20));
    assert.equal(attacker.ok, false);
    assert.deepEqual(attacker.retryAt, at(4 + 30_000));
  });

  test('hammered for half an hour from many addresses, the owner waits at most the account wait, then signs in', async () => {
    const email = await account();
    let now = 0;
    let tried = 0;
    let lastRetryAt: Date | undefined;
    // A new address every try, as a botnet would: only the account's own count can slow it.
    for (let i = 0; now < 30 * 60_000; i++) {
      const r = await verifyPasswordThrottled(
        handle.db,
        email,
        `guess-${i}`,
        `10.9.${i >> 8}.${i & 255}`,
        RULES,
        at(now),
      );
      assert.equal(r.ok, false);
      if (r.retryAt) lastRetryAt = r.retryAt;
      else tried++;
      now += r.retryAt ? Math.max(1000, r.retryAt.getTime() - at(now).getTime()) : 1000;
    }
    assert.ok(lastRetryAt, 'the account was slowed down');
    assert.ok(tried <= 10 + 30 + 5, `${tried} guesses were checked in half an hour`);
    // The owner turns up the moment after a guess was counted: the worst moment.
    const ownerAt = at(now);
    const first = await attempt(email, PASSWORD, '203.0.113.50', ownerAt);
    if (!first.ok) {
      assert.ok(first.retryAt, 'told when to try again');
      assert.ok(first.retryAt.getTime() - ownerAt.getTime() <= 60_000, 'at most the account wait');
      const second = await attempt(email, PASSWORD, '203.0.113.50', first.retryAt);
      assert.equal(second.ok, true, 'the right password at the time given signs in');
    }
  });

  test('tries made while told to wait are not counted, so they do not make the wait longer', async () => {
    const email = await account();
    for (let i = 0; i < 5; i++) await attempt(email, 'wrong', '198.51.100.2', at(i));
    const told = await attempt(email, 'wrong', '198.51.100.2', at(10));
    for (let i = 0; i < 50; i++) {
      const again = await attempt(email, 'wrong', '198.51.100.2', at(100 + i * 100));
      assert.deepEqual(again.retryAt, told.retryAt);
    }
    assert.equal((await attempt(email, PASSWORD, '198.51.100.2', told.retryAt!)).ok, true);
  });

  test('the right password clears the account count; another address keeps its own', async () => {
    const email = await account();
    for (let i = 0; i < 9; i++) await attempt(email, 'wrong', `192.0.2.${i}`, at(i));
    assert.equal((await attempt(email, PASSWORD, '192.0.2.100', at(100))).ok, true);
    // Nine more wrong ones: still under the account's free ten, because the nine before were cleared.
    for (let i = 0; i < 9; i++) {
      const r = await attempt(email, 'wrong', `192.0.2.${i + 20}`, at(200 + i));
      assert.equal(r.retryAt, undefined, `try ${i + 1}`);
    }
  });

  test('tries at the same moment are each counted before any password is checked', async () => {
    const email = await account();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        verifyPasswordThrottled(handle.db, email, 'wrong', `172.16.0.${i}`, RULES, at(0)),
      ),
    );
    const checked = results.filter((r) => !r.retryAt).length;
    assert.ok(checked <= RULES.account.freeFailures, `${checked} of 25 were checked`);
  });
});

describe('a wait says nothing about who has an account', () => {
  test('an unknown email address and a disabled account wait exactly as a real one does', async () => {
    const real = await account();
    const disabled = await account({ active: false });
    const answers: (number | boolean)[][] = [];
    for (const [i, email] of [real, 'nobody@throttle.test', disabled].entries()) {
      const seen: (number | boolean)[] = [];
      for (let k = 0; k < 7; k++) {
        const r = await attempt(email, 'wrong', `198.51.100.${i + 10}`, at(k * 1000));
        seen.push(!r.ok && r.retryAt ? r.retryAt.getTime() - T0.getTime() : r.ok);
      }
      answers.push(seen);
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    // A disabled account's right password is refused as a wrong one.
    assert.equal((await attempt(disabled, PASSWORD, '198.51.100.99', at(0))).ok, false);
  });

  test('the counts are stored under hashes, never the email or address as typed', async () => {
    const email = await account();
    await attempt(email, 'wrong', '198.51.100.77', at(0));
    const keys = (await handle.db.selectFrom('sign_in_throttle').select('key').execute()).map((r) => r.key);
    assert.ok(keys.includes(throttleKeys(email, '198.51.100.77').account));
    for (const key of keys) assert.match(key, /^[0-9a-f]{64}$/);
  });
});

test('the purge deletes counts with nothing left to say, and keeps the rest', async () => {
  const email = await account();
  for (let i = 0; i < 6; i++) await attempt(email, 'wrong', '198.51.100.200', at(i));
  const keys = throttleKeys(email, '198.51.100.200');
  const row = () =>
    handle.db
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where('key', '=', keys.accountFromAddress)
      .executeTakeFirst();
  const kept = await row();
  assert.ok(kept && kept.failures === 5, 'the sixth try waited, and was not counted');
  await purgeSignInThrottle(handle.db, new Date(kept.forget_at.getTime() - 1));
  assert.ok(await row(), 'kept until it has nothing left to say');
  await purgeSignInThrottle(handle.db, kept.forget_at);
  assert.equal(await row(), undefined);
});
