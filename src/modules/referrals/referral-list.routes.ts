import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { mergeErrors } from '../../platform/forms.ts';
import { listHref, paginationParams, requestedPage } from '../../platform/pagination.ts';
import { pageOfReferrals, viewReferral } from './referral.service.ts';
import {
  referrerMayChange,
  referrerTimeline,
  STATUS_COLOURS,
  STATUS_KINDS,
  STATUS_LABELS,
} from './referral-status.ts';
import { readListSearch } from './referral-search.ts';
import { REFERRER } from './referral.routes.ts';
import { updatesSentAbout } from './referrer-updates.service.ts';
import { stepCodesForReferral } from '../../platform/clinical-code-log.ts';
import { referrerMaySeeStep, STEP_LABELS } from '../../platform/step-codes.ts';
import { UPDATE_STATUS_LABELS } from './referrer-updates.ts';

// A referrer's own referrals: the list, searchable by status, and each one's history. What they see of a
// referral's progress is what the person agreed to share (referral-status.ts referrerTimeline).

/** The update emails about a referral, status only: never where they went beyond inbox or referrer. */
async function updateRows(db: Database, referral: { id: string; consent_share_progress: boolean }) {
  // Emails exist only with the person's consent; checked again so the page can never say more.
  if (!referral.consent_share_progress) return [];
  return (await updatesSentAbout(db, referral.id)).map((u) => ({
    what: STATUS_LABELS[u.event],
    to: u.to === 'organisation' ? "Your organisation's shared inbox" : 'The referrer',
    status: UPDATE_STATUS_LABELS[u.status] ?? 'Not sent',
    at: u.at,
  }));
}

/** The codes the referrer may add to their clinical system: their own steps, and the rest with consent. */
async function referrerCodes(db: Database, referral: { id: string; consent_share_progress: boolean }) {
  return (await stepCodesForReferral(db, referral.id))
    .filter((c) => referrerMaySeeStep(c.step, referral.consent_share_progress))
    .map((c) => ({ ...c, label: STEP_LABELS[c.step] }));
}

export function registerReferralListRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/referrals', { config: { access: REFERRER } }, async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const status = STATUS_KINDS.find((k) => k === q.status);
    const { text, search, error } = readListSearch(q);
    const listFilter = { statuses: status ? [status] : [], search };
    const { page, rows } = await pageOfReferrals(
      db,
      staffOf(request),
      listFilter,
      requestedPage(q.page),
      request.id,
    );
    if (error) reply.code(400);
    return reply.page('referrals/views/list.njk', {
      title: 'Your referrals',
      values: { q: text, status: status ?? '' },
      errors: error ? mergeErrors(undefined, 'q', error) : undefined,
      searched: search.kind !== 'none' || status !== undefined,
      statusItems: [
        { value: '', text: 'Any status', selected: !status },
        ...STATUS_KINDS.map((k) => ({ value: k, text: STATUS_LABELS[k], selected: k === status })),
      ],
      page,
      pager: paginationParams(page, (p) => listHref('/referrals', { q: text, status, page: p })),
      rows: rows.map((r) => ({
        ...r,
        visibleStatus: r.consent_share_progress
          ? { label: STATUS_LABELS[r.status], colour: STATUS_COLOURS[r.status], at: r.status_at }
          : null,
      })),
    });
  });

  app.get('/referrals/:id', { config: { access: REFERRER } }, async (request, reply) => {
    const { referral, events } = await viewReferral(
      db,
      staffOf(request),
      (request.params as { id: string }).id,
      request.id,
    );
    const timeline = referrerTimeline(events, referral.consent_share_progress).map((s) => ({
      ...s,
      label: STATUS_LABELS[s.status],
      colour: STATUS_COLOURS[s.status],
    }));
    return reply.page('referrals/views/show.njk', {
      title: `Referral ${referral.reference}`,
      referral,
      timeline,
      updates: await updateRows(db, referral),
      codes: await referrerCodes(db, referral),
      consentShareProgress: referral.consent_share_progress,
      // Offered without consent too, so its going does not tell the referrer the service has accepted.
      mayChange:
        referrerMayChange(referral.status) ||
        (!referral.consent_share_progress && referral.status !== 'withdrawn'),
      backHref: '/referrals',
    });
  });
}
