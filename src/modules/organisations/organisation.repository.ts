import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { commissionInForceSql } from './commission.sql.ts';
import type { DB } from '../../db/schema.ts';

// SQL only. Administrators are national in this first version, so nothing here is scoped to an
// organisation: every query takes the organisation it works on as an argument.

export async function listLocalAuthorities(db: Executor) {
  return db.selectFrom('local_authorities').select(['code', 'name']).orderBy('name').execute();
}

export async function findLocalAuthority(db: Executor, code: string) {
  return db
    .selectFrom('local_authorities')
    .select(['code', 'name'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function listOrganisations(db: Executor) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('local_authorities as la', 'la.code', 'o.local_authority_code')
    .select((eb) => [
      'o.id',
      'o.name',
      'o.type',
      'o.active',
      'o.ods_code',
      'la.name as local_authority_name',
      eb
        .selectFrom('users as u')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('u.organisation_id', '=', 'o.id')
        .as('user_count'),
    ])
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/** Organisations a person can be invited to, for the invite form's list. */
export async function listActiveOrganisationNames(db: Executor) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'type', 'local_authority_code'])
    .where('active', '=', true)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function findOrganisation(db: Executor, id: string) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('local_authorities as la', 'la.code', 'o.local_authority_code')
    .selectAll('o')
    .select('la.name as local_authority_name')
    .where('o.id', '=', id)
    .executeTakeFirst();
}

export type NewOrganisation = {
  name: string;
  type: string;
  localAuthorityCode: string | null;
  odsCode: string | null;
  email: string | null;
  phone: string | null;
};

export async function insertOrganisation(db: Executor, o: NewOrganisation): Promise<string> {
  const row = await db
    .insertInto('organisations')
    .values({
      name: o.name,
      type: o.type,
      local_authority_code: o.localAuthorityCode,
      ods_code: o.odsCode,
      email: o.email,
      phone: o.phone,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listSites(db: Executor, organisationId: string) {
  return db
    .selectFrom('sites')
    .select(['id', 'name', 'address', 'postcode'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export async function insertSite(
  db: Executor,
  organisationId: string,
  site: { name: string; address: string; postcode: string },
) {
  const row = await db
    .insertInto('sites')
    .values({
      organisation_id: organisationId,
      name: site.name,
      address: site.address,
      postcode: site.postcode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every commission a service has held, newest first, with whether it is in force today. */
export async function listCommissions(db: Executor, serviceOrganisationId: string) {
  return db
    .selectFrom('commissions as c')
    .innerJoin('local_authorities as la', 'la.code', 'c.local_authority_code')
    .select([
      'c.id',
      'c.local_authority_code',
      'la.name as local_authority_name',
      'c.starts_on',
      'c.ends_on',
      commissionInForceSql().as('in_force'),
    ])
    .where('c.service_organisation_id', '=', serviceOrganisationId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('la.name')
    .execute();
}

/** The open commission for an authority, locked until the transaction ends. */
export async function openCommissionForUpdate(trx: Transaction<DB>, localAuthorityCode: string) {
  return trx
    .selectFrom('commissions')
    .select(['id', 'service_organisation_id', 'starts_on'])
    .where('local_authority_code', '=', localAuthorityCode)
    .where('ends_on', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** Ends a commission on the day before the next one starts (ends_on is the last day it is in force). */
export async function endCommissionBefore(
  trx: Transaction<DB>,
  commissionId: string,
  nextStartsOn: string,
): Promise<void> {
  await trx
    .updateTable('commissions')
    .set({ ends_on: sql<string>`(${nextStartsOn}::date - 1)` })
    .where('id', '=', commissionId)
    .execute();
}

export async function insertCommission(
  trx: Transaction<DB>,
  c: { localAuthorityCode: string; serviceOrganisationId: string; startsOn: string },
): Promise<string> {
  const row = await trx
    .insertInto('commissions')
    .values({
      local_authority_code: c.localAuthorityCode,
      service_organisation_id: c.serviceOrganisationId,
      starts_on: c.startsOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listApiKeys(db: Executor, organisationId: string) {
  return db
    .selectFrom('api_keys as k')
    .leftJoin('users as u', 'u.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.key_prefix',
      'k.created_at',
      'k.last_used_at',
      'k.revoked_at',
      'u.name as created_by_name',
    ])
    .where('k.organisation_id', '=', organisationId)
    .orderBy('k.revoked_at', (ob) => ob.desc().nullsFirst())
    .orderBy('k.created_at', 'desc')
    .execute();
}

export async function insertApiKey(
  db: Executor,
  k: { organisationId: string; name: string; keyPrefix: string; keyHash: string; createdBy: string },
): Promise<string> {
  const row = await db
    .insertInto('api_keys')
    .values({
      organisation_id: k.organisationId,
      name: k.name,
      key_prefix: k.keyPrefix,
      key_hash: k.keyHash,
      created_by: k.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes a key of this organisation; returns its name, or undefined when there is no such live key. */
export async function revokeApiKey(db: Executor, organisationId: string, keyId: string) {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', keyId)
    .where('organisation_id', '=', organisationId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst();
}

export async function findApiKey(db: Executor, organisationId: string, keyId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'revoked_at'])
    .where('id', '=', keyId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** The organisation's shared inbox for referral updates (migration 0035); null clears it. */
export async function setReferralUpdatesEmail(db: Executor, organisationId: string, email: string | null) {
  await db
    .updateTable('organisations')
    .set({ referral_updates_email: email })
    .where('id', '=', organisationId)
    .execute();
}
