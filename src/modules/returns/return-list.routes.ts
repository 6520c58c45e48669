// The list of quarterly returns: for each authority the user's returns are for (a commissioner's own; the
// ones a service manager's service is commissioned by; a mental health service's own integrated-delivery
// return for its manager), this quarter and the ones before, with their status. A national analyst has the national collection instead (national.routes.ts). The list is audited.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden } from '../../platform/errors.ts';
import type { StaffUser } from '../../platform/roles.ts';
import {
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import { authoritiesCommissioning, findAuthority } from './authority.repository.ts';
import { listReturnsOf } from './return.repository.ts';
import { returnPath, STATUS_LABELS } from './return.service.ts';
import { integratedUnitKey } from './return-unit.ts';
import { deliveryRouteOf } from '../organisations/delivery-route.ts';

type Deps = { db: Database };
type Authority = { code: string; name: string };

/** How many quarters the list of an authority's returns offers: this one and the ones before. */
export const QUARTERS_OFFERED = 5;

/** The quarters a list offers, newest first: the current one and the ones before it. */
export function quartersOffered(today: string, n = QUARTERS_OFFERED): Period[] {
  const now = quarterOf(today);
  return [...previousQuarters(now, n - 1), now].reverse();
}

/** The authorities whose returns the user works on in the quarters offered. */
async function authoritiesOf(db: Database, user: StaffUser, quarters: Period[]): Promise<Authority[]> {
  if (user.role === 'commissioner') {
    if (!user.localAuthorityCode) throw forbidden();
    const a = await findAuthority(db, user.localAuthorityCode);
    return a ? [{ code: a.code, name: a.name }] : [];
  }
  // A mental health service's episodes count in its own return (return-unit.ts), never an authority's.
  if (deliveryRouteOf(user.organisationType) === 'integrated') {
    return [
      { code: integratedUnitKey(user.organisationId), name: `${user.organisationName}: integrated delivery` },
    ];
  }
  const first = quarterRange(quarters.at(-1)!.financialYear, quarters.at(-1)!.quarter).start;
  const last = quarterRange(quarters[0]!.financialYear, quarters[0]!.quarter).end;
  return authoritiesCommissioning(db, user.organisationId, first, last);
}

/** An authority's row of the list: each quarter offered with its return's status and version. */
async function quartersOf(db: Database, a: Authority, quarters: Period[]) {
  const rows = await listReturnsOf(db, a.code);
  return {
    ...a,
    quarters: quarters.map((q) => {
      const row = rows.find((r) => r.financial_year === q.financialYear && r.quarter === q.quarter);
      return {
        label: quarterLabel(q.financialYear, q.quarter),
        href: returnPath(a.code, q),
        status: STATUS_LABELS[row?.status ?? 'not_started'],
        version: row?.current_version ?? null,
      };
    }),
  };
}

export function registerReturnListRoutes(app: FastifyInstance, { db }: Deps) {
  app.get(
    '/returns',
    { config: { access: ['service_manager', 'commissioner', 'national_analyst'] } },
    async (request, reply) => {
      const user = staffOf(request);
      if (user.role === 'national_analyst') return reply.redirect('/national/returns', 303);
      const quarters = quartersOffered(app.clock.today());
      const authorities = await authoritiesOf(db, user, quarters);
      const lists = await Promise.all(authorities.map((a) => quartersOf(db, a, quarters)));
      await audit(
        db,
        user,
        {
          action: 'list',
          entityType: 'return',
          detail: `returns of ${authorities.map((a) => a.code).join(', ') || 'no authority'}`,
        },
        request.id,
      );
      return reply.page('returns/views/returns.njk', { title: 'Quarterly returns', authorities: lists });
    },
  );
}
