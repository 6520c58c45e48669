import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import { areaScope } from '../../platform/scope.ts';
import { fundingCsv } from './funding-csv.ts';
import { fundingFigures } from './funding.service.ts';
import { fundingYear } from './funding-year.ts';

// The costs page's figures as a CSV download, for the same readers and scope as the page. Counts and
// money only: nothing about a person.
export function registerFundingCsvRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get(
    '/funding.csv',
    { config: { access: ['commissioner', 'national_analyst'] } },
    async (request, reply) => {
      const scope = areaScope(staffOf(request));
      const today = app.clock.today();
      const financialYear = fundingYear(request, today);
      const { services, routes } = await fundingFigures(db, scope, financialYear, today);
      const label = financialYearLabel(financialYear);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="mortar-costs-${financialYear}.csv"`)
        .send(fundingCsv(label, services, routes));
    },
  );
}
