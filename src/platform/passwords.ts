import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

// argon2id with OWASP's second recommended profile (19 MiB, 2 passes).
const OPTIONS = { algorithm: 2 as const, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Checked against when the account does not exist, so a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-000000');
  return dummyHash;
}

export const PASSWORD_MIN_LENGTH = 12;

// The rules for a new password, wherever one is chosen (an invitation, a change, a reset), as NCSC
// advises: long enough, no rules about kinds of characters, and no expiry.
export const newPasswordFields = {
  password: z
    .string({ error: 'Enter a password' })
    .min(1, 'Enter a password')
    .min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(200, 'Password must be 200 characters or fewer'),
  confirmPassword: z.string({ error: 'Enter the password again' }).min(1, 'Enter the password again'),
};

/** The second password must be the first again (a superRefine for a schema with newPasswordFields). */
export function passwordsMatch(v: { password: string; confirmPassword: string }, ctx: z.RefinementCtx): void {
  if (v.confirmPassword && v.password !== v.confirmPassword) {
    ctx.addIssue({
      code: 'custom',
      path: ['confirmPassword'],
      message: 'The passwords do not match. Enter the same password twice',
    });
  }
}
