import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { formErrors, mergeErrors, type FormErrors } from '../../platform/forms.ts';
import {
  campaignFiguresExact,
  campaignScope,
  mayEditCampaign,
  type CampaignScope,
} from '../../platform/scope.ts';
import { formatDate } from '../../platform/dates.ts';
import { setFlash } from '../../platform/flash.ts';
import { optionsOf } from '../../platform/forms.ts';
import { formValues } from '../referrals/referral-form.ts';
import { CODE_GRACE_DAYS, codeKey, countingWindow } from '../referrals/campaign-attribution.ts';
import {
  figureText,
  MEASURE_LABELS,
  MEASURES,
  resultsCsv,
  shapeResults,
  type CampaignResults,
} from './campaign-results.ts';
import * as repo from './campaign.repository.ts';
import { createCampaign, editCampaign } from './campaign.service.ts';
import {
  AREA_KINDS,
  CAMPAIGN_ANCHORS,
  campaignFormToInput,
  CampaignSchema,
  CHANNELS,
  type CampaignInput,
} from './campaign.schemas.ts';

// Communications campaigns: list, create, edit, and each campaign's results. Who sees and edits which
// campaign, and whose figures are exact, is decided in platform/scope.ts (campaignScope); every change
// is audited with what it changed.

type Deps = { db: Database };
const BOTH = ['commissioner', 'national_analyst'] as const;
const V = (name: string) => `campaigns/views/${name}.njk`;

type Values = Record<string, string | string[]>;

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
const channelText = (keys: readonly string[]) =>
  keys.map((k) => CHANNELS[k as keyof typeof CHANNELS] ?? k).join(', ');

function datesText(c: { starts_on: string; ends_on: string | null }) {
  return c.ends_on
    ? `${formatDate(c.starts_on)} to ${formatDate(c.ends_on)}`
    : `From ${formatDate(c.starts_on)}, no end date`;
}

/** The form's values for an existing campaign. */
function valuesOf(c: repo.CampaignRow): Values {
  const [sy, sm, sd] = c.starts_on.split('-');
  const [ey, em, ed] = c.ends_on ? c.ends_on.split('-') : ['', '', ''];
  return {
    code: c.code,
    name: c.name,
    description: c.description ?? '',
    areaKind: c.region_code ? 'regional' : 'local',
    regionCode: c.region_code ?? '',
    localAuthorityCode: c.local_authority_code ?? '',
    'startsOn-day': String(Number(sd)),
    'startsOn-month': String(Number(sm)),
    'startsOn-year': sy ?? '',
    'endsOn-day': ed ? String(Number(ed)) : '',
    'endsOn-month': em ? String(Number(em)) : '',
    'endsOn-year': ey ?? '',
    channels: c.channels,
  };
}

