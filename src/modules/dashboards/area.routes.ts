import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { areaScope } from '../../platform/scope.ts';
import { loadArea, loadNational } from './area.service.ts';

type Deps = { db: Database; config?: Config };

// Counts only: these pages never show a name or any other detail of a person.
export function registerAreaRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/area', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const scope = areaScope(staffOf(request));
    if (scope.kind !== 'local_authority') throw forbidden();
    const area = await loadArea(db, scope, app.clock.now());
    if (!area.authority) throw notFound('Local authority not found');
    return reply.page('dashboards/views/area.njk', { title: area.authority.name, ...area });
  });

  app.get('/national', { config: { access: ['national_analyst'] } }, async (request, reply) => {
    const scope = areaScope(staffOf(request));
    if (scope.kind !== 'all') throw forbidden();
    const national = await loadNational(db, app.clock.now());
    return reply.page('dashboards/views/national.njk', { title: 'England', ...national });
  });
}
