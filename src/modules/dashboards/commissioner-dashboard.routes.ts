import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, forbidden, notFound } from '../../platform/errors.ts';
import { areaScope } from '../../platform/scope.ts';
import { about } from '../strategy/need.view.ts';
import { INDICATORS, formatIndicatorValue } from '../strategy/indicators.ts';
import { COMMISSIONER_TABLES, commissionerCsv, type CommissionerTable } from './commissioner-csv.ts';
import { sendCsv } from './dashboard-csv.ts';
import { countsText } from './indicator-counts.ts';
import { renderLineChart } from './svg-chart.ts';
import {
  loadCommissionerDashboard,
  trendCodeFrom,
  type CommissionerDashboard,
} from './commissioner-dashboard.service.ts';
import { periodFromQuery, periodOptions, periodParam } from './dashboard-periods.ts';

// The commissioner's dashboard: their own authority only (areaScope decides which), counts and rates,
// never a person. Region figures are other authorities' data and are shown disclosure-controlled.

type Deps = { db: Database };

async function load(db: Database, request: FastifyRequest, today: string) {
  const scope = areaScope(staffOf(request));
  if (scope.kind !== 'local_authority') throw forbidden();
  const period = periodFromQuery(request.query, today);
  const d = await loadCommissionerDashboard(db, scope.code, period, trendCodeFrom(request.query), today);
  if (!d) throw notFound('Local authority not found');
  return d;
}

function trendChart(d: CommissionerDashboard) {
  const ind = d.trend.indicator;
  return renderLineChart({
    id: 'trend',
    title: `${ind.name} in ${d.authority.name}, by quarter`,
    description: `${ind.name} for the ${d.trend.periods.length} quarters to ${d.periodLabel}, with the target where one is set. The same figures are in the table below the chart.`,
    categories: d.trend.periods,
    series: [{ name: d.authority.name, values: d.trend.values }],
    target: d.trend.targets.some((t) => t !== null) ? { name: 'Target', values: d.trend.targets } : null,
    unit: ind.unit,
  });
}

/** What the page shows beyond the dashboard itself: the chart, its table, the choices and the links. */
function dashboardPage(d: CommissionerDashboard, today: string) {
  const q = `period=${periodParam(d.period)}&indicator=${d.trend.code}`;
  return {
    title: `Dashboard: ${d.authority.name}`,
    d,
    chart: trendChart(d),
    trendRows: d.trend.periods.map((label, i) => ({
      label,
      value: formatIndicatorValue(d.trend.code, d.trend.values[i] ?? null),
      target:
        d.trend.targets[i] === null || d.trend.targets[i] === undefined
          ? '–'
          : formatIndicatorValue(d.trend.code, d.trend.targets[i]!),
      pending: d.trend.pending[i] ?? 0,
      counts: countsText(d.trend.code, d.trend.behind[i] ?? { numerator: null, denominator: null }),
    })),
    trendCounts: d.trend.behind.some((b) => countsText(d.trend.code, b) !== ''),
    periods: periodOptions(d.period, today),
    indicatorOptions: INDICATORS.map((i) => ({
      value: i.code,
      text: i.name,
      selected: i.code === d.trend.code,
    })),
    csv: Object.fromEntries(COMMISSIONER_TABLES.map((t) => [t, `/dashboard.csv?${q}&table=${t}`])),
    needText: d.need
      ? d.need.local
        ? d.need.local.estimate.toLocaleString('en-GB')
        : about(d.need.computed)
      : null,
    adultsText: d.need ? Math.round(d.need.pop18).toLocaleString('en-GB') : null,
    sharePct: `${(d.needParameters.cmhcShare * 100).toFixed(1).replace(/\.0$/, '')}%`,
    relativeRate: String(Number(d.needParameters.relativeRate.toFixed(3))),
  };
}

export function registerCommissionerDashboardRoutes(app: FastifyInstance, { db }: Deps) {
  app.get('/dashboard', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const today = app.clock.today();
    const d = await load(db, request, today);
    return reply.page('dashboards/views/commissioner-dashboard.njk', dashboardPage(d, today));
  });

  app.get('/dashboard.csv', { config: { access: ['commissioner'] } }, async (request, reply) => {
    const table = (request.query as Record<string, unknown>).table;
    if (typeof table !== 'string' || !(COMMISSIONER_TABLES as readonly string[]).includes(table)) {
      throw new HttpError(400, `Choose a table: ${COMMISSIONER_TABLES.join(', ')}`);
    }
    const d = await load(db, request, app.clock.today());
    const user = staffOf(request);
    await audit(
      db,
      user,
      {
        action: 'export',
        entityType: 'dashboard',
        entityId: d.authority.code,
        detail: `${table} ${d.periodLabel}`,
      },
      request.id,
    );
    return sendCsv(
      reply,
      `dashboard-${d.authority.name}-${periodParam(d.period)}-${table}`,
      commissionerCsv(d, table as CommissionerTable),
    );
  });
}
