import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import type { Role } from './roles.ts';

// The rules of two-factor sign-in (RFC 6238 TOTP): which accounts must use it, which codes count, and
// recovery codes. Pure: the time is passed in.

/** Seconds per code, as every authenticator app expects. */
export const TOTP_PERIOD_SECONDS = 30;
/** A phone's clock may be one step either side of ours. */
export const DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;
export const ISSUER = 'Mortar';

/** Administrators can change who has access to what: a stolen password alone must not be enough. */
export const TWO_FACTOR_REQUIRED_ROLES: readonly Role[] = ['administrator', 'national_administrator'];

export function twoFactorRequired(role: Role): boolean {
  return TWO_FACTOR_REQUIRED_ROLES.includes(role);
}

/**
 * The demonstration accounts (the reserved .test domain, which no real mailbox can have) may sign in
 * without a second step outside production, so `npm start` and the tests sign in as before; they are
 * asked for a code once they turn two factors on, like anyone. In production nobody is exempt.
 */
export function isDemoAccount(email: string): boolean {
  return email.trim().toLowerCase().endsWith('@demo.test');
}

/** What comes after a right password: a code, setting two factors up first, or nothing more. */
export type SecondStep = 'code' | 'set-up' | 'none';

export function secondStep(a: {
  role: Role;
  email: string;
  enabled: boolean;
  production: boolean;
}): SecondStep {
  if (a.enabled) return 'code';
  if (!twoFactorRequired(a.role)) return 'none';
  return !a.production && isDemoAccount(a.email) ? 'none' : 'set-up';
}

export function newTotpSecret(): string {
  return generateSecret();
}

/** The address an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

/** The secret in groups of four, easier to type into an app by hand. */
export function secretInGroups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** What someone typed, without the spaces or dashes people add; null when it is not 6 digits. */
export function totpCodeOf(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * Checks a code at `now`, one step of drift either way. A code from the step of the last one accepted
 * (or before) is refused, so a code seen over someone's shoulder cannot be used again. Gives the step
 * to remember when it is right.
 */
export function checkTotp(a: {
  secret: string;
  code: string;
  now: Date;
  lastTimeStep: number | null;
}): { ok: true; timeStep: number } | { ok: false } {
  const code = totpCodeOf(a.code);
  if (!code) return { ok: false };
  const epoch = Math.floor(a.now.getTime() / 1000);
  const r = verifySync({
    secret: a.secret,
    token: code,
    epoch,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: DRIFT_STEPS * TOTP_PERIOD_SECONDS,
    ...(a.lastTimeStep === null ? {} : { afterTimeStep: a.lastTimeStep }),
  });
  return r.valid ? { ok: true, timeStep: Math.floor(epoch / TOTP_PERIOD_SECONDS) + r.delta } : { ok: false };
}

// No 0/O, 1/I/L: read from paper and typed back.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_GROUPS = 4;
const RECOVERY_GROUP_LENGTH = 4;

/** One recovery code, like 'k7pq-3xzm-a9rd-wt2e' (about 78 bits), from a random source. */
export function newRecoveryCode(random: (max: number) => number = randomInt): string {
  const groups = Array.from({ length: RECOVERY_GROUPS }, () =>
    Array.from(
      { length: RECOVERY_GROUP_LENGTH },
      () => RECOVERY_ALPHABET[random(RECOVERY_ALPHABET.length)],
    ).join(''),
  );
  return groups.join('-');
}

export function newRecoveryCodes(random?: (max: number) => number): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(newRecoveryCode(random));
  return [...codes];
}

/**
 * A recovery code as typed, in the one form its hash is kept in (lower case, no spaces or dashes), or
 * null when it cannot be one.
 */
export function recoveryCodeOf(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '');
  const length = RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH;
  return code.length === length && [...code].every((c) => RECOVERY_ALPHABET.includes(c)) ? code : null;
}
