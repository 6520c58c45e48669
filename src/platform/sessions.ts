import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { StaffUser } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'mortar_session';
const TOUCH_AFTER_MS = 5 * 60_000;

/** How long a sign-in lasts: `idleMs` after the last request, and never more than `maxMs` in all. */
export type SessionPolicy = { idleMs: number; maxMs: number };

export const sessionPolicy = (c: { sessionTtlMs: number; sessionMaxMs: number }): SessionPolicy => ({
  idleMs: c.sessionTtlMs,
  maxMs: c.sessionMaxMs,
});

/** When a session ends unless it is used again. Pure. */
export function sessionExpiry(createdAt: Date, lastSeenAt: Date, policy: SessionPolicy): Date {
  return new Date(Math.min(lastSeenAt.getTime() + policy.idleMs, createdAt.getTime() + policy.maxMs));
}

/** The identity provider a session came from, to sign out there too (docs/sso.md). */
export type SsoSession = { providerId: string; idToken: string | null };

export async function createSession(
  db: Database,
  userId: string,
  policy: SessionPolicy,
  now = new Date(),
  sso?: SsoSession,
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: sessionExpiry(now, now, policy),
      ...(sso ? { sso_provider_id: sso.providerId, sso_id_token: sso.idToken } : {}),
    })
    .execute();
  return token;
}

/**
 * The user behind a session cookie, or null when it is unknown, idle too long, older than the absolute
 * lifetime, or the account or its organisation is disabled.
 */
export async function resolveSession(
  db: Database,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<StaffUser | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      's.token_hash',
      's.created_at',
      's.last_seen_at',
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.organisation_id',
      'o.name as organisation_name',
      'o.type as organisation_type',
      'o.local_authority_code',
    ])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', now)
    // Checked as well as expires_at, so a shorter SESSION_MAX_HOURS applies to sessions already open.
    .where('s.created_at', '>', new Date(now.getTime() - policy.maxMs))
    .where('u.active', '=', true)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  // Sliding expiry up to the absolute lifetime, written at most every few minutes to keep reads cheap.
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: sessionExpiry(row.created_at, now, policy) })
      .where('token_hash', '=', row.token_hash)
      .execute();
  }
  return {
    kind: 'user',
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    organisationType: row.organisation_type,
    localAuthorityCode: row.local_authority_code,
  };
}

/** Ends a session; says which identity provider made it, if one did. */
export async function destroySession(db: Database, token: string): Promise<SsoSession | null> {
  const row = await db
    .deleteFrom('sessions')
    .where('token_hash', '=', hashToken(token))
    .returning(['sso_provider_id', 'sso_id_token'])
    .executeTakeFirst();
  return row?.sso_provider_id ? { providerId: row.sso_provider_id, idToken: row.sso_id_token } : null;
}

export async function destroyUserSessions(db: Database, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Deletes sessions that have ended; run as a job (security.jobs.ts). */
export async function purgeExpiredSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
