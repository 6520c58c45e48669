// The figures a funding case needs (issue 12), pure: what a service cost in a year from what its
// commissioner recorded, the cost per person supported and per four-week quit, the same by route of
// delivery, and the national estimate of extending integrated support to every Talking Therapies service.
import { DELIVERY_ROUTES, type DeliveryRoute } from '../organisations/delivery-route.ts';

/** What a commissioner recorded for a service and year; any part may be blank, not all of them. */
export type ServiceCosts = {
  contractPence: number | null;
  perPersonPence: number | null;
  perQuitPence: number | null;
};

/**
 * A service's year. `supported`: people who set a quit date with the service in the year (the national
 * measure of people supported); `quits`: of them, quit at four weeks as known today (self-reported and
 * CO-verified, by the national rule).
 */
export type ServiceYear = {
  serviceId: string;
  name: string;
  localAuthorityCode: string | null;
  route: DeliveryRoute;
  costs: ServiceCosts | null;
  supported: number;
  quits: number;
};

export const COST_RULE =
  'A service’s cost for a year is its contract value, plus its tariff per person times the people who set a quit date with it in the year, plus its tariff per quit times those of them who had quit at four weeks. Cost per person supported and per four-week quit divide that cost by those counts; they are not shown when the count is 0. A route’s figures add up only the services with costs recorded.';

/** The year's cost in pence: contract plus tariffs times their counts. */
export function totalCostPence(c: ServiceCosts, supported: number, quits: number): number {
  return (c.contractPence ?? 0) + (c.perPersonPence ?? 0) * supported + (c.perQuitPence ?? 0) * quits;
}

/** Cost per unit in whole pence, or null when there is nothing to divide by. */
export const perUnitPence = (costPence: number, count: number): number | null =>
  count > 0 ? Math.round(costPence / count) : null;

export type CostedFigures = {
  costPence: number;
  supported: number;
  quits: number;
  perPersonPence: number | null;
  perQuitPence: number | null;
};

export function figuresOf(s: ServiceYear): CostedFigures | null {
  if (!s.costs) return null;
  const costPence = totalCostPence(s.costs, s.supported, s.quits);
  return {
    costPence,
    supported: s.supported,
    quits: s.quits,
    perPersonPence: perUnitPence(costPence, s.supported),
    perQuitPence: perUnitPence(costPence, s.quits),
  };
}

export type RouteSummary = CostedFigures & {
  route: DeliveryRoute;
  label: string;
  servicesCosted: number;
  servicesWithoutCosts: number;
};

/** Every route, in a fixed order, with the sums over its costed services only. */
export function summariseByRoute(services: readonly ServiceYear[]): RouteSummary[] {
  return (Object.keys(DELIVERY_ROUTES) as DeliveryRoute[]).map((route) => {
    const mine = services.filter((s) => s.route === route);
    const costed = mine.flatMap((s) => figuresOf(s) ?? []);
    const costPence = costed.reduce((a, f) => a + f.costPence, 0);
    const supported = costed.reduce((a, f) => a + f.supported, 0);
    const quits = costed.reduce((a, f) => a + f.quits, 0);
    return {
      route,
      label: DELIVERY_ROUTES[route],
      servicesCosted: costed.length,
      servicesWithoutCosts: mine.length - costed.length,
      costPence,
      supported,
      quits,
      perPersonPence: perUnitPence(costPence, supported),
      perQuitPence: perUnitPence(costPence, quits),
    };
  });
}
