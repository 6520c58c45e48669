import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { FormErrors } from '../../platform/forms.ts';
import { financialYearLabel } from '../../platform/quarters.ts';
import { areaScope, mayEnterCostsFor } from '../../platform/scope.ts';
import { isUuid } from '../../platform/validation.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { DELIVERY_ROUTES } from '../organisations/delivery-route.ts';
import { fundingFigures, saveCosts } from './funding.service.ts';
import { parseCostsForm } from './funding.schemas.ts';
import * as repo from './funding.repository.ts';
import { COST_RULE } from './funding.ts';
import { poundsInput } from '../../platform/money.ts';
import { fundingYear, yearOptions } from './funding-year.ts';

// What each service costs and what that buys (issue 12): a commissioner records their services' costs
// each year; they and the national team see cost per person supported and per four-week quit, by service
// and by route of delivery. Counts only: no page here shows a person.

type Deps = { db: Database };
const READERS = ['commissioner', 'national_analyst'] as const;
type Form = { values?: Record<string, string>; errors?: FormErrors };

async function serviceInScope(db: Database, request: FastifyRequest) {
  const id = (request.params as { organisationId: string }).organisationId;
  const service = isUuid(id) ? await repo.findService(db, id) : undefined;
  // Someone else's service is "not found", so ids of other authorities' services are not confirmed.
  if (!service || !mayEnterCostsFor(areaScope(staffOf(request)), service.local_authority_code)) {
    throw notFound('Service not found');
  }
  return service;
}

async function renderCosts(
  db: Database,
  reply: FastifyReply,
  service: { id: string; name: string },
  financialYear: number,
  form: Form = {},
) {
  const saved = await repo.loadCosts(db, service.id, financialYear);
  const values = form.values ?? {
    contract: poundsInput(saved?.costs.contractPence ?? null),
    perPerson: poundsInput(saved?.costs.perPersonPence ?? null),
    perQuit: poundsInput(saved?.costs.perQuitPence ?? null),
  };
  if (form.errors) reply.code(400);
  return reply.page('funding/views/service-costs.njk', {
    title: `Costs of ${service.name}`,
    service,
    yearLabel: financialYearLabel(financialYear),
    financialYear,
    values,
    errors: form.errors,
    backHref: `/funding?year=${financialYear}`,
  });
}

export function registerFundingRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/funding', { config: { access: READERS } }, async (request, reply) => {
    const scope = areaScope(staffOf(request));
    const today = app.clock.today();
    const financialYear = fundingYear(request, today);
    const { services, routes } = await fundingFigures(db, scope, financialYear, today);
    return reply.page('funding/views/funding.njk', {
      title: 'Costs and what they buy',
      scopeKind: scope.kind,
      financialYear,
      yearLabel: financialYearLabel(financialYear),
      years: yearOptions(today, financialYear),
      services: services.map((s) => ({ ...s, routeLabel: DELIVERY_ROUTES[s.route] })),
      routes,
      rule: COST_RULE,
      asOf: today,
      flash: reply.locals?.flash,
    });
  });

  app.get(
    '/funding/services/:organisationId',
    { config: { access: ['commissioner'] } },
    async (request, reply) => {
      const service = await serviceInScope(db, request);
      return renderCosts(db, reply, service, fundingYear(request, app.clock.today()));
    },
  );

  app.post(
    '/funding/services/:organisationId',
    { config: { access: ['commissioner'] } },
    async (request, reply) => {
      const service = await serviceInScope(db, request);
      const financialYear = fundingYear(request, app.clock.today());
      const body = bodyOf(request.body);
      const parsed = parseCostsForm(body);
      if ('list' in parsed)
        return renderCosts(db, reply, service, financialYear, { values: keptValues(body), errors: parsed });
      await saveCosts(db, staffOf(request), service, financialYear, parsed, app.clock.now(), request.id);
      setFlash(
        reply,
        `The costs of ${service.name} for ${financialYearLabel(financialYear)} have been saved`,
      );
      return reply.redirect(`/funding?year=${financialYear}`, 303);
    },
  );
}
