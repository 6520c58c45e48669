import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { ROLE_LABELS, ROLES, type StaffUser } from '../../platform/roles.ts';
import { adminScope, grantDecision, mayManageOrganisation } from '../../platform/scope.ts';
import { ORGANISATION_TYPES } from './organisation.codes.ts';
import { labelOf, optionsOf } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { setFlash } from '../../platform/flash.ts';
import {
  AcceptInvitationSchema,
  ApiKeySchema,
  bodyOf,
  commissionSchema,
  InviteSchema,
  isUuid,
  keptValues,
  OrganisationSchema,
  SiteSchema,
} from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';
import {
  addSite,
  createApiKey,
  createOrganisation,
  FieldError,
  getOrganisation,
  organisationTypeLabel,
  revokeApiKey,
  setCommission,
} from './organisation.service.ts';
import * as userRepo from './user.repository.ts';
import {
  acceptInvitation,
  findInvitationByToken,
  InvitationUnavailable,
  inviteUser,
  setUserActive,
  USER_STATUS_COLOURS,
  USER_STATUS_LABELS,
  userStatus,
  type UserStatus,
} from './user.service.ts';

type Deps = { db: Database; config?: Config };

// An administrator manages their own organisation: its page, sites, API keys and people. Everything wider
// (other organisations, adding organisations, commissions) is a national administrator's
// (platform/scope.ts adminScope). An organisation out of scope answers 404, as one that does not exist.
const ADMIN = ['administrator', 'national_administrator'] as const;
const NATIONAL = ['national_administrator'] as const;
const USERS_SHOWN = 500;

const V = (name: string) => `organisations/views/${name}.njk`;
const idParam = (request: FastifyRequest, name = 'id') =>
  (request.params as Record<string, string>)[name] ?? '';
const fieldError = (err: FieldError, errors?: FormErrors) =>
  mergeErrors(errors, err.field, err.message, err.href);

/** Pages that show a secret once must not be kept by the browser or anything in between. */
const noStore = (reply: FastifyReply) => reply.header('Cache-Control', 'no-store');

function laItems(las: { code: string; name: string }[], selected: string | undefined, prompt: string) {
  return [
    { value: '', text: prompt, selected: !selected },
    ...las.map((la) => ({ value: la.code, text: la.name, selected: la.code === selected })),
  ];
}

