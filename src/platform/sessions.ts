import type { Database } from '../db/database.ts';
import type { StaffUser } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'mortar_session';
const TOUCH_AFTER_MS = 5 * 60_000;

export async function createSession(db: Database, userId: string, ttlMs: number): Promise<string> {
  const token = newToken();
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, expires_at: new Date(Date.now() + ttlMs) })
    .execute();
  return token;
}

/** The user behind a session cookie, or null when it is unknown, expired or the account is disabled. */
export async function resolveSession(db: Database, token: string, ttlMs: number): Promise<StaffUser | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      's.token_hash',
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
    .where('s.expires_at', '>', new Date())
    .where('u.active', '=', true)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  // Sliding expiry, written at most every few minutes to keep reads cheap.
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(), expires_at: new Date(Date.now() + ttlMs) })
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

export async function destroySession(db: Database, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

export async function destroyUserSessions(db: Database, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function purgeExpiredSessions(db: Database): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<', new Date()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
