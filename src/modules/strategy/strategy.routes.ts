import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { mergeErrors, type FormErrors } from '../../platform/forms.ts';
import { ROLES } from '../../platform/roles.ts';
import { mayEditStrategyOf, mayReadStrategyOf, strategyScope } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { quarterOf, type Period } from '../../platform/quarters.ts';
import { INDICATORS } from './indicators.ts';
import * as pages from './strategy.pages.ts';
import { periodLabel } from './strategy.periods.ts';
import * as repo from './strategy.repository.ts';
import { parseDetails, parseTargetGrid, periodValue } from './strategy.schemas.ts';
import { createStrategy, overlapMessage, saveTargets, updateDetails } from './strategy.service.ts';

// Local strategies: an authority's aims for a run of quarters and a target per indicator per quarter,
// with the history of every change. Who reads and who edits which authority's strategies is decided by
// strategyScope (platform/scope.ts) alone: a commissioner their own, a national analyst every one,
// read-only. Every change is written with its history and audit row by strategy.service.ts.

type Deps = { db: Database };
const READERS = ['commissioner', 'national_analyst'] as const;
const EDITORS = ['commissioner'] as const;
const V = (name: string) => `strategy/views/${name}.njk`;

export function registerStrategyRoutes(app: FastifyInstance, { db }: Deps) {
  const today = (): Period => quarterOf(app.clock.today());
  /** The strategy in the path, if this user may read it (or edit it, when `edit`). */
  async function strategyFor(request: FastifyRequest, edit: boolean) {
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

  app.get('/strategy', { config: { access: READERS } }, async (request, reply) => {
    const scope = strategyScope(staffOf(request));
    const now = today();
    const flash = reply.locals?.flash;
    if (scope.kind === 'local_authority') {
      const authority = await repo.findAuthority(db, scope.code);
      if (!authority) throw notFound('Local authority not found');
      const list = await repo.listStrategies(db, [scope.code]);
      const counts = await repo.countTargets(
        db,
        list.map((s) => s.id),
      );
      return reply.page(V('strategy-list'), {
        title: `Strategies for ${authority.name}`,
        view: 'local',
        authority,
        strategies: pages.commissionerList(list, now, counts),
        flash,
      });
    }
    const q = (request.query ?? {}) as Record<string, unknown>;
    const [authorities, strategies] = await Promise.all([
      repo.listAuthorities(db),
      repo.listStrategies(db, 'all'),
    ]);
    const counts = await repo.countTargets(
      db,
      strategies.map((s) => s.id),
    );
    const regions = [...new Map(authorities.map((a) => [a.regionCode, a.regionName])).entries()].sort(
      (a, b) => a[1].localeCompare(b[1], 'en-GB'),
    );
    const region = typeof q.region === 'string' && regions.some(([c]) => c === q.region) ? q.region : '';
    const show = q.show === 'with' || q.show === 'without' ? q.show : 'all';
    const rows = pages
      .nationalRows(
        authorities.filter((a) => !region || a.regionCode === region),
        strategies,
        now,
        counts,
      )
      .filter((r) => show === 'all' || (show === 'with') === (r.current !== null));
    return reply.page(V('strategy-list'), {
      title: 'Local strategies',
      view: 'national',
      rows,
      withCount: rows.filter((r) => r.current).length,
      regionItems: [
        { value: '', text: 'All regions', selected: !region },
        ...regions.map(([value, text]) => ({ value, text, selected: value === region })),
      ],
      showItems: [
        { value: 'all', text: 'Every authority', selected: show === 'all' },
        { value: 'with', text: 'With a strategy in force', selected: show === 'with' },
        { value: 'without', text: 'Without a strategy in force', selected: show === 'without' },
      ],
      csrf: false,
    });
  });

  // --- A new strategy, and changes to its title, aims and period ----------------------------------
  function renderDetails(
    reply: FastifyReply,
    ctx: {
      title: string;
      action: string;
      backHref: string;
      values: Record<string, string>;
      errors?: FormErrors;
      keep?: Period[];
    },
  ) {
    if (ctx.errors) reply.code(400);
    const now = today();
    return reply.page(V('strategy-details'), {
      ...ctx,
      startItems: pages.quarterChoices(now, ctx.values.start, ctx.keep),
      endItems: pages.quarterChoices(now, ctx.values.end, ctx.keep),
    });
  }

  app.get('/strategy/new', { config: { access: EDITORS } }, async (request, reply) => {
    strategyScope(staffOf(request));
    return renderDetails(reply, {
      title: 'Create a strategy',
      action: '/strategy',
      backHref: '/strategy',
      values: {},
    });
  });

  app.post('/strategy', { config: { access: EDITORS } }, async (request, reply) => {
    const user = staffOf(request);
    const scope = strategyScope(user);
    if (!scope.edits) throw forbidden();
    const body = bodyOf(request.body);
    const parsed = parseDetails(body);
    const form = {
      title: 'Create a strategy',
      action: '/strategy',
      backHref: '/strategy',
      values: keptValues(body),
    };
    if (!parsed.ok) return renderDetails(reply, { ...form, errors: parsed.errors });
    const done = await createStrategy(db, user, scope.edits, parsed.details, request.id);
    if ('overlap' in done)
      return renderDetails(reply, {
        ...form,
        errors: mergeErrors(undefined, 'start', overlapMessage(done.overlap)),
      });
    setFlash(reply, 'The strategy has been created. Now set its targets.');
    return reply.redirect(`/strategy/${done.id}/targets`, 303);
  });

  app.get('/strategy/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(request, true);
    const values = {
      title: s.title,
      aims: s.aims,
      start: periodValue(s.period.start),
      end: periodValue(s.period.end),
    };
    return renderDetails(reply, {
      title: 'Change the strategy’s details',
      action: `/strategy/${s.id}/edit`,
      backHref: `/strategy/${s.id}`,
      values,
      keep: [s.period.start, s.period.end],
    });
  });

  app.post('/strategy/:id/edit', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, strategy: s } = await strategyFor(request, true);
    const body = bodyOf(request.body);
    const parsed = parseDetails(body);
    const form = {
      title: 'Change the strategy’s details',
      action: `/strategy/${s.id}/edit`,
      backHref: `/strategy/${s.id}`,
      values: keptValues(body),
      keep: [s.period.start, s.period.end],
    };
    if (!parsed.ok) return renderDetails(reply, { ...form, errors: parsed.errors });
    const done = await updateDetails(db, user, s, parsed.details, request.id);
    if ('overlap' in done)
      return renderDetails(reply, {
        ...form,
        errors: mergeErrors(undefined, 'start', overlapMessage(done.overlap)),
      });
    if (done.changed) setFlash(reply, 'The strategy’s details have been changed');
    return reply.redirect(`/strategy/${s.id}`, 303);
  });

  // --- One strategy, its targets and its history ----------------------------------------------------
  app.get('/strategy/:id', { config: { access: READERS } }, async (request, reply) => {
    const { strategy: s, canEdit } = await strategyFor(request, false);
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

  app.get('/strategy/:id/targets', { config: { access: EDITORS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(request, true);
    return renderTargets(reply, s, await repo.strategyTargets(db, s.id));
  });

  app.post('/strategy/:id/targets', { config: { access: EDITORS } }, async (request, reply) => {
    const { user, strategy: s } = await strategyFor(request, true);
    const body = bodyOf(request.body);
    const parsed = parseTargetGrid(body, s.period);
    if (!parsed.ok)
      return renderTargets(reply, s, await repo.strategyTargets(db, s.id), {
        values: parsed.values,
        errors: parsed.errors,
      });
    const summary = await saveTargets(db, user, s, parsed.targets, request.id);
    setFlash(
      reply,
      summary === 'No targets changed'
        ? 'No targets changed'
        : `The targets have been saved: ${summary.toLowerCase()}`,
    );
    return reply.redirect(`/strategy/${s.id}`, 303);
  });

  app.get('/strategy/:id/history', { config: { access: READERS } }, async (request, reply) => {
    const { strategy: s } = await strategyFor(request, false);
    return reply.page(V('strategy-history'), {
      title: `History of ${s.title}`,
      strategy: { ...s, periodText: periodLabel(s.period) },
      changes: pages.historyItems(await repo.listChanges(db, s.id)),
      backHref: `/strategy/${s.id}`,
      csrf: false,
    });
  });

  // --- What each indicator means --------------------------------------------------------------------
  app.get('/indicators', { config: { access: ROLES } }, async (_request, reply) => {
    return reply.page(V('indicators'), {
      title: 'Indicators',
      indicators: INDICATORS.map((i) => ({ ...i, unitLabel: pages.UNIT_LABELS[i.unit] })),
      csrf: false,
    });
  });
}
