import type { Database } from '../db/database.ts';
import type { Role } from './roles.ts';
import type { SsoSession } from './sessions.ts';
import { open, seal } from './secret-box.ts';
import { hashToken, newToken } from './tokens.ts';
import {
  checkTotp,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeOf,
  secondStep,
  type SecondStep,
} from './two-factor.ts';

// Two-factor secrets, recovery codes and the step between a password and a code, in the database.
// The secret is sealed at rest and only ever opened to check a code or to show it while it is being set
// up; recovery codes are kept only as hashes.

type Executor = Pick<Database, 'insertInto'>;

/** What is written for each two-factor change: nobody's code or secret, only what happened. */
async function auditTwoFactor(
  db: Executor,
  user: { id: string; organisationId: string },
  detail: string,
  requestId: string | undefined,
) {
  await db
    .insertInto('audit_events')
    .values({
      actor_user_id: user.id,
      actor_api_key_id: null,
      organisation_id: user.organisationId,
      action: 'update',
      entity_type: 'user',
      entity_id: user.id,
      detail,
      request_id: requestId ?? null,
    })
    .execute();
}

export async function twoFactorEnabled(db: Database, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_two_factor')
    .select('enabled_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Boolean(row?.enabled_at);
}

export async function recoveryCodesLeft(db: Database, userId: string): Promise<number> {
  const row = await db
    .selectFrom('two_factor_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What an account owes after a right password (two-factor.ts's secondStep). */
export async function secondStepFor(db: Database, userId: string, production: boolean): Promise<SecondStep> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('user_two_factor as t', 't.user_id', 'u.id')
    .select(['u.role', 'u.email', 't.enabled_at'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  return secondStep({ role: row.role, email: row.email, enabled: Boolean(row.enabled_at), production });
}

/**
 * The secret being set up, made the first time it is asked for, so the page shows the same QR code when
 * reloaded; null once two factors are on (the secret is never shown again).
 */
export async function secretToSetUp(db: Database, userId: string, key: string): Promise<string | null> {
  const row = await db
    .selectFrom('user_two_factor')
    .select(['secret_sealed', 'enabled_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (row?.enabled_at) return null;
  const kept = row ? open(row.secret_sealed, key) : null;
  if (kept) return kept;
  const secret = newTotpSecret();
  await db
    .insertInto('user_two_factor')
    .values({ user_id: userId, secret_sealed: seal(secret, key) })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_sealed: seal(secret, key) }))
    .execute();
  return secret;
}

/**
 * Turns two factors on when the code is right for the secret being set up, and gives the recovery
 * codes to show once; null when the code is wrong (or nothing is being set up).
 */
export async function confirmSetUp(
  db: Database,
  user: { id: string; organisationId: string },
  code: string,
  key: string,
  now: Date,
  requestId?: string,
): Promise<string[] | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('user_two_factor')
      .select(['secret_sealed', 'enabled_at'])
      .where('user_id', '=', user.id)
      .forUpdate()
      .executeTakeFirst();
    const secret = row && !row.enabled_at ? open(row.secret_sealed, key) : null;
    if (!secret) return null;
    const checked = checkTotp({ secret, code, now, lastTimeStep: null });
    if (!checked.ok) return null;
    await trx
      .updateTable('user_two_factor')
      .set({ enabled_at: now, last_time_step: checked.timeStep })
      .where('user_id', '=', user.id)
      .execute();
    const codes = newRecoveryCodes();
    await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', user.id).execute();
    await trx
      .insertInto('two_factor_recovery_codes')
      .values(codes.map((c) => ({ user_id: user.id, code_hash: hashToken(recoveryCodeOf(c)!) })))
      .execute();
    await auditTwoFactor(trx, user, 'turned two-factor sign-in on', requestId);
    return codes;
  });
}

/** Takes an account's secret and recovery codes away; whether it had two factors on. */
export async function removeTwoFactor(db: Pick<Database, 'deleteFrom'>, userId: string): Promise<boolean> {
  const gone = await db.deleteFrom('user_two_factor').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('two_factor_recovery_codes').where('user_id', '=', userId).execute();
  return gone.numDeletedRows > 0n;
}

