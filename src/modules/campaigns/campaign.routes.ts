import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import {
  campaignFiguresExact,
  campaignScope,
  mayEditCampaign,
  type CampaignScope,
} from '../../platform/scope.ts';
import { formatDate } from '../../platform/dates.ts';
import { CODE_GRACE_DAYS, countingWindow } from '../referrals/campaign-attribution.ts';
import {
  figureText,
  MEASURE_LABELS,
  MEASURES,
  resultsCsv,
  shapeResults,
  type CampaignResults,
} from './campaign-results.ts';
import * as repo from './campaign.repository.ts';
import { CHANNELS } from './campaign.schemas.ts';

// Communications campaigns: the list, and each campaign's page with its results and their CSV. Who sees
// and edits which campaign, and whose figures are exact, is decided in platform/scope.ts (campaignScope).
// Creating and changing a campaign are in campaign-form.routes.ts.

type Deps = { db: Database };
export const BOTH = ['commissioner', 'national_analyst'] as const;
const V = (name: string) => `campaigns/views/${name}.njk`;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const channelText = (keys: readonly string[]) =>
  keys.map((k) => CHANNELS[k as keyof typeof CHANNELS] ?? k).join(', ');

function datesText(c: { starts_on: string; ends_on: string | null }) {
  return c.ends_on
    ? `${formatDate(c.starts_on)} to ${formatDate(c.ends_on)}`
    : `From ${formatDate(c.starts_on)}, no end date`;
}

/** The campaign the path names, when the user's scope reaches it; a 404 otherwise. */
export async function visibleCampaign(db: Database, request: FastifyRequest) {
  const user = staffOf(request);
  const scope = campaignScope(user);
  const campaign = await repo.findCampaign(db, scope, idOf(request));
  if (!campaign) throw notFound('Campaign not found');
  return { user, scope, campaign };
}

async function resultsOf(db: Database, scope: CampaignScope, c: repo.CampaignRow): Promise<CampaignResults> {
  const rows = await repo.campaignResultRows(db, [c.id]);
  const authorities = await repo.authoritiesOf(db, [...new Set(rows.map((r) => r.la))]);
  return shapeResults(rows, {
    exactFor: (la) => campaignFiguresExact(scope, la),
    authorities,
    campaign: { regionCode: c.region_code, localAuthorityCode: c.local_authority_code },
  });
}

/** What the campaign's page says about it, beside its results. */
function aboutCampaign(scope: CampaignScope, c: repo.CampaignRow) {
  const window = countingWindow({ startsOn: c.starts_on, endsOn: c.ends_on });
  return {
    kind: c.region_code ? 'Regional campaign' : 'Local campaign',
    datesText: datesText(c),
    countsText: window.to
      ? `from ${formatDate(window.from)} to ${formatDate(window.to)}`
      : `from ${formatDate(window.from)}`,
    graceDays: CODE_GRACE_DAYS,
    channelsText: channelText(c.channels),
    mayEdit: mayEditCampaign(scope, {
      regionCode: c.region_code,
      localAuthorityCode: c.local_authority_code,
    }),
    selfReferralLink: `/self-referral?campaign=${encodeURIComponent(c.code)}`,
  };
}

export function registerCampaignRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/campaigns', { config: { access: BOTH } }, async (request, reply) => {
    const scope = campaignScope(staffOf(request));
    const rows = await repo.listCampaigns(db, scope);
    return reply.page(V('list'), {
      title: 'Campaigns',
      flash: reply.locals?.flash,
      rows: rows.map((c) => ({
        ...c,
        kind: c.region_code ? 'Regional' : 'Local',
        datesText: datesText(c),
        channelsText: channelText(c.channels),
      })),
    });
  });

  app.get('/campaigns/:id', { config: { access: BOTH } }, async (request, reply) => {
    const { scope, campaign: c } = await visibleCampaign(db, request);
    const results = await resultsOf(db, scope, c);
    return reply.page(V('show'), {
      title: c.name,
      backHref: '/campaigns',
      flash: reply.locals?.flash,
      campaign: c,
      ...aboutCampaign(scope, c),
      results,
      measures: MEASURES.map((m) => ({ key: m, label: MEASURE_LABELS[m] })),
      fig: figureText,
    });
  });

  app.get('/campaigns/:id/results.csv', { config: { access: BOTH } }, async (request, reply) => {
    const { user, scope, campaign: c } = await visibleCampaign(db, request);
    const results = await resultsOf(db, scope, c);
    await audit(
      db,
      user,
      { action: 'export', entityType: 'campaign', entityId: c.id, detail: 'results CSV' },
      request.id,
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="campaign-${c.code.toLowerCase()}-results.csv"`)
      .send(resultsCsv(c, results));
  });
}
