import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Role } from '../../platform/roles.ts';
import type { MappingRule } from './sso-claims.ts';

// Single sign-on's tables (migration 0040): linked identities, organisations' claim rules, and sign-ins
// under way.

type Executor = Database | Transaction<DB>;

/** The account an identity is linked to, with whether it (and its organisation) may sign in. */
export async function findLinkedAccount(db: Executor, issuer: string, subject: string) {
  const row = await db
    .selectFrom('user_identities as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.organisation_id', 'u.role', 'u.active', 'o.active as organisation_active'])
    .where('i.issuer', '=', issuer)
    .where('i.subject', '=', subject)
    .executeTakeFirst();
  return row
    ? {
        userId: row.id,
        organisationId: row.organisation_id,
        role: row.role,
        active: row.active && row.organisation_active,
      }
    : null;
}

export async function linkIdentity(
  db: Executor,
  i: { issuer: string; subject: string; providerId: string; userId: string; now: Date },
): Promise<void> {
  await db
    .insertInto('user_identities')
    .values({
      issuer: i.issuer,
      subject: i.subject,
      provider_id: i.providerId,
      user_id: i.userId,
      created_at: i.now,
      last_used_at: i.now,
    })
    .execute();
}

export async function touchIdentity(db: Executor, issuer: string, subject: string, now: Date) {
  await db
    .updateTable('user_identities')
    .set({ last_used_at: now })
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .execute();
}

export async function unlinkIdentity(db: Executor, userId: string, providerId: string) {
  const r = await db
    .deleteFrom('user_identities')
    .where('user_id', '=', userId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function identitiesOf(db: Executor, userId: string) {
  return db
    .selectFrom('user_identities')
    .select(['provider_id', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .execute();
}

/** Every open organisation's rules for a provider. */
export async function rulesFor(db: Executor, providerId: string): Promise<MappingRule[]> {
  const rows = await db
    .selectFrom('sso_role_mappings as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'o.ods_code', 'm.claim', 'm.value', 'm.role'])
    .where('m.provider_id', '=', providerId)
    .where('o.active', '=', true)
    .execute();
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    odsCode: r.ods_code,
    claim: r.claim,
    value: r.value,
    role: r.role,
  }));
}

export async function listMappings(db: Executor, organisationId: string) {
  return db
    .selectFrom('sso_role_mappings')
    .select(['id', 'provider_id', 'claim', 'value', 'role', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('provider_id')
    .orderBy('claim')
    .orderBy('value')
    .execute();
}

export async function insertMapping(
  db: Executor,
  m: {
    organisationId: string;
    providerId: string;
    claim: string;
    value: string;
    role: Role;
    createdBy: string;
  },
): Promise<string | null> {
  const row = await db
    .insertInto('sso_role_mappings')
    .values({
      organisation_id: m.organisationId,
      provider_id: m.providerId,
      claim: m.claim,
      value: m.value,
      role: m.role,
      created_by: m.createdBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function deleteMapping(db: Executor, organisationId: string, id: string) {
  return db
    .deleteFrom('sso_role_mappings')
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .returning(['provider_id', 'claim', 'value', 'role'])
    .executeTakeFirst();
}

/** The invitation a first sign-in may use: the latest for the address, not used, not expired, organisation open. */
export async function validInvitationFor(db: Executor, email: string, now: Date, forUpdate = false) {
  let q = db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.email', 'i.name', 'i.role', 'i.organisation_id'])
    .where((eb) => eb(eb.fn('lower', ['i.email']), '=', email.toLowerCase()))
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', now)
    .where('o.active', '=', true)
    .orderBy('i.created_at', 'desc');
  if (forUpdate) q = q.forUpdate('i');
  return q.executeTakeFirst();
}

export async function accountWithEmail(db: Executor, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/** An account made from an invitation by single sign-on: no password, so it signs in only through its link. */
export async function insertUserWithoutPassword(
  trx: Transaction<DB>,
  u: { invitationId: string; email: string; name: string; role: Role; organisationId: string; now: Date },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      role: u.role,
      organisation_id: u.organisationId,
      password_hash: null,
      last_sign_in_at: u.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('invitations')
    .set({ accepted_at: sql<Date>`now()` })
    .where('id', '=', u.invitationId)
    .execute();
  return row.id;
}

export async function insertState(
  db: Executor,
  s: {
    tokenHash: string;
    providerId: string;
    state: string;
    nonce: string;
    codeVerifier: string;
    returnTo: string;
    linkUserId: string | null;
    now: Date;
    expiresAt: Date;
  },
) {
  await db
    .insertInto('sso_sign_in_states')
    .values({
      token_hash: s.tokenHash,
      provider_id: s.providerId,
      state: s.state,
      nonce: s.nonce,
      code_verifier: s.codeVerifier,
      return_to: s.returnTo,
      link_user_id: s.linkUserId,
      created_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** Takes a sign-in under way, once: a second return with the same cookie finds nothing. */
export async function takeState(db: Executor, tokenHash: string, now: Date) {
  return db
    .deleteFrom('sso_sign_in_states')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .returning(['provider_id', 'state', 'nonce', 'code_verifier', 'return_to', 'link_user_id'])
    .executeTakeFirst();
}

export async function recordSignIn(db: Executor, userId: string, now: Date) {
  await db.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).execute();
}
