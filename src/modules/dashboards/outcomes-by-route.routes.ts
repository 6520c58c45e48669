import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { quarterLabel, quarterRange } from '../../platform/quarters.ts';
import { routeOutcomesScope } from '../../platform/scope.ts';
import { outcomesByRoute } from './outcomes-by-route.ts';
import { loadRouteOutcomeCounts, scopeName } from './outcomes-by-route.repository.ts';
import { dashboardPeriod } from './service-dashboard.routes.ts';

// Counts only: this page never shows a name or any other detail of a person.
export function registerOutcomesByRouteRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get(
    '/outcomes-by-route',
    { config: { access: ['commissioner', 'national_analyst', 'service_manager'] } },
    async (request, reply) => {
      const scope = routeOutcomesScope(staffOf(request));
      const today = app.clock.today();
      const period = dashboardPeriod(request, today);
      const range = quarterRange(period.financialYear, period.quarter);
      const [counts, name] = await Promise.all([
        loadRouteOutcomeCounts(db, scope, range, today),
        scopeName(db, scope),
      ]);
      return reply.page('dashboards/views/outcomes-by-route.njk', {
        title: 'Outcomes by route of delivery',
        name,
        scopeKind: scope.kind,
        periodLabel: quarterLabel(period.financialYear, period.quarter),
        rows: outcomesByRoute(counts),
        asOf: today,
      });
    },
  );
}
