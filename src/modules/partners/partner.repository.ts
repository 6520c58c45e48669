import type { Database } from '../../db/database.ts';
import type { PartnerScope } from '../../platform/scope.ts';

// SQL only. Every query that reads partners takes the scope (platform/scope.ts) and applies it here: a
// commissioner's queries only ever reach their own authority's partners.

type Executor = Pick<Database, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export type PartnerFilter = {
  authority?: string | undefined;
  status?: string | undefined;
  sector?: string | undefined;
};

const inScope = (scope: PartnerScope, filterAuthority?: string) =>
  scope.kind === 'local_authority' ? scope.code : (filterAuthority ?? null);

const PARTNER_COLUMNS = [
  'p.id',
  'p.local_authority_code',
  'p.organisation_id',
  'p.name',
  'p.sector',
  'p.kind',
  'p.status',
  'p.joined_on',
  'p.notes',
  'p.created_at',
  'p.updated_at',
  'la.name as authority_name',
  'o.name as organisation_name',
  'sp.status as policy_status',
  'sp.adopted_on',
  'sp.review_on',
  'sp.notes as policy_notes',
  'sp.updated_at as policy_updated_at',
] as const;

function partnersQuery(db: Executor) {
  return db
    .selectFrom('partners as p')
    .innerJoin('local_authorities as la', 'la.code', 'p.local_authority_code')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .leftJoin('smokefree_policies as sp', 'sp.partner_id', 'p.id')
    .select(PARTNER_COLUMNS);
}

export type PartnerRow = Awaited<ReturnType<typeof findPartner>> & {};

export async function listPartners(db: Executor, scope: PartnerScope, filter: PartnerFilter = {}) {
  const code = inScope(scope, filter.authority);
  let q = partnersQuery(db);
  if (code) q = q.where('p.local_authority_code', '=', code);
  if (filter.status) q = q.where('p.status', '=', filter.status);
  if (filter.sector) q = q.where('p.sector', '=', filter.sector);
  return q.orderBy('la.name').orderBy('p.name').orderBy('p.id').execute();
}

/** The partner, when the scope reaches it. */
export async function findPartner(db: Executor, scope: PartnerScope, id: string) {
  let q = partnersQuery(db).where('p.id', '=', id);
  if (scope.kind === 'local_authority') q = q.where('p.local_authority_code', '=', scope.code);
  return q.executeTakeFirst();
}

export type PartnerValues = {
  name: string;
  organisationId: string | null;
  sector: string;
  kind: string | null;
  status: string;
  joinedOn: string | null;
  notes: string | null;
};

export async function insertPartner(
  db: Executor,
  code: string,
  v: PartnerValues,
  userId: string | null,
): Promise<string> {
  const row = await db
    .insertInto('partners')
    .values({
      local_authority_code: code,
      organisation_id: v.organisationId,
      name: v.name,
      sector: v.sector,
      kind: v.kind,
      status: v.status,
      joined_on: v.joinedOn,
      notes: v.notes,
      created_by: userId,
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePartner(
  db: Executor,
  id: string,
  v: PartnerValues,
  userId: string | null,
): Promise<void> {
  await db
    .updateTable('partners')
    .set({
      organisation_id: v.organisationId,
      name: v.name,
      sector: v.sector,
      kind: v.kind,
      status: v.status,
      joined_on: v.joinedOn,
      notes: v.notes,
      updated_by: userId,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Organisations in Mortar a partner of this authority may be linked to: those that work in it (not stop
 * smoking services or national bodies, which are not partners in this sense), not already linked to
 * another of its partners.
 */
export async function linkableOrganisations(db: Executor, code: string, exceptPartnerId?: string) {
  let linked = db
    .selectFrom('partners')
    .select('organisation_id')
    .where('local_authority_code', '=', code)
    .where('organisation_id', 'is not', null);
  if (exceptPartnerId) linked = linked.where('id', '!=', exceptPartnerId);
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'type'])
    .where('local_authority_code', '=', code)
    .where('active', '=', true)
    .where('type', 'not in', ['stop_smoking_service', 'national_body'])
    .where('id', 'not in', linked.$narrowType<{ organisation_id: string }>())
    .orderBy('name')
    .execute();
}

export async function listAuthorities(db: Executor) {
  return db.selectFrom('local_authorities').select(['code', 'name']).orderBy('name').execute();
}

export async function authorityName(db: Executor, code: string): Promise<string | undefined> {
  return (await db.selectFrom('local_authorities').select('name').where('code', '=', code).executeTakeFirst())
    ?.name;
}

// --- Contacts -------------------------------------------------------------------------------------

export async function listContacts(db: Executor, partnerId: string) {
  return db
    .selectFrom('partner_contacts')
    .select(['id', 'name', 'role', 'email', 'phone', 'is_primary'])
    .where('partner_id', '=', partnerId)
    .orderBy('is_primary', 'desc')
    .orderBy('name')
    .execute();
}

export async function findContact(db: Executor, partnerId: string, id: string) {
  return db
    .selectFrom('partner_contacts')
    .select(['id', 'name', 'role', 'email', 'phone', 'is_primary'])
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type ContactValues = {
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  isPrimary: boolean;
};

/** A partner has at most one primary contact: naming a new one stops the last being primary. */
async function clearPrimary(db: Executor, partnerId: string, exceptId?: string) {
  let q = db
    .updateTable('partner_contacts')
    .set({ is_primary: false })
    .where('partner_id', '=', partnerId)
    .where('is_primary', '=', true);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function insertContact(db: Executor, partnerId: string, v: ContactValues): Promise<string> {
  if (v.isPrimary) await clearPrimary(db, partnerId);
  const row = await db
    .insertInto('partner_contacts')
    .values({
      partner_id: partnerId,
      name: v.name,
      role: v.role,
      email: v.email,
      phone: v.phone,
      is_primary: v.isPrimary,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContact(
  db: Executor,
  partnerId: string,
  id: string,
  v: ContactValues,
): Promise<void> {
  if (v.isPrimary) await clearPrimary(db, partnerId, id);
  await db
    .updateTable('partner_contacts')
    .set({
      name: v.name,
      role: v.role,
      email: v.email,
      phone: v.phone,
      is_primary: v.isPrimary,
      updated_at: new Date(),
    })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function deleteContact(db: Executor, partnerId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('partner_contacts')
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// --- Smokefree policy -----------------------------------------------------------------------------

export type PolicyValues = {
  status: string;
  adoptedOn: string | null;
  reviewOn: string | null;
  notes: string | null;
};

export async function savePolicy(
  db: Executor,
  partnerId: string,
  v: PolicyValues,
  userId: string | null,
): Promise<void> {
  const values = {
    status: v.status,
    adopted_on: v.adoptedOn,
    review_on: v.reviewOn,
    notes: v.notes,
    updated_by: userId,
    updated_at: new Date(),
  };
  await db
    .insertInto('smokefree_policies')
    .values({ partner_id: partnerId, ...values })
    .onConflict((oc) => oc.column('partner_id').doUpdateSet(values))
    .execute();
}