export function registerAdminRoutes(app: FastifyInstance, { db }: Deps) {
  /** An organisation the signed-in administrator manages; 404 for any other. */
  async function managedOrganisation(request: FastifyRequest, id = idParam(request)) {
    if (!mayManageOrganisation(adminScope(staffOf(request)), id)) throw notFound('Organisation not found');
    return getOrganisation(db, id);
  }
  const isNational = (user: StaffUser) => user.role === 'national_administrator';

  app.get('/admin', { config: { access: ADMIN } }, async (request, reply) => {
    const user = staffOf(request);
    return reply.redirect(
      isNational(user) ? '/admin/organisations' : `/admin/organisations/${user.organisationId}`,
      303,
    );
  });

  // Organisations -------------------------------------------------------------------------------

  async function organisationsPage(
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

  app.get('/admin/organisations', { config: { access: NATIONAL } }, async (_request, reply) =>
    organisationsPage(reply),
  );

  app.post('/admin/organisations', { config: { access: NATIONAL } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = OrganisationSchema.safeParse(body);
    if (!parsed.success) return organisationsPage(reply, values, formErrors(parsed.error, { type: 'type' }));
    try {
      const id = await createOrganisation(db, staffOf(request), parsed.data, request.id);
      setFlash(reply, `${parsed.data.name} has been added`);
      return reply.redirect(`/admin/organisations/${id}`, 303);
    } catch (err) {
      if (err instanceof FieldError) return organisationsPage(reply, values, fieldError(err));
      throw err;
    }
  });

  type DetailForm = { form?: 'site' | 'commission'; values?: Record<string, string>; errors?: FormErrors };

  async function organisationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    f: DetailForm = {},
  ) {
    const org = await managedOrganisation(request, id);
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

  app.get('/admin/organisations/:id', { config: { access: ADMIN } }, async (request, reply) =>
    organisationPage(request, reply, idParam(request)),
  );

  app.post('/admin/organisations/:id/sites', { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(request);
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = SiteSchema.safeParse(body);
    if (!parsed.success)
      return organisationPage(request, reply, org.id, {
        form: 'site',
        values,
        errors: formErrors(parsed.error),
      });
    await addSite(db, staffOf(request), org.id, parsed.data, request.id);
    setFlash(reply, `${parsed.data.siteName} has been added`);
    return reply.redirect(`/admin/organisations/${org.id}`, 303);
  });

  app.post(
    '/admin/organisations/:id/commissions',
    { config: { access: NATIONAL } },
    async (request, reply) => {
      const org = await getOrganisation(db, idParam(request));
      if (org.type !== 'stop_smoking_service') throw notFound('Organisation not found');
      const body = bodyOf(request.body);
      const values = keptValues(body);
      const input = {
        localAuthorityCode: body.localAuthorityCode,
        startsOn: isoDateOf(body['startsOn-day'], body['startsOn-month'], body['startsOn-year']) ?? '',
      };
      const again = (errors: FormErrors) =>
        organisationPage(request, reply, org.id, { form: 'commission', values, errors });
      const parsed = commissionSchema(app.clock.today()).safeParse(input);
      if (!parsed.success) return again(formErrors(parsed.error, { startsOn: 'startsOn-day' }));
      try {
        await setCommission(db, staffOf(request), org, parsed.data, request.id);
      } catch (err) {
        if (err instanceof FieldError) return again(fieldError(err));
        throw err;
      }
      const la = await repo.findLocalAuthority(db, parsed.data.localAuthorityCode);
      setFlash(reply, `${org.name} is now commissioned by ${la?.name ?? parsed.data.localAuthorityCode}`);
      return reply.redirect(`/admin/organisations/${org.id}`, 303);
    },
  );

  // API keys ------------------------------------------------------------------------------------

  async function apiKeysPage(
    reply: FastifyReply,
    org: { id: string; name: string },
    extra: Record<string, unknown> = {},
  ) {
    const keys = await repo.listApiKeys(db, org.id);
    noStore(reply);
    return reply.page(V('api-keys'), {
      title: `API keys for ${org.name}`,
      backHref: `/admin/organisations/${org.id}`,
      org,
      keys,
      values: {},
      ...extra,
    });
  }

  app.get('/admin/organisations/:id/api-keys', { config: { access: ADMIN } }, async (request, reply) =>
    apiKeysPage(reply, await managedOrganisation(request)),
  );

  app.post('/admin/organisations/:id/api-keys', { config: { access: ADMIN } }, async (request, reply) => {
    const org = await managedOrganisation(request);
    const body = bodyOf(request.body);
    const parsed = ApiKeySchema.safeParse(body);
    if (!parsed.success) {
      reply.code(400);
      return apiKeysPage(reply, org, { values: keptValues(body), errors: formErrors(parsed.error) });
    }
    const created = await createApiKey(db, staffOf(request), org.id, parsed.data.keyName, request.id);
    // Shown in this response only: it is never stored and never put in a link or a cookie.
    return apiKeysPage(reply, org, { newKey: { name: parsed.data.keyName, key: created.key } });
  });

  app.post(
    '/admin/organisations/:id/api-keys/:keyId/revoke',
    { config: { access: ADMIN } },
    async (request, reply) => {
      const org = await managedOrganisation(request);
      const name = await revokeApiKey(db, staffOf(request), org.id, idParam(request, 'keyId'), request.id);
      setFlash(
        reply,
        `The API key "${name}" has been revoked. Systems using it can no longer send referrals`,
      );
      return reply.redirect(`/admin/organisations/${org.id}/api-keys`, 303);
    },
  );

  // Users ---------------------------------------------------------------------------------------

  async function usersPage(
    request: FastifyRequest,
    reply: FastifyReply,
    requestedOrganisationId: string | undefined,
    values: Record<string, string> = {},
    errors?: FormErrors,
  ) {
    const user = staffOf(request);
    const scope = adminScope(user);
    // An administrator sees and invites their own organisation's people only.
    const filterOrganisationId = scope.kind === 'all' ? requestedOrganisationId : scope.organisationId;
    const filter = { organisationId: filterOrganisationId, limit: USERS_SHOWN };
    const [users, invitations, allOrgs] = await Promise.all([
      userRepo.listUsers(db, filter),
      userRepo.listPendingInvitations(db, filter),
      repo.listActiveOrganisationNames(db),
    ]);
    const orgs = allOrgs.filter((o) => mayManageOrganisation(scope, o.id));
    if (errors) reply.code(400);
    const selectedOrg = values.organisationId ?? filterOrganisationId;
    // Roles offered are those this administrator may give in some organisation (grantDecision decides).
    const grantable = ROLES.filter(
      (r) =>
        grantDecision(user, { organisationId: filterOrganisationId ?? user.organisationId, role: r }).allowed,
    );
    return reply.page(V('users'), {
      title: 'Users',
      people: peopleRows(users, invitations),
      truncated: users.length >= USERS_SHOWN,
      national: scope.kind === 'all',
      filterOrganisation:
        scope.kind === 'all' && filterOrganisationId
          ? orgs.find((o) => o.id === filterOrganisationId)
          : undefined,
      values,
      errors,
      roleItems: grantable.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: values.role === r })),
      organisationItems: [
        { value: '', text: 'Select an organisation', selected: !selectedOrg },
        ...orgs.map((o) => ({
          value: o.id,
          text: `${o.name} (${labelOf(ORGANISATION_TYPES, o.type)})`,
          selected: o.id === selectedOrg,
        })),
      ],
    });
  }

  const orgFilter = (request: FastifyRequest) => {
    const v = (request.query as Record<string, unknown>).organisationId;
    return typeof v === 'string' && isUuid(v) ? v : undefined;
  };

  app.get('/admin/users', { config: { access: ADMIN } }, async (request, reply) =>
    usersPage(request, reply, orgFilter(request)),
  );

  app.post('/admin/users', { config: { access: ADMIN } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const parsed = InviteSchema.safeParse(body);
    if (!parsed.success)
      return usersPage(request, reply, undefined, values, formErrors(parsed.error, { role: 'role' }));
    let invited;
    try {
      invited = await inviteUser(db, staffOf(request), parsed.data, request.id);
    } catch (err) {
      if (err instanceof FieldError) return usersPage(request, reply, undefined, values, fieldError(err));
      throw err;
    }
    noStore(reply);
    return reply.page(V('invitation-created'), {
      title: 'Invitation created',
      backHref: '/admin/users',
      name: parsed.data.name,
      email: parsed.data.email,
      organisationName: invited.organisationName,
      roleLabel: ROLE_LABELS[parsed.data.role],
      link: `${request.protocol}://${request.host}/invitations/${invited.token}`,
      expiresAt: invited.expiresAt,
    });
  });

  for (const [action, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(`/admin/users/:id/${action}`, { config: { access: ADMIN } }, async (request, reply) => {
      const name = await setUserActive(db, staffOf(request), idParam(request), active, request.id);
      setFlash(reply, active ? `${name} can sign in again` : `${name} has been disabled and signed out`);
      return reply.redirect('/admin/users', 303);
    });
  }

  // Accepting an invitation (public: the person has no account yet) ----------------------------

  const unavailable = (reply: FastifyReply, state: InvitationUnavailable['state']) =>
    reply.code(410).page(V('invitation-unavailable'), { title: 'This invitation cannot be used', state });

  app.get('/invitations/:token', { config: { access: 'public' } }, async (request, reply) => {
    const inv = await findInvitationByToken(db, idParam(request, 'token'));
    noStore(reply);
    if (inv.state !== 'valid') return unavailable(reply, inv.state);
    return reply.page(V('invitation'), {
      title: 'Set your password',
      token: idParam(request, 'token'),
      invitation: inv,
      roleLabel: ROLE_LABELS[inv.role],
    });
  });

  app.post(
    '/invitations/:token',
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const token = idParam(request, 'token');
      const inv = await findInvitationByToken(db, token);
      noStore(reply);
      if (inv.state !== 'valid') return unavailable(reply, inv.state);
      const parsed = AcceptInvitationSchema.safeParse(bodyOf(request.body));
      if (!parsed.success) {
        // Passwords are never sent back to the browser, so there is nothing typed to keep.
        return reply.code(400).page(V('invitation'), {
          title: 'Set your password',
          token,
          invitation: inv,
          roleLabel: ROLE_LABELS[inv.role],
          errors: formErrors(parsed.error),
        });
      }
      try {
        await acceptInvitation(db, token, parsed.data.password, request.id);
      } catch (err) {
        if (err instanceof InvitationUnavailable) return unavailable(reply, err.state);
        throw err;
      }
      setFlash(
        reply,
        'Your account is ready. Sign in with your email address and the password you just set.',
      );
      return reply.redirect('/sign-in', 303);
    },
  );
}

type UserRow = Awaited<ReturnType<typeof userRepo.listUsers>>[number];
type InvitationRow = Awaited<ReturnType<typeof userRepo.listPendingInvitations>>[number];

/** Users and people invited but not yet signed up, as one list. */
function peopleRows(users: UserRow[], invitations: InvitationRow[]) {
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
      roleLabel: ROLE_LABELS[u.role],
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
      roleLabel: ROLE_LABELS[i.role],
      organisationId: i.organisation_id,
      organisationName: i.organisation_name,
      lastSignInAt: null,
      expiresAt: i.expires_at,
      ...row('invited'),
    })),
  ].sort((a, b) => a.organisationName.localeCompare(b.organisationName) || a.name.localeCompare(b.name));
}
