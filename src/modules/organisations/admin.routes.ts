import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, optionsOf, type FormErrors } from '../../platform/forms.ts';
import { roleLabelOf, type StaffUser } from '../../platform/roles.ts';
import { adminScope, mayManageOrganisation } from '../../platform/scope.ts';
import { ORGANISATION_TYPES } from './organisation.codes.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues, OrganisationSchema, SiteSchema } from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';
import {
  addSite,
  createOrganisation,
  FieldError,
  getOrganisation,
  organisationTypeLabel,
} from './organisation.service.ts';
import * as userRepo from './user.repository.ts';
import { USER_STATUS_COLOURS, USER_STATUS_LABELS, userStatus, type UserStatus } from './user.service.ts';

// An administrator manages their own organisation: its page, sites, API keys and people. Everything wider
// (other organisations, adding organisations, commissions) is a national administrator's
// (platform/scope.ts adminScope). An organisation out of scope answers 404, as one that does not exist.
// The administration pages are split by page group: organisations (here), commissions, API keys, users
// and invitations each have their own routes file, and share the helpers exported here.
export const ADMIN = ['administrator', 'national_administrator'] as const;
export const NATIONAL = ['national_administrator'] as const;
export const USERS_SHOWN = 500;

export const V = (name: string) => `organisations/views/${name}.njk`;
export const idParam = (request: FastifyRequest, name = 'id') =>
  (request.params as Record<string, string>)[name] ?? '';
export const fieldError = (err: FieldError, errors?: FormErrors) =>
  mergeErrors(errors, err.field, err.message, err.href);
export const isNational = (user: StaffUser) => user.role === 'national_administrator';

function laItems(las: { code: string; name: string }[], selected: string | undefined, prompt: string) {
  return [
    { value: '', text: prompt, selected: !selected },
    ...las.map((la) => ({ value: la.code, text: la.name, selected: la.code === selected })),
  ];
}

/** An organisation the signed-in administrator manages; 404 for any other. */
export async function managedOrganisation(db: Database, request: FastifyRequest, id = idParam(request)) {
  if (!mayManageOrganisation(adminScope(staffOf(request)), id)) throw notFound('Organisation not found');
  return getOrganisation(db, id);
}

async function organisationsPage(
  db: Database,
  reply: FastifyReply,
  values: Record<string, string> = {},
  errors?: FormErrors,
) {
  const [rows, las] = await Promise.all([repo.listOrganisations(db), repo.listLocalAuthorities(db)]);
  if (errors) reply.code(400);
  return reply.page(V('organisations'), {
    title: 'Organisations',
    rows: rows.map((r) => ({ ...r, type_label: organisationTypeLabel(r.type) })),
    values,
    errors,
    typeItems: optionsOf(ORGANISATION_TYPES, values.type),
    laItems: laItems(las, values.localAuthorityCode, 'Select a local authority'),
  });
}

export type DetailForm = {
  form?: 'site' | 'commission' | 'referral-updates';
  values?: Record<string, string>;
  errors?: FormErrors;
};

/** An organisation's page, with the site or commission form shown again when it had errors. */
export async function organisationPage(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  f: DetailForm = {},
) {
  const org = await managedOrganisation(db, request, id);
  const national = isNational(staffOf(request));
  const isService = org.type === 'stop_smoking_service';
  const [sites, users, invitations, commissions, las] = await Promise.all([
    repo.listSites(db, org.id),
    userRepo.listUsers(db, { organisationId: org.id, limit: USERS_SHOWN }),
    userRepo.listPendingInvitations(db, { organisationId: org.id, limit: USERS_SHOWN }),
    isService ? repo.listCommissions(db, org.id) : Promise.resolve([]),
    isService && national ? repo.listLocalAuthorities(db) : Promise.resolve([]),
  ]);
  if (f.errors) reply.code(400);
  const values = f.values ?? {};
  return reply.page(V('organisation'), {
    title: org.name,
    backHref: national ? '/admin/organisations' : undefined,
    org,
    typeLabel: organisationTypeLabel(org.type),
    isService,
    canCommission: isService && national,
    sites,
    people: peopleRows(users, invitations),
    commissions,
    form: f.form,
    values,
    errors: f.errors,
    commissionLaItems: laItems(
      las,
      f.form === 'commission' ? values.localAuthorityCode : undefined,
      'Select a local authority',
    ),
  });
}

/** Organisations: the national list, adding one, an organisation's page and its sites. */
export function registerAdminRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/admin', { config: { access: ADMIN } }, async (request, reply) => {
    const user = staffOf(request);
    return reply.redirect(
      isNational(user) ? '/admin/organisations' : `/admin/organisations/${user.organisationId}`,
      303,
    );
  });

  app.get('/admin/organisations', { config: { access: NATIONAL } }, async (_request, reply) =>
    organisationsPage(db, reply),
  );

  app.post('/admin/organisations', { config: { access: NATIONAL } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = OrganisationSchema.safeParse(body);
    if (!parsed.success)
      return organisationsPage(db, reply, values, formErrors(parsed.error, { type: 'type' }));
    try {
      const id = await createOrganisation(db, staffOf(request), parsed.data, request.id);
      setFlash(reply, `${parsed.data.name} has been added`);
      return reply.redirect(`/admin/organisations/${id}`, 303);
    } catch (err) {
      if (err instanceof FieldError) return organisationsPage(db, reply, values, fieldError(err));
      throw err;
    }
  });

  app.get('/admin/organisations/:id', { config: { access: ADMIN } }, async (request, reply) =>
    organisationPage(db, request, reply, idParam(request)),
  );

  app.post('/admin/organisations/:id/sites', { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(db, request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = SiteSchema.safeParse(body);
    if (!parsed.success)
      return organisationPage(db, request, reply, org.id, {
        form: 'site',
        values,
        errors: formErrors(parsed.error),
      });
    await addSite(db, staffOf(request), org.id, parsed.data, request.id);
    setFlash(reply, `${parsed.data.siteName} has been added`);
    return reply.redirect(`/admin/organisations/${org.id}`, 303);
  });
}

type UserRow = Awaited<ReturnType<typeof userRepo.listUsers>>[number];
type InvitationRow = Awaited<ReturnType<typeof userRepo.listPendingInvitations>>[number];

/** Users and people invited but not yet signed up, as one list. */
export function peopleRows(users: UserRow[], invitations: InvitationRow[]) {
  const row = (status: UserStatus) => ({
    status,
    statusLabel: USER_STATUS_LABELS[status],
    statusColour: USER_STATUS_COLOURS[status],
  });
  return [
    ...users.map((u) => ({
      kind: 'user' as const,
      id: u.id,
      name: u.name,
      email: u.email,
      roleLabel: roleLabelOf(u.role, u.organisation_type),
      organisationId: u.organisation_id,
      organisationName: u.organisation_name,
      lastSignInAt: u.last_sign_in_at,
      expiresAt: null,
      ...row(userStatus(u)),
    })),
    ...invitations.map((i) => ({
      kind: 'invitation' as const,
      id: i.id,
      name: i.name,
      email: i.email,
      roleLabel: roleLabelOf(i.role, i.organisation_type),
      organisationId: i.organisation_id,
      organisationName: i.organisation_name,
      lastSignInAt: null,
      expiresAt: i.expires_at,
      ...row('invited'),
    })),
  ].sort((a, b) => a.organisationName.localeCompare(b.organisationName) || a.name.localeCompare(b.name));
}
