import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { listHref, pageOf, paginationParams, requestedPage } from '../../platform/pagination.ts';
import { ROLE_LABELS, roleLabelOf } from '../../platform/roles.ts';
import { grantsScope } from '../../platform/scope.ts';
import * as userRepo from './user.repository.ts';

// Who was given access to an organisation, by whom, and what became of it. A national administrator can
// give access in any organisation (platform/scope.ts grantDecision); this page is how the organisation's
// own service managers and administrators find out, so access given from outside is never silent.

const READERS = ['service_manager', 'administrator', 'national_administrator'] as const;

/** What became of a grant's invitation. Pure. */
export function grantState(
  g: { accepted_at: Date | null; expires_at: Date },
  now: Date,
): { label: string; colour: string } {
  if (g.accepted_at) return { label: 'Accepted', colour: 'green' };
  if (g.expires_at <= now) return { label: 'Not used', colour: 'grey' };
  return { label: 'Invited', colour: 'blue' };
}

export function registerGrantRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/access-grants', { config: { access: READERS } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = grantsScope(user);
    const organisationId = scope.kind === 'all' ? null : scope.organisationId;
    const total = await userRepo.countGrants(db, organisationId);
    const page = pageOf(total, requestedPage((request.query as Record<string, unknown>).page));
    const rows = await userRepo.listGrants(db, { organisationId, limit: page.limit, offset: page.offset });
    const now = new Date();
    return reply.page('organisations/views/grants.njk', {
      title: 'Access granted',
      allOrganisations: scope.kind === 'all',
      page,
      pager: paginationParams(page, (p) => listHref('/access-grants', { page: p })),
      rows: rows.map((g) => ({
        ...g,
        roleLabel: roleLabelOf(g.role, g.organisation_type),
        grantedByRoleLabel: ROLE_LABELS[g.granted_by_role],
        fromOutside: g.granted_by_role === 'national_administrator',
        state: grantState(g, now),
      })),
    });
  });
}
