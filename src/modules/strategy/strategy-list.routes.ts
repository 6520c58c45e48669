import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { strategyScope } from '../../platform/scope.ts';
import { quarterOf, type Period } from '../../platform/quarters.ts';
import * as pages from './strategy.pages.ts';
import * as repo from './strategy.repository.ts';
import { READERS, V } from './strategy.routes.ts';

// The list of strategies: a commissioner's own authority's, or every authority's for a national analyst
// (strategyScope decides which), with the strategy in force now and how many targets each has.

type Deps = { db: Database };

async function localList(db: Database, reply: FastifyReply, code: string, now: Period) {
  const authority = await repo.findAuthority(db, code);
  if (!authority) throw notFound('Local authority not found');
  const list = await repo.listStrategies(db, [code]);
  const counts = await repo.countTargets(
    db,
    list.map((s) => s.id),
  );
  return reply.page(V('strategy-list'), {
    title: `Strategies for ${authority.name}`,
    view: 'local',
    authority,
    strategies: pages.commissionerList(list, now, counts),
    flash: reply.locals?.flash,
  });
}

/** Every authority, filtered by region and by whether a strategy is in force (`?region=&show=`). */
async function nationalList(db: Database, reply: FastifyReply, query: unknown, now: Period) {
  const q = (query ?? {}) as Record<string, unknown>;
  const [authorities, strategies] = await Promise.all([
    repo.listAuthorities(db),
    repo.listStrategies(db, 'all'),
  ]);
  const counts = await repo.countTargets(
    db,
    strategies.map((s) => s.id),
  );
  const regions = [...new Map(authorities.map((a) => [a.regionCode, a.regionName])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1], 'en-GB'),
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
}

export function registerStrategyListRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/strategy', { config: { access: READERS } }, async (request, reply) => {
    const scope = strategyScope(staffOf(request));
    const now = quarterOf(app.clock.today());
    return scope.kind === 'local_authority'
      ? localList(db, reply, scope.code, now)
      : nationalList(db, reply, request.query, now);
  });
}
