import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { DB, Role } from '../../db/schema.ts';

// SQL only, for staff accounts and invitations.

export async function listUsers(
  db: Executor,
  filter: { organisationId?: string | undefined; limit: number },
) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.name',
      'u.email',
      'u.role',
      'u.active',
      'u.last_sign_in_at',
      'u.organisation_id',
      'o.name as organisation_name',
      'o.type as organisation_type',
    ]);
  if (filter.organisationId) q = q.where('u.organisation_id', '=', filter.organisationId);
  return q.orderBy('o.name').orderBy('u.name').orderBy('u.id').limit(filter.limit).execute();
}

/** Invitations not yet accepted and not expired: the people who are "invited". */
export async function listPendingInvitations(
  db: Executor,
  filter: { organisationId?: string | undefined; limit: number },
) {
  let q = db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select([
      'i.id',
      'i.name',
      'i.email',
      'i.role',
      'i.expires_at',
      'i.organisation_id',
      'o.name as organisation_name',
      'o.type as organisation_type',
    ])
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', new Date());
  if (filter.organisationId) q = q.where('i.organisation_id', '=', filter.organisationId);
  return q.orderBy('o.name').orderBy('i.name').limit(filter.limit).execute();
}

export async function findUser(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'role', 'active', 'organisation_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function emailInUse(db: Executor, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

/** A new invitation replaces any earlier one for the same address: the old links stop working. */
export async function expirePendingInvitations(db: Executor, email: string): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ expires_at: new Date() })
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', new Date())
    .execute();
}

export async function insertInvitation(
  db: Executor,
  i: {
    email: string;
    name: string;
    role: Role;
    organisationId: string;
    tokenHash: string;
    invitedBy: string;
    expiresAt: Date;
  },
): Promise<string> {
  const row = await db
    .insertInto('invitations')
    .values({
      email: i.email,
      name: i.name,
      role: i.role,
      organisation_id: i.organisationId,
      token_hash: i.tokenHash,
      invited_by: i.invitedBy,
      expires_at: i.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findInvitation(db: Executor, tokenHash: string, forUpdate = false) {
  let q = db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select([
      'i.id',
      'i.email',
      'i.name',
      'i.role',
      'i.organisation_id',
      'i.expires_at',
      'i.accepted_at',
      'o.name as organisation_name',
      'o.type as organisation_type',
      'o.active as organisation_active',
    ])
    .where('i.token_hash', '=', tokenHash);
  if (forUpdate) q = q.forUpdate('i');
  return q.executeTakeFirst();
}

export async function insertUser(
  trx: Transaction<DB>,
  u: { email: string; name: string; role: Role; organisationId: string; passwordHash: string },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      email: u.email,
      name: u.name,
      role: u.role,
      organisation_id: u.organisationId,
      password_hash: u.passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markInvitationAccepted(trx: Transaction<DB>, invitationId: string): Promise<void> {
  await trx
    .updateTable('invitations')
    .set({ accepted_at: sql<Date>`now()` })
    .where('id', '=', invitationId)
    .execute();
}

/** Returns the user's name when the state changed, undefined when it was already so. */
export async function setUserActive(db: Executor, id: string, active: boolean) {
  return db
    .updateTable('users')
    .set({ active })
    .where('id', '=', id)
    .where('active', '=', !active)
    .returning(['id', 'name'])
    .executeTakeFirst();
}

/** Keeps a grant of access with who made it; access_grants rows are never changed afterwards. */
export async function insertGrant(
  trx: Transaction<DB>,
  g: {
    invitationId: string;
    organisationId: string;
    role: Role;
    email: string;
    name: string;
    grantedBy: { id: string; role: Role; organisationId: string };
  },
): Promise<string> {
  const row = await trx
    .insertInto('access_grants')
    .values({
      invitation_id: g.invitationId,
      organisation_id: g.organisationId,
      role: g.role,
      email: g.email,
      name: g.name,
      granted_by_user_id: g.grantedBy.id,
      granted_by_role: g.grantedBy.role,
      granted_by_organisation_id: g.grantedBy.organisationId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Grants of access into one organisation (or every one, for null), newest first, with who made each. */
export async function listGrants(
  db: Executor,
  filter: { organisationId: string | null; limit: number; offset: number },
) {
  let q = db
    .selectFrom('access_grants as g')
    .innerJoin('invitations as i', 'i.id', 'g.invitation_id')
    .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
    .innerJoin('users as by', 'by.id', 'g.granted_by_user_id')
    .innerJoin('organisations as byo', 'byo.id', 'g.granted_by_organisation_id')
    .select([
      'g.id',
      'g.name',
      'g.email',
      'g.role',
      'g.created_at',
      'g.granted_by_role',
      'g.organisation_id',
      'o.name as organisation_name',
      'o.type as organisation_type',
      'by.name as granted_by_name',
      'byo.name as granted_by_organisation_name',
      'i.accepted_at',
      'i.expires_at',
    ]);
  if (filter.organisationId) q = q.where('g.organisation_id', '=', filter.organisationId);
  return q
    .orderBy('g.created_at', 'desc')
    .orderBy('g.id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export async function countGrants(db: Executor, organisationId: string | null): Promise<number> {
  let q = db.selectFrom('access_grants as g').select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (organisationId) q = q.where('g.organisation_id', '=', organisationId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
