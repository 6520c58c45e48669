// Searching the caller's referrals as ServiceRequests or Tasks, by status and date, paged. The scope is
// the referral module's (the caller's organisation's referrals), and a status filter matches only what
// the referrer may see (referral.repository.ts filterableStatus).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/access.ts';
import type { Actor } from '../../platform/roles.ts';
import { serviceRequestOf, taskOf, type Viewed } from './fhir-referral.ts';
import { fhirValidationError, searchReferrals } from './fhir-referral.service.ts';
import { FHIR_JSON, searchset, type Resource } from './fhir-resources.ts';
import { apiRoute, type FhirReferralDeps } from './fhir-http.plugin.ts';
import { parseSearch, type Search } from './fhir-search.ts';
import {
  referralStatusesForServiceRequest,
  referralStatusesForTask,
  SERVICE_REQUEST_STATUSES,
  TASK_STATUSES,
  type ServiceRequestStatus,
  type TaskStatus,
} from './fhir-status.ts';

type Kind = {
  type: 'ServiceRequest' | 'Task';
  statuses: readonly string[];
  authored: string;
  lastUpdated: boolean;
  statusesFor: (s: string[]) => ReturnType<typeof referralStatusesForTask>;
  resource: (v: Viewed, base: string) => Resource;
};

const KINDS: Kind[] = [
  {
    type: 'ServiceRequest',
    statuses: SERVICE_REQUEST_STATUSES,
    authored: 'authored',
    // A request's own status changes less often than its Task; what changed is the Task's to say.
    lastUpdated: false,
    statusesFor: (s) => referralStatusesForServiceRequest(s as ServiceRequestStatus[]),
    resource: serviceRequestOf,
  },
  {
    type: 'Task',
    statuses: TASK_STATUSES,
    authored: 'authored-on',
    lastUpdated: true,
    statusesFor: (s) => referralStatusesForTask(s as TaskStatus[]),
    resource: taskOf,
  },
];

async function run(
  deps: FhirReferralDeps,
  kind: Kind,
  actor: Actor,
  search: Search,
  request: FastifyRequest,
) {
  const wanted = search.tokens.status;
  const statuses = wanted ? kind.statusesFor(wanted) : undefined;
  const links = { base: deps.base, path: `/${kind.type}`, params: search.params };
  const now = request.server.clock.now();
  // A status nothing maps to matches nothing: an empty page, never every referral.
  if (statuses?.length === 0) return searchset([], 0, search.page, links, now);
  const { total, found } = await searchReferrals(
    deps.db,
    actor,
    {
      statuses,
      created: search.dates[kind.authored],
      referrerUpdated: search.dates._lastUpdated,
      limit: search.page.count,
      offset: search.page.offset,
    },
    request.id,
  );
  return searchset(
    found.map((v) => kind.resource(v, deps.base)),
    total,
    search.page,
    links,
    now,
  );
}

export function registerFhirReferralSearch(fhir: FastifyInstance, deps: FhirReferralDeps) {
  for (const kind of KINDS) {
    const searchParams = {
      status: 'token' as const,
      [kind.authored]: 'date' as const,
      ...(kind.lastUpdated ? { _lastUpdated: 'date' as const } : {}),
    };
    fhir.get(
      `/${kind.type}`,
      apiRoute({ type: kind.type, interaction: 'search-type', searchParams }),
      async (request, reply) => {
        const search = parseSearch(request.query as Record<string, string>, {
          tokens: { status: kind.statuses },
          dates: [kind.authored, ...(kind.lastUpdated ? ['_lastUpdated'] : [])],
        });
        if ('errors' in search) throw fhirValidationError(search.errors);
        const bundle = await run(deps, kind, actorOf(request), search, request);
        return reply.type(`${FHIR_JSON}; charset=utf-8`).send(bundle);
      },
    );
  }
}
