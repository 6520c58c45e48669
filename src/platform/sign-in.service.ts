import type { Database } from '../db/database.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';

export type SignInPolicy = { maxFailures: number; lockoutMs: number };
export type SignInResult = { ok: true; userId: string } | { ok: false };

/** Counts a failure against the account and locks it once the limit is reached. Pure. */
export function afterFailure(
  failures: number,
  policy: SignInPolicy,
  now: Date,
): { failures: number; lockedUntil: Date | null } {
  const next = failures + 1;
  return next >= policy.maxFailures
    ? { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockoutMs) }
    : { failures: next, lockedUntil: null };
}

/**
 * Checks an email and password. Every failure looks the same to the caller (unknown account, wrong
 * password, locked, disabled), and costs the same hashing time, so nobody can learn which accounts exist.
 */
export async function checkSignIn(
  db: Database,
  email: string,
  password: string,
  policy: SignInPolicy,
  now = new Date(),
): Promise<SignInResult> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'failed_sign_ins', 'locked_until', 'active'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
  if (!user || !user.password_hash || !user.active) {
    await verifyPassword(await dummyPasswordHash(), password);
    return { ok: false };
  }
  const locked = user.locked_until !== null && user.locked_until > now;
  const valid = await verifyPassword(user.password_hash, password);
  if (locked) return { ok: false };
  if (!valid) {
    const next = afterFailure(user.failed_sign_ins, policy, now);
    await db
      .updateTable('users')
      .set({ failed_sign_ins: next.failures, locked_until: next.lockedUntil })
      .where('id', '=', user.id)
      .execute();
    return { ok: false };
  }
  await db
    .updateTable('users')
    .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
    .where('id', '=', user.id)
    .execute();
  return { ok: true, userId: user.id };
}

/** Only a path on this site: never another host, so a link cannot send someone elsewhere after sign-in. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return '/';
  if (value.length > 500 || value.startsWith('/sign-')) return '/';
  return value;
}
