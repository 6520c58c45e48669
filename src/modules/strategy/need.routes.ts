import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { areaScope } from '../../platform/scope.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { britainInputs } from './britain-need-data.ts';
import { estimateBritain } from './britain-need.ts';
import { needInputs } from './need-data.ts';
import * as repo from './need.repository.ts';
import { isErrors, parseLocalEstimate, parseParameters } from './need.schemas.ts';
import { changeLocalEstimate, changeNationalParameters, removeLocalEstimate } from './need.service.ts';
import { estimateNeed, NATIONAL_GOAL, PARAMETER_LIMITS, type NeedEstimate } from './need.ts';
import {
  authorityView,
  britainView,
  methodView,
  pct,
  rate,
  sortAuthorities,
  sortHeaders,
  sortOf,
} from './need.view.ts';

// The estimate of need (docs/domain.md, Estimate of need). Every page that shows a figure shows how it was
// worked out beside it, with the numbers used: it is an estimate, never a count of people (hazard H60). A
// commissioner sees their own authority and may replace its figure with a local estimate and its source; a
// national analyst sees every authority and England against the goal, and sets the national parameters. Every
// change is audited.

type Deps = { db: Database };
const V = 'strategy/views/need.njk';
const BOTH = ['commissioner', 'national_analyst'] as const;
type Form = { values?: Record<string, string>; errors?: FormErrors };
type Settings = Awaited<ReturnType<typeof repo.loadNeedSettings>>;
type Shown = { estimate: NeedEstimate; settings: Settings; form: Form; flash: unknown };

/** One authority's figure, how it is worked out, and the form for its local estimate. */
function localPage(reply: FastifyReply, code: string, { estimate, settings, form, flash }: Shown) {
  const a = estimate.authorities.find((x) => x.code === code);
  if (!a) throw notFound('Local authority not found');
  const values = form.values ?? {
    localEstimate: a.local ? String(a.local.estimate) : '',
    localSource: a.local?.source ?? '',
  };
  return reply.page(V, {
    title: `Estimated need in ${a.name}`,
    view: 'local',
    authority: authorityView(a),
    method: methodView(estimate),
    national: settings.national,
    values,
    errors: form.errors,
    flash,
  });
}

/** Every authority in a sortable table, England against the goal, and the national parameters' form. */
function nationalPage(reply: FastifyReply, query: unknown, { estimate, settings, form, flash }: Shown) {
  const current = sortOf(query);
  const values = form.values ?? {
    cmhcSharePercent: String(Number((settings.national.cmhcShare * 100).toFixed(2))),
    relativeRate: rate(settings.national.relativeRate),
  };
  return reply.page(V, {
    title: 'Estimated need in England',
    view: 'national',
    rows: sortAuthorities(estimate.authorities, current.sort, current.dir).map(authorityView),
    headers: sortHeaders(current),
    method: methodView(estimate),
    britain: britainView(estimateBritain(estimate, britainInputs(), NATIONAL_GOAL)),
    national: settings.national,
    limits: {
      shareMin: PARAMETER_LIMITS.cmhcShare.min * 100,
      shareMax: PARAMETER_LIMITS.cmhcShare.max * 100,
      rateMin: PARAMETER_LIMITS.relativeRate.min,
      rateMax: PARAMETER_LIMITS.relativeRate.max,
    },
    values,
    errors: form.errors,
    flash,
  });
}

async function render(db: Database, request: FastifyRequest, reply: FastifyReply, form: Form = {}) {
  const scope = areaScope(staffOf(request));
  const settings = await repo.loadNeedSettings(db);
  const estimate = estimateNeed(needInputs(), settings.national, settings.locals);
  if (form.errors) reply.code(400);
  const shown = { estimate, settings, form, flash: reply.locals?.flash };
  return scope.kind === 'local_authority'
    ? localPage(reply, scope.code, shown)
    : nationalPage(reply, request.query, shown);
}

/** A commissioner changes only their own authority's local estimate. */
function ownAuthority(request: FastifyRequest) {
  const user = staffOf(request);
  const scope = areaScope(user);
  const code = (request.params as Record<string, string>).code ?? '';
  if (scope.kind !== 'local_authority' || scope.code !== code) throw forbidden();
  return { user, code };
}

export function registerNeedRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/need', { config: { access: BOTH } }, async (request, reply) => render(db, request, reply));

  app.post('/need/parameters', { config: { access: ['national_analyst'] } }, async (request, reply) => {
    const user = staffOf(request);
    if (areaScope(user).kind !== 'all') throw forbidden();
    const body = bodyOf(request.body);
    const parsed = parseParameters(body);
    if (isErrors(parsed)) return render(db, request, reply, { values: keptValues(body), errors: parsed });
    await changeNationalParameters(
      db,
      user,
      parsed,
      (before) =>
        `share with a CMHC ${pct(before.cmhcShare, 2)} to ${pct(parsed.cmhcShare, 2)}; ` +
        `relative rate ${rate(before.relativeRate)} to ${rate(parsed.relativeRate)}`,
      request.id,
    );
    setFlash(reply, 'The national parameters of the estimate have been changed');
    return reply.redirect('/need', 303);
  });

  app.post('/need/:code/local', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const { user, code } = ownAuthority(request);
    const body = bodyOf(request.body);
    const parsed = parseLocalEstimate(body);
    if (isErrors(parsed)) return render(db, request, reply, { values: keptValues(body), errors: parsed });
    await changeLocalEstimate(
      db,
      user,
      code,
      parsed,
      (before) =>
        `local estimate ${before ? before.estimate : 'none'} to ${parsed.estimate}; source: ${parsed.source}`.slice(
          0,
          1000,
        ),
      request.id,
    );
    setFlash(reply, 'Your local estimate is now used in place of Mortar’s');
    return reply.redirect('/need', 303);
  });

  app.post('/need/:code/local/remove', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const { user, code } = ownAuthority(request);
    const removed = await removeLocalEstimate(db, user, code, request.id);
    if (removed) setFlash(reply, 'Mortar’s estimate is used again');
    return reply.redirect('/need', 303);
  });
}
