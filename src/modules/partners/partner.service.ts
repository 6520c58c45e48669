import type { Database } from '../../db/database.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import type { PartnerScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { FieldError } from '../organisations/organisation.service.ts';
import { PARTNER_KINDS, type ContactInput, type PartnerInput, type PolicyInput } from './partner.schemas.ts';
import * as repo from './partner.repository.ts';

// Partners, contacts, smokefree policies and training records: every change in one transaction with its
// audit row. Audit details say what changed in words, never a person's name or contact details.

export { FieldError };

/** The partner when the scope reaches it; a 404 otherwise, so nobody learns another authority's partners exist. */
export async function getPartner(db: Database, scope: PartnerScope, id: string) {
  const p = isUuid(id) ? await repo.findPartner(db, scope, id) : undefined;
  if (!p) throw notFound('Partner not found');
  return p;
}

/** Which authority a national analyst asked for (a commissioner always gets their own). */
export async function authorityAsked(db: Database, scope: PartnerScope, v: unknown) {
  if (scope.kind === 'local_authority') return scope.code;
  if (typeof v !== 'string' || !/^E\d{8}$/.test(v)) return undefined;
  return (await repo.authorityName(db, v)) ? v : undefined;
}

/** The area a list is about, by name, and the authorities a national analyst may choose between. */
export async function areaChoice(db: Database, scope: PartnerScope, authority: string | undefined) {
  const areaName = authority ? await repo.authorityName(db, authority) : 'England';
  const authorities = scope.kind === 'all' ? await repo.listAuthorities(db) : [];
  return { areaName, authorities };
}

export type Own = {
  scope: Extract<PartnerScope, { kind: 'local_authority' }>;
  user: StaffUser;
  requestId: string;
};

/** Links to an organisation only when it is one the authority may link (and not linked already). */
async function partnerValues(
  db: Database,
  code: string,
  input: PartnerInput,
  exceptPartnerId?: string,
): Promise<repo.PartnerValues> {
  let name = input.name;
  let kind = input.kind ?? null;
  if (input.organisationId) {
    const org = (await repo.linkableOrganisations(db, code, exceptPartnerId)).find(
      (o) => o.id === input.organisationId,
    );
    if (!org)
      throw new FieldError(
        'organisationId',
        'Select an organisation in your area that is not already a partner',
      );
    name ??= org.name;
    if (kind === null && org.type in PARTNER_KINDS) kind = org.type;
  }
  if (!name) throw new FieldError('name', 'Enter the partner’s name, or select their organisation in Mortar');
  return {
    name,
    organisationId: input.organisationId ?? null,
    sector: input.sector,
    kind,
    status: input.status,
    joinedOn: input.joinedOn ?? null,
    notes: input.notes ?? null,
  };
}

/** Two people linking the same organisation at once: the unique index stops the second. */
function linkedTwice(err: unknown): never {
  if ((err as { code?: string }).code === '23505')
    throw new FieldError('organisationId', 'That organisation is already a partner');
  throw err;
}

export async function createPartner(
  db: Database,
  own: Own,
  input: PartnerInput,
): Promise<{ id: string; name: string }> {
  const values = await partnerValues(db, own.scope.code, input);
  const id = await db
    .transaction()
    .execute(async (trx) => {
      const id = await repo.insertPartner(trx, own.scope.code, values, own.user.id);
      const detail = `status ${values.status}; sector ${values.sector}${values.organisationId ? '; linked to an organisation in Mortar' : ''}`;
      await audit(
        trx,
        own.user,
        { action: 'create', entityType: 'partner', entityId: id, detail },
        own.requestId,
      );
      return id;
    })
    .catch(linkedTwice);
  return { id, name: values.name };
}

export async function updatePartner(
  db: Database,
  own: Own,
  before: repo.PartnerRow,
  input: PartnerInput,
): Promise<string> {
  const values = await partnerValues(db, own.scope.code, input, before.id);
  const changes: string[] = [];
  if (before.status !== values.status) changes.push(`status ${before.status} to ${values.status}`);
  if (before.sector !== values.sector) changes.push(`sector ${before.sector} to ${values.sector}`);
  if (before.organisation_id !== values.organisationId)
    changes.push(
      values.organisationId ? 'linked to an organisation in Mortar' : 'link to an organisation removed',
    );
  if (
    before.name !== values.name ||
    before.kind !== values.kind ||
    before.joined_on !== values.joinedOn ||
    before.notes !== values.notes
  )
    changes.push('details changed');
  await db
    .transaction()
    .execute(async (trx) => {
      await repo.updatePartner(trx, before.id, values, own.user.id);
      await audit(
        trx,
        own.user,
        {
          action: 'update',
          entityType: 'partner',
          entityId: before.id,
          detail: changes.join('; ') || 'saved unchanged',
        },
        own.requestId,
      );
    })
    .catch(linkedTwice);
  return values.name;
}

// --- Contacts -------------------------------------------------------------------------------------

const contactValues = (c: ContactInput): repo.ContactValues => ({
  name: c.contactName,
  role: c.contactRole ?? null,
  email: c.email ?? null,
  phone: c.phone ?? null,
  isPrimary: c.isPrimary,
});

export async function getContact(db: Database, partnerId: string, id: string) {
  const c = isUuid(id) ? await repo.findContact(db, partnerId, id) : undefined;
  if (!c) throw notFound('Contact not found');
  return c;
}

export async function addContact(
  db: Database,
  own: Own,
  partnerId: string,
  input: ContactInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const id = await repo.insertContact(trx, partnerId, contactValues(input));
    await audit(
      trx,
      own.user,
      {
        action: 'create',
        entityType: 'partner_contact',
        entityId: id,
        detail: `partner ${partnerId}${input.isPrimary ? '; primary contact' : ''}`,
      },
      own.requestId,
    );
  });
}

export async function changeContact(
  db: Database,
  own: Own,
  partnerId: string,
  contactId: string,
  input: ContactInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.updateContact(trx, partnerId, contactId, contactValues(input));
    await audit(
      trx,
      own.user,
      {
        action: 'update',
        entityType: 'partner_contact',
        entityId: contactId,
        detail: `partner ${partnerId}${input.isPrimary ? '; primary contact' : ''}`,
      },
      own.requestId,
    );
  });
}

export async function removeContact(
  db: Database,
  own: Own,
  partnerId: string,
  contactId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await repo.deleteContact(trx, partnerId, contactId))) return false;
    await audit(
      trx,
      own.user,
      {
        action: 'update',
        entityType: 'partner_contact',
        entityId: contactId,
        detail: `removed from partner ${partnerId}`,
      },
      own.requestId,
    );
    return true;
  });
}

// --- Smokefree policy -----------------------------------------------------------------------------

export async function setPolicy(
  db: Database,
  own: Own,
  partner: repo.PartnerRow,
  input: PolicyInput,
): Promise<void> {
  const values = {
    status: input.policyStatus,
    adoptedOn: input.adoptedOn ?? null,
    reviewOn: input.reviewOn ?? null,
    notes: input.policyNotes ?? null,
  };
  const detail = `status ${partner.policy_status ?? 'not recorded'} to ${values.status}; adopted ${values.adoptedOn ?? 'no date'}; review ${values.reviewOn ?? 'no date'}`;
  await db.transaction().execute(async (trx) => {
    await repo.savePolicy(trx, partner.id, values, own.user.id);
    await audit(
      trx,
      own.user,
      { action: 'update', entityType: 'smokefree_policy', entityId: partner.id, detail },
      own.requestId,
    );
  });
}
