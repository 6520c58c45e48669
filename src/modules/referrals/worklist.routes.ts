import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { labelOf, mergeErrors } from '../../platform/forms.ts';
import { listHref, paginationParams, requestedPage } from '../../platform/pagination.ts';
import type { StaffUser } from '../../platform/roles.ts';
import { MENTAL_HEALTH_RECORDED } from './referral.codes.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { pageOfReferrals } from './referral.service.ts';
import { readListSearch } from './referral-search.ts';
import { STATUS_COLOURS, STATUS_LABELS, type ReferralStatus } from './referral-status.ts';

// The service's worklist: its referrals by status, searchable, oldest waiting shown as such. Each
// referral's page and the actions on it are in worklist-referral.routes.ts.

export const SERVICE = ['adviser', 'service_manager'] as const;

const FILTERS: Record<string, { label: string; statuses: readonly ReferralStatus[] }> = {
  open: { label: 'To do', statuses: ['received', 'contacted'] },
  unable_to_contact: { label: 'Unable to contact', statuses: ['unable_to_contact'] },
  accepted: { label: 'Accepted', statuses: ['accepted'] },
  declined: { label: 'Declined', statuses: ['declined'] },
  withdrawn: { label: 'Withdrawn', statuses: ['withdrawn'] },
  all: { label: 'All', statuses: [] },
};

/** Whole days since a time, for "waiting" columns. */
export function daysSince(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / 86_400_000));
}

/**
 * What the worklist shows above everything else: the service's open safety tasks. The safety work lives
 * in a module above referrals, so app.ts hands its reader in rather than this module importing it.
 */
export type SafetyBannerReader = (db: Database, user: StaffUser, requestId: string) => Promise<unknown>;

export function registerWorklistRoutes(
  app: FastifyInstance,
  deps: { db: Database; safetyBanner: SafetyBannerReader },
) {
  const { db } = deps;

  app.get('/worklist', { config: { access: SERVICE } }, async (request, reply) => {
    const user = staffOf(request);
    const q = request.query as Record<string, unknown>;
    const filterKey = typeof q.status === 'string' && q.status in FILTERS ? q.status : 'open';
    const filter = FILTERS[filterKey]!;
    const { text, search, error } = readListSearch(q);
    const listFilter = { statuses: filter.statuses, search };
    const { page, rows } = await pageOfReferrals(db, user, listFilter, requestedPage(q.page), request.id);
    const now = app.clock.now();
    const href = (p: number) => listHref('/worklist', { status: filterKey, q: text, page: p });
    if (error) reply.code(400);
    return reply.page('referrals/views/worklist.njk', {
      title: 'Worklist',
      safetyBanner: await deps.safetyBanner(db, user, request.id),
      filterKey,
      filters: Object.entries(FILTERS).map(([key, f]) => ({
        key,
        label: f.label,
        href: listHref('/worklist', { status: key, q: text }),
        current: key === filterKey,
      })),
      values: { q: text },
      errors: error ? mergeErrors(undefined, 'q', error) : undefined,
      searched: search.kind !== 'none',
      page,
      pager: paginationParams(page, href),
      rows: rows.map((r) => ({
        ...r,
        waitingDays: daysSince(r.created_at, now),
        statusLabel: STATUS_LABELS[r.status],
        statusColour: STATUS_COLOURS[r.status],
        mentalHealthLabel: labelOf(MENTAL_HEALTH_RECORDED, r.mental_health),
        referrerTypeLabel:
          r.source === 'self' ? 'Self-referral' : labelOf(ORGANISATION_TYPES, r.referrer_type),
      })),
    });
  });
}
