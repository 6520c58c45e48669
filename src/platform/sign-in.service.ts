import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import {
  afterFailure,
  forgetAt,
  NO_FAILURES,
  verdict,
  type ThrottleRule,
  type ThrottleRules,
  type ThrottleState,
} from './sign-in-throttle.ts';
import { hashToken } from './tokens.ts';

/** A right password, a wrong one, or a try that has to wait until retryAt (the password unchecked). */
export type SignInResult = { ok: true; userId: string; retryAt?: undefined } | { ok: false; retryAt?: Date };

type Keys = Record<keyof ThrottleRules, string>;

/**
 * The throttle's keys, hashed: the email as typed (whether or not an account has it, so that a wait
 * says nothing about which accounts exist) and the address the request came from.
 */
export function throttleKeys(email: string, address: string): Keys {
  const account = email.trim().toLowerCase();
  return {
    accountFromAddress: hashToken(`account-from-address\n${account}\n${address}`),
    account: hashToken(`account\n${account}`),
    address: hashToken(`address\n${address}`),
  };
}

const stateOf = (row: { failures: number; last_failure_at: Date | null } | undefined): ThrottleState =>
  row ? { failures: row.failures, lastFailureAt: row.last_failure_at } : NO_FAILURES;

/** Rows for these keys, locked until the transaction ends; a missing one is made first, so it can be. */
async function lockStates(trx: Transaction<DB>, keys: string[], now: Date) {
  await trx
    .insertInto('sign_in_throttle')
    .values(keys.map((key) => ({ key, forget_at: now })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const rows = await trx
    .selectFrom('sign_in_throttle')
    .select(['key', 'failures', 'last_failure_at'])
    .where('key', 'in', keys)
    .orderBy('key')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.key, stateOf(r)]));
}

async function saveFailure(
  trx: Transaction<DB>,
  key: string,
  state: ThrottleState,
  rule: ThrottleRule,
  now: Date,
) {
  const next = afterFailure(state, rule, now);
  const values = {
    failures: next.failures,
    last_failure_at: next.lastFailureAt,
    forget_at: forgetAt(next, rule),
  };
  // An upsert: the purge job may have deleted a row that had nothing left to say since it was locked.
  await trx
    .insertInto('sign_in_throttle')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

/**
 * Takes a try, or says when one may be taken. A try is counted as a wrong password for the account
 * (from this address and from anywhere) before the password is checked, in one transaction with the
 * check of the waits, so tries sent at the same moment cannot all slip in before any is counted; a
 * right password then clears those counts. Tries from one address across accounts are kept in check
 * by the sign-in route's rate limit, so the address's count is only added to by a wrong password.
 */
async function takeTry(db: Database, keys: Keys, rules: ThrottleRules, now: Date) {
  return db.transaction().execute(async (trx) => {
    const states = await lockStates(trx, Object.values(keys), now);
    const state = (k: keyof Keys) => states.get(keys[k]) ?? NO_FAILURES;
    const v = verdict(
      (Object.keys(keys) as (keyof Keys)[]).map((k) => ({ state: state(k), rule: rules[k] })),
      now,
    );
    if (!v.allowed) return v;
    await saveFailure(
      trx,
      keys.accountFromAddress,
      state('accountFromAddress'),
      rules.accountFromAddress,
      now,
    );
    await saveFailure(trx, keys.account, state('account'), rules.account, now);
    return v;
  });
}

async function countAddressFailure(db: Database, keys: Keys, rules: ThrottleRules, now: Date) {
  await db.transaction().execute(async (trx) => {
    const states = await lockStates(trx, [keys.address], now);
    await saveFailure(trx, keys.address, states.get(keys.address) ?? NO_FAILURES, rules.address, now);
  });
}

/**
 * Checks an email and password, within the throttle. Every wrong answer looks the same to the caller
 * (unknown account, wrong password, disabled), and costs the same hashing time, so nobody can learn
 * which accounts exist; a try that has to wait says until when. A right password clears the account's
 * counts. Used to sign in and to confirm the current password before changing it.
 */
export async function verifyPasswordThrottled(
  db: Database,
  email: string,
  password: string,
  address: string,
  rules: ThrottleRules,
  now: Date,
): Promise<SignInResult> {
  const keys = throttleKeys(email, address);
  const taken = await takeTry(db, keys, rules, now);
  if (!taken.allowed) return { ok: false, retryAt: taken.retryAt };

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
  const valid =
    user?.password_hash && user.active
      ? await verifyPassword(user.password_hash, password)
      : await verifyPassword(await dummyPasswordHash(), password).then(() => false);
  if (!valid || !user) {
    await countAddressFailure(db, keys, rules, now);
    return { ok: false };
  }
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', 'in', [keys.accountFromAddress, keys.account])
    .execute();
  return { ok: true, userId: user.id };
}

/**
 * Runs a check other than a password (a two-factor code) within the same throttle: the try is counted
 * before the check, cleared when it is right, and counted for the address when it is wrong. `subject`
 * keeps these counts apart from the password's, so a right password does not clear wrong codes.
 */
export async function checkThrottled(
  db: Database,
  subject: string,
  address: string,
  rules: ThrottleRules,
  now: Date,
  check: () => Promise<boolean>,
): Promise<{ ok: true; retryAt?: undefined } | { ok: false; retryAt?: Date }> {
  const keys = throttleKeys(subject, address);
  const taken = await takeTry(db, keys, rules, now);
  if (!taken.allowed) return { ok: false, retryAt: taken.retryAt };
  if (!(await check())) {
    await countAddressFailure(db, keys, rules, now);
    return { ok: false };
  }
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', 'in', [keys.accountFromAddress, keys.account])
    .execute();
  return { ok: true };
}

/** Signs in: the throttled check, and the time of the sign-in recorded. */
export async function checkSignIn(
  db: Database,
  email: string,
  password: string,
  address: string,
  rules: ThrottleRules,
  now = new Date(),
): Promise<SignInResult> {
  const result = await verifyPasswordThrottled(db, email, password, address, rules, now);
  if (result.ok)
    await db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', result.userId).execute();
  return result;
}

/** Deletes counts that have nothing left to say; run as a job (security.jobs.ts). */
export async function purgeSignInThrottle(db: Kysely<DB>, now: Date): Promise<number> {
  const r = await db.deleteFrom('sign_in_throttle').where('forget_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