export async function turnOff(
  db: Database,
  user: { id: string; organisationId: string },
  requestId?: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await removeTwoFactor(trx, user.id);
    await auditTwoFactor(trx, user, 'turned two-factor sign-in off', requestId);
  });
}

/** New recovery codes for an account with two factors on, the old ones no longer working; shown once. */
export async function replaceRecoveryCodes(
  db: Database,
  user: { id: string; organisationId: string },
  requestId?: string,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const codes = newRecoveryCodes();
    await trx.deleteFrom('two_factor_recovery_codes').where('user_id', '=', user.id).execute();
    await trx
      .insertInto('two_factor_recovery_codes')
      .values(codes.map((c) => ({ user_id: user.id, code_hash: hashToken(recoveryCodeOf(c)!) })))
      .execute();
    await auditTwoFactor(trx, user, 'made new recovery codes', requestId);
    return codes;
  });
}

/**
 * Checks a second step: a code from the app (accepted once: the step is claimed in the same statement
 * that checks it is newer than the last) or an unused recovery code (used up, and audited).
 */
export async function checkSecondFactor(
  db: Database,
  user: { id: string; organisationId: string },
  typed: string,
  key: string,
  now: Date,
  requestId?: string,
): Promise<'code' | 'recovery' | null> {
  const row = await db
    .selectFrom('user_two_factor')
    .select(['secret_sealed', 'last_time_step'])
    .where('user_id', '=', user.id)
    .where('enabled_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  const secret = open(row.secret_sealed, key);
  const last = row.last_time_step === null ? null : Number(row.last_time_step);
  const checked = secret ? checkTotp({ secret, code: typed, now, lastTimeStep: last }) : { ok: false };
  if (checked.ok && 'timeStep' in checked) {
    const claimed = await db
      .updateTable('user_two_factor')
      .set({ last_time_step: checked.timeStep })
      .where('user_id', '=', user.id)
      .where((eb) =>
        eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', String(checked.timeStep))]),
      )
      .executeTakeFirst();
    return claimed.numUpdatedRows > 0n ? 'code' : null;
  }
  const recovery = recoveryCodeOf(typed);
  if (!recovery) return null;
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('two_factor_recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', user.id)
      .where('code_hash', '=', hashToken(recovery))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (used.numUpdatedRows === 0n) return null;
    await auditTwoFactor(trx, user, 'signed in with a recovery code', requestId);
    return 'recovery';
  });
}

// The step between a right password and the second step; long enough to open an app or find a code.
const CHALLENGE_MS = 10 * 60_000;

export type ChallengedUser = {
  id: string;
  email: string;
  role: Role;
  organisationId: string;
  /** Set when the first step was a single sign-on, for the session that follows. */
  sso?: SsoSession;
};

export async function createChallenge(
  db: Database,
  userId: string,
  now: Date,
  sso?: SsoSession,
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sign_in_challenges')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      expires_at: new Date(now.getTime() + CHALLENGE_MS),
      ...(sso ? { sso_provider_id: sso.providerId, sso_id_token: sso.idToken } : {}),
    })
    .execute();
  return token;
}

/** The account a challenge is for, while it lasts and the account and its organisation are active. */
export async function challengedUser(db: Database, token: string, now: Date): Promise<ChallengedUser | null> {
  const row = await db
    .selectFrom('sign_in_challenges as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.email', 'u.role', 'u.organisation_id', 'c.sso_provider_id', 'c.sso_id_token'])
    .where('c.token_hash', '=', hashToken(token))
    .where('c.expires_at', '>', now)
    .where('u.active', '=', true)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  const user = { id: row.id, email: row.email, role: row.role, organisationId: row.organisation_id };
  return row.sso_provider_id
    ? { ...user, sso: { providerId: row.sso_provider_id, idToken: row.sso_id_token } }
    : user;
}

export async function endChallenge(db: Database, token: string): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('token_hash', '=', hashToken(token)).execute();
}

/** Deletes challenges that have ended; run as a job with the other purges (security.jobs.ts). */
export async function purgeSignInChallenges(db: Pick<Database, 'deleteFrom'>, now: Date): Promise<number> {
  const r = await db.deleteFrom('sign_in_challenges').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
