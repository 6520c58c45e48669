import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { noStore } from '../../platform/caching.ts';
import { formErrors, labelOf, type FormErrors } from '../../platform/forms.ts';
import { ROLE_LABELS, roleLabelOf, ROLES } from '../../platform/roles.ts';
import { adminScope, grantDecision, mayManageOrganisation } from '../../platform/scope.ts';
import { ORGANISATION_TYPES } from './organisation.codes.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, InviteSchema, isUuid, keptValues } from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';
import { FieldError } from './organisation.service.ts';
import * as userRepo from './user.repository.ts';
import { inviteUser, setUserActive } from './user.service.ts';
import { ADMIN, fieldError, idParam, peopleRows, USERS_SHOWN, V } from './admin.routes.ts';

// People: the list of users and invitations, inviting someone, and disabling or enabling an account.
// An administrator sees and invites their own organisation's people only (platform/scope.ts adminScope).

async function usersPage(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  requestedOrganisationId: string | undefined,
  form: { values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const { values = {}, errors } = form;
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
    // One role, named for where it is held: a practitioner in a mental health service (roleLabelOf).
    roleItems: grantable.map((r) => ({
      value: r,
      text: r === 'adviser' ? `${ROLE_LABELS[r]} (practitioner in a mental health service)` : ROLE_LABELS[r],
      checked: values.role === r,
    })),
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

export function registerAdminUserRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/admin/users', { config: { access: ADMIN } }, async (request, reply) =>
    usersPage(db, request, reply, orgFilter(request)),
  );

  app.post('/admin/users', { config: { access: ADMIN } }, async (request, reply) => {
    const body = bodyOf(request.body);
    const values = keptValues(body);
    const again = (errors: FormErrors) => usersPage(db, request, reply, undefined, { values, errors });
    const parsed = InviteSchema.safeParse(body);
    if (!parsed.success) return again(formErrors(parsed.error, { role: 'role' }));
    let invited;
    try {
      invited = await inviteUser(db, staffOf(request), parsed.data, request.id);
    } catch (err) {
      if (err instanceof FieldError) return again(fieldError(err));
      throw err;
    }
    // The page holds the invitation link, a secret: not for the browser's cache or history.
    noStore(reply);
    return reply.page(V('invitation-created'), {
      title: 'Invitation created',
      backHref: '/admin/users',
      name: parsed.data.name,
      email: parsed.data.email,
      organisationName: invited.organisationName,
      roleLabel: roleLabelOf(parsed.data.role, invited.organisationType),
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
}