export function registerCampaignRoutes(app: FastifyInstance, { db }: Deps) {
  async function formPage(
    reply: FastifyReply,
    scope: CampaignScope,
    f: { campaign?: repo.CampaignRow; values: Values; errors?: FormErrors },
  ) {
    const [regions, authorities] = await Promise.all([repo.listRegions(db), repo.listAuthorities(db)]);
    if (f.errors) reply.code(400);
    const v = f.values;
    const own = scope.kind === 'local_authority' ? authorities.find((a) => a.code === scope.code) : undefined;
    const editing = f.campaign;
    return reply.page(V('form'), {
      title: editing ? `Change ${editing.name}` : 'Create a campaign',
      backHref: editing ? `/campaigns/${editing.id}` : '/campaigns',
      action: editing ? `/campaigns/${editing.id}/edit` : '/campaigns',
      campaign: editing,
      values: v,
      errors: f.errors,
      chooseArea: scope.kind === 'all',
      ownAuthority: own?.name,
      graceDays: CODE_GRACE_DAYS,
      areaKinds: optionsOf(AREA_KINDS, v.areaKind as string | undefined),
      regionItems: [
        { value: '', text: 'Select a region', selected: !v.regionCode },
        ...regions.map((r) => ({ value: r.code, text: r.name, selected: r.code === v.regionCode })),
      ],
      authorityItems: [
        { value: '', text: 'Select a local authority', selected: !v.localAuthorityCode },
        ...authorities.map((a) => ({
          value: a.code,
          text: a.name,
          selected: a.code === v.localAuthorityCode,
        })),
      ],
      channels: optionsOf(CHANNELS, v.channels),
    });
  }

  /** Reads the form; a commissioner's campaign is always for their own authority, whatever was sent. */
  async function parseForm(
    scope: CampaignScope,
    body: Record<string, unknown>,
  ): Promise<{ ok: true; data: CampaignInput } | { ok: false; errors: FormErrors }> {
    const input = campaignFormToInput(body);
    if (scope.kind === 'local_authority')
      Object.assign(input, { areaKind: 'local', localAuthorityCode: scope.code, regionCode: undefined });
    const parsed = CampaignSchema.safeParse(input);
    if (!parsed.success) return { ok: false, errors: formErrors(parsed.error, CAMPAIGN_ANCHORS) };
    const d = parsed.data;
    // The lists offer only real regions and authorities; anything else was not chosen from them.
    if (d.regionCode && !(await repo.listRegions(db)).some((r) => r.code === d.regionCode)) {
      return { ok: false, errors: mergeErrors(undefined, 'regionCode', 'Select the region') };
    }
    if (d.localAuthorityCode && !(await repo.authoritiesOf(db, [d.localAuthorityCode])).size) {
      return {
        ok: false,
        errors: mergeErrors(undefined, 'localAuthorityCode', 'Select the local authority'),
      };
    }
    if (!mayEditCampaign(scope, d)) throw forbidden();
    return { ok: true, data: d };
  }

  const CODE_TAKEN = 'This code is already used by another campaign. Choose a different code';
  const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

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

  app.get('/campaigns/new', { config: { access: BOTH } }, async (request, reply) => {
    const scope = campaignScope(staffOf(request));
    return formPage(reply, scope, { values: {} });
  });

  app.post('/campaigns', { config: { access: BOTH } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = campaignScope(user);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = formValues(body);
    const parsed = await parseForm(scope, body);
    if (!parsed.ok) return formPage(reply, scope, { values, errors: parsed.errors });
    const d = parsed.data;
    if (await repo.campaignWithKey(db, codeKey(d.code)))
      return formPage(reply, scope, { values, errors: mergeErrors(undefined, 'code', CODE_TAKEN) });
    let id: string;
    try {
      id = await createCampaign(db, user, d, request.id);
    } catch (err) {
      // Two people creating the same code at once: the second is told, like the first check would have.
      if (isUniqueViolation(err))
        return formPage(reply, scope, { values, errors: mergeErrors(undefined, 'code', CODE_TAKEN) });
      throw err;
    }
    setFlash(reply, `${d.name} has been created. Referrals can now carry the code ${d.code}`);
    return reply.redirect(`/campaigns/${id}`, 303);
  });

  async function visibleCampaign(request: FastifyRequest) {
    const user = staffOf(request);
    const scope = campaignScope(user);
    const campaign = await repo.findCampaign(db, scope, idOf(request));
    if (!campaign) throw notFound('Campaign not found');
    return { user, scope, campaign };
  }

  async function resultsOf(scope: CampaignScope, c: repo.CampaignRow): Promise<CampaignResults> {
    const rows = await repo.campaignResultRows(db, [c.id]);
    const authorities = await repo.authoritiesOf(db, [...new Set(rows.map((r) => r.la))]);
    return shapeResults(rows, {
      exactFor: (la) => campaignFiguresExact(scope, la),
      authorities,
      campaign: { regionCode: c.region_code, localAuthorityCode: c.local_authority_code },
    });
  }

  app.get('/campaigns/:id', { config: { access: BOTH } }, async (request, reply) => {
    const { scope, campaign: c } = await visibleCampaign(request);
    const results = await resultsOf(scope, c);
    const window = countingWindow({ startsOn: c.starts_on, endsOn: c.ends_on });
    return reply.page(V('show'), {
      title: c.name,
      backHref: '/campaigns',
      flash: reply.locals?.flash,
      campaign: c,
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
      results,
      measures: MEASURES.map((m) => ({ key: m, label: MEASURE_LABELS[m] })),
      fig: figureText,
    });
  });

  app.get('/campaigns/:id/results.csv', { config: { access: BOTH } }, async (request, reply) => {
    const { user, scope, campaign: c } = await visibleCampaign(request);
    const results = await resultsOf(scope, c);
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

  async function editable(request: FastifyRequest) {
    const found = await visibleCampaign(request);
    const c = found.campaign;
    if (
      !mayEditCampaign(found.scope, { regionCode: c.region_code, localAuthorityCode: c.local_authority_code })
    )
      throw forbidden();
    return found;
  }

  app.get('/campaigns/:id/edit', { config: { access: BOTH } }, async (request, reply) => {
    const { scope, campaign } = await editable(request);
    return formPage(reply, scope, { campaign, values: valuesOf(campaign) });
  });

  app.post('/campaigns/:id/edit', { config: { access: BOTH } }, async (request, reply) => {
    const { user, scope, campaign } = await editable(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // The code is fixed once made (it is printed on the campaign's materials): the stored one is used.
    const values = { ...formValues(body), code: campaign.code };
    const parsed = await parseForm(scope, { ...body, code: campaign.code });
    if (!parsed.ok) return formPage(reply, scope, { campaign, values, errors: parsed.errors });
    const d = parsed.data;
    await editCampaign(db, user, campaign, d, request.id);
    setFlash(reply, `${d.name} has been updated`);
    return reply.redirect(`/campaigns/${campaign.id}`, 303);
  });
}
