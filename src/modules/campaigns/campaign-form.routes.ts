import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden } from '../../platform/errors.ts';
import { formErrors, mergeErrors, optionsOf, type FormErrors } from '../../platform/forms.ts';
import { campaignScope, mayEditCampaign, type CampaignScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { formValues } from '../referrals/referral-form.ts';
import { CODE_GRACE_DAYS, codeKey } from '../referrals/campaign-attribution.ts';
import { BOTH, visibleCampaign } from './campaign.routes.ts';
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

// Creating and changing a communications campaign. Who may change which campaign is decided in
// platform/scope.ts (mayEditCampaign); every change is audited with what it changed (campaign.service.ts).

type Deps = { db: Database };
const V = (name: string) => `campaigns/views/${name}.njk`;

type Values = Record<string, string | string[]>;

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

async function formPage(
  db: Database,
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
  db: Database,
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

/** Creates the campaign the form describes, or shows the form again with what is wrong. */
async function create(db: Database, request: FastifyRequest, reply: FastifyReply) {
  const user = staffOf(request);
  const scope = campaignScope(user);
  const body = (request.body ?? {}) as Record<string, unknown>;
  const values = formValues(body);
  const parsed = await parseForm(db, scope, body);
  if (!parsed.ok) return formPage(db, reply, scope, { values, errors: parsed.errors });
  const d = parsed.data;
  const codeTaken = () =>
    formPage(db, reply, scope, { values, errors: mergeErrors(undefined, 'code', CODE_TAKEN) });
  if (await repo.campaignWithKey(db, codeKey(d.code))) return codeTaken();
  let id: string;
  try {
    id = await createCampaign(db, user, d, request.id);
  } catch (err) {
    // Two people creating the same code at once: the second is told, like the first check would have.
    if (isUniqueViolation(err)) return codeTaken();
    throw err;
  }
  setFlash(reply, `${d.name} has been created. Referrals can now carry the code ${d.code}`);
  return reply.redirect(`/campaigns/${id}`, 303);
}

/** The campaign the path names, when the user may change it. */
async function editable(db: Database, request: FastifyRequest) {
  const found = await visibleCampaign(db, request);
  const c = found.campaign;
  if (
    !mayEditCampaign(found.scope, { regionCode: c.region_code, localAuthorityCode: c.local_authority_code })
  )
    throw forbidden();
  return found;
}

export function registerCampaignFormRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/campaigns/new', { config: { access: BOTH } }, async (request, reply) => {
    const scope = campaignScope(staffOf(request));
    return formPage(db, reply, scope, { values: {} });
  });

  app.post('/campaigns', { config: { access: BOTH } }, async (request, reply) => create(db, request, reply));

  app.get('/campaigns/:id/edit', { config: { access: BOTH } }, async (request, reply) => {
    const { scope, campaign } = await editable(db, request);
    return formPage(db, reply, scope, { campaign, values: valuesOf(campaign) });
  });

  app.post('/campaigns/:id/edit', { config: { access: BOTH } }, async (request, reply) => {
    const { user, scope, campaign } = await editable(db, request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // The code is fixed once made (it is printed on the campaign's materials): the stored one is used.
    const values = { ...formValues(body), code: campaign.code };
    const parsed = await parseForm(db, scope, { ...body, code: campaign.code });
    if (!parsed.ok) return formPage(db, reply, scope, { campaign, values, errors: parsed.errors });
    const d = parsed.data;
    await editCampaign(db, user, campaign, d, request.id);
    setFlash(reply, `${d.name} has been updated`);
    return reply.redirect(`/campaigns/${campaign.id}`, 303);
  });
}
