// The costs page as CSV: one row a service, then one a route, with every count beside every cost, so a
// funding case can be checked and reworked in a spreadsheet. Money in pounds with pence. Pure.
import { toCsv, type CsvCell } from '../../platform/csv.ts';
import { DELIVERY_ROUTES } from '../organisations/delivery-route.ts';
import type { RouteSummary, ServiceYear, CostedFigures } from './funding.ts';

const pounds = (pence: number | null | undefined): CsvCell => (pence == null ? '' : (pence / 100).toFixed(2));

export const FUNDING_CSV_HEADER = [
  'financial_year',
  'level',
  'name',
  'route',
  'services_with_costs',
  'services_without_costs',
  'contract_value_gbp',
  'tariff_per_person_gbp',
  'tariff_per_quit_gbp',
  'set_quit_date',
  'quit_at_four_weeks',
  'cost_gbp',
  'cost_per_person_supported_gbp',
  'cost_per_four_week_quit_gbp',
] as const;

export function fundingCsv(
  yearLabel: string,
  services: readonly (ServiceYear & { figures: CostedFigures | null })[],
  routes: readonly RouteSummary[],
): string {
  const serviceRows = services.map((s) => [
    yearLabel,
    'service',
    s.name,
    DELIVERY_ROUTES[s.route],
    s.costs ? 1 : 0,
    s.costs ? 0 : 1,
    pounds(s.costs?.contractPence),
    pounds(s.costs?.perPersonPence),
    pounds(s.costs?.perQuitPence),
    s.supported,
    s.quits,
    pounds(s.figures?.costPence),
    pounds(s.figures?.perPersonPence),
    pounds(s.figures?.perQuitPence),
  ]);
  const routeRows = routes.map((r) => [
    yearLabel,
    'route',
    r.label,
    r.label,
    r.servicesCosted,
    r.servicesWithoutCosts,
    '',
    '',
    '',
    r.supported,
    r.quits,
    pounds(r.costPence),
    pounds(r.perPersonPence),
    pounds(r.perQuitPence),
  ]);
  return toCsv(FUNDING_CSV_HEADER, [...serviceRows, ...routeRows]);
}
