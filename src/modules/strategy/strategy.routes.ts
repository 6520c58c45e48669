import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { mayEditStrategyOf, mayReadStrategyOf, strategyScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf } from '../organisations/organisation.schemas.ts';
import * as pages from './strategy.pages.ts';
import { periodLabel } from './strategy.periods.ts';
import * as repo from './strategy.repository.ts';
import { parseTargetGrid } from './strategy.schemas.ts';
import { saveTargets } from './strategy.service.ts';

// Local strategies: an authority's aims for a run of quarters and a target per indicator per quarter,
// with the history of every change. Who reads and who edits which authority's strategies is decided by
// strategyScope (platform/scope.ts) alone: a commissioner their own, a national analyst every one,
// read-only. Every change is written with its history and audit row by strategy.service.ts.
// This file holds one strategy's pages (the strategy, its targets, its history) and what the strategy
// page groups share; the list is in strategy-list.routes.ts, the details form in strategy-details.routes.ts.

type Deps = { db: Database };
export const READERS = ['commissioner', 'national_analyst'] as const;
export const EDITORS = ['commissioner'] as const;
export const V = (name: string) => `strategy/views/${name}.njk`;

/** The strategy in the path, if this user may read it (or edit it, when `edit`). */
export async function strategyFor(db: Database, request: FastifyRequest, edit: boolean) {
  const user = staffOf(request);
  const scope = strategyScope(user);
  const id = (request.params as { id?: string }).id;
  const strategy = isUuid(id) ? await repo.findStrategy(db, id) : null;
  if (!strategy) throw notFound('Strategy not found');
  const allowed = edit
    ? mayEditStrategyOf(scope, strategy.localAuthorityCode)
    : mayReadStrategyOf(scope, strategy.localAuthorityCode);
  if (!allowed) throw forbidden();
  return { user, scope, strategy, canEdit: mayEditStrategyOf(scope, strategy.localAuthorityCode) };
}

function renderTargets(
  reply: FastifyReply,
  s: repo.StrategyRow,
  stored: ReadonlyMap<string, number>,
  form: { values?: Record<string, string>; errors?: FormErrors } = {},
) {
  if (form.errors) reply.code(400);
  return reply.page(V('strategy-targets'), {
    title: `Targets for ${s.title}`,
    strategy: { ...s, periodText: periodLabel(s.period) },
    years: pages.targetGrid(s.period, stored, {
      ...(form.values ? { values: form.values } : {}),
      ...(form.errors ? { errors: form.errors.fields } : {}),
    }),
    errors: form.errors,
    backHref: `/strategy/${s.id}`,
    flash: reply.locals?.flash,
  });
}

export function registerStrategyRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/strategy/:id', { config: { access: READERS } }, async (request, reply) => {
    const { strategy: s, canEdit } = await strategyFor(db, request, false);
    const stored = await repo.strategyTargets(db, s.id);
    return reply.page(V('strategy'), {
      title: s.title,
      strategy: { ...s, periodText: periodLabel(s.period), aimsParagraphs: pages.paragraphs(s.aims) },
      years: pages.targetGrid(s.period, stored),
      canEdit,
      backHref: '/strategy',
      flash: reply.locals?.flash,
    });
  });

  app.get('/strategy/:id/targets', { config: { access: EDITORS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(db, request, true);
    return renderTargets(reply, s, await repo.strategyTargets(db, s.id));
  });

  app.post('/strategy/:id/targets', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, strategy: s } = await strategyFor(db, request, true);
    const body = bodyOf(request.body);
    const parsed = parseTargetGrid(body, s.period);
    if (!parsed.ok)
      return renderTargets(reply, s, await repo.strategyTargets(db, s.id), {
        values: parsed.values,
        errors: parsed.errors,
      });
    const saved = await saveTargets(db, user, s, parsed.targets, request.id);
    setFlash(reply, pages.targetsSavedFlash(saved));
    return reply.redirect(`/strategy/${s.id}`, 303);
  });

  app.get('/strategy/:id/history', { config: { access: READERS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(db, request, false);
    return reply.page(V('strategy-history'), {
      title: `History of ${s.title}`,
      strategy: { ...s, periodText: periodLabel(s.period) },
      changes: pages.historyItems(await repo.listChanges(db, s.id)),
      backHref: `/strategy/${s.id}`,
      csrf: false,
    });
  });
}
