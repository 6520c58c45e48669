// The service manager's dashboard page and its CSV exports. The quarter is chosen with a plain GET form,
// so it works without JavaScript; what the page shows is audited in service-dashboard.service.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { csvNumber } from './dashboard-csv.ts';
import { toCsv } from '../../platform/csv.ts';
import {
  parseQuarterLabel,
  previousQuarters,
  quarterLabel,
  quarterOf,
  type Period,
} from '../../platform/quarters.ts';
import { periodOf } from '../returns/return.service.ts';
import { auditDashboard, serviceDashboard, type Dashboard } from './service-dashboard.service.ts';
import { isTableKey, type Table } from './service-dashboard-tables.ts';
import { renderBarChart } from './svg-chart.ts';

const MANAGER = ['service_manager'] as const;
/** Quarters offered in the selector: this one and the seven before it (two years). */
const QUARTERS_OFFERED = 8;

/**
 * The quarter asked for, as `?period=2026/27 Q3` (the selector) or `?year=2026&quarter=3` (links); this
 * quarter when none is asked. 404 for anything that is not a quarter.
 */
export function dashboardPeriod(request: FastifyRequest, today: string): Period {
  const q = request.query as Record<string, unknown>;
  if (typeof q.period === 'string' && q.period !== '') {
    const p = parseQuarterLabel(q.period);
    if (!p) throw notFound('Quarter not found');
    return p;
  }
  if (q.year !== undefined || q.quarter !== undefined) {
    const p = periodOf(String(q.year ?? ''), String(q.quarter ?? ''));
    if (!p) throw notFound('Quarter not found');
    return p;
  }
  return quarterOf(today);
}

const numbersOf = (t: Table, column: number) =>
  t.rows.map((r) => {
    const v = r[column]?.value;
    return typeof v === 'number' ? v : null;
  });
/** Every row but the "All" total, for charts that compare groups. */
const groups = (t: Table) => ({ ...t, rows: t.rows.filter((r) => r[0]?.text !== 'All') });

function charts(d: Dashboard): Record<string, string> {
  const stage = d.tables['caseload-stage'];
  const stages = { ...stage, rows: stage.rows.slice(0, -1) };
  const adviser = d.tables['caseload-adviser'];
  const waits = d.tables['waiting-times'];
  const rateChart = (
    key: 'outcomes-adviser' | 'outcomes-intervention' | 'outcomes-setting',
    title: string,
  ) => {
    const t = groups(d.tables[key]);
    return renderBarChart({
      id: `chart-${key}`,
      title,
      description: `Quit rate at four weeks for each group, ${d.periodLabel}. The figures are in the table that follows.`,
      categories: t.rows.map((r) => r[0]!.text),
      series: [{ name: 'Quit rate', values: numbersOf(t, 7) }],
      unit: 'percent',
      orientation: 'horizontal',
    });
  };
  return {
    'caseload-stage': renderBarChart({
      id: 'chart-caseload-stage',
      title: 'Open episodes by stage',
      description: `How many open episodes are at each stage today: ${stages.rows.map((r) => `${r[0]!.text}, ${r[1]!.text}`).join('; ')}.`,
      categories: stages.rows.map((r) => r[0]!.text),
      series: [{ name: 'Open episodes', values: numbersOf(stages, 1) }],
      unit: 'count',
      orientation: 'horizontal',
    }),
    'caseload-adviser': renderBarChart({
      id: 'chart-caseload-adviser',
      title: 'Open episodes by adviser',
      description:
        'How many open episodes each adviser has today. The figures, by stage, are in the table that follows.',
      categories: adviser.rows.map((r) => r[0]!.text),
      series: [{ name: 'All open episodes', values: numbersOf(adviser, 7) }],
      unit: 'count',
      orientation: 'horizontal',
    }),
    'waiting-times': renderBarChart({
      id: 'chart-waiting-times',
      title: `Waiting times, ${d.periodLabel}`,
      description: `Median and 90th percentile days from a referral being received to the first contact attempt and to the first session attended, for referrals received in ${d.periodLabel}. The figures are in the table that follows.`,
      categories: waits.rows.map((r) => r[0]!.text),
      series: [
        { name: 'Median', values: numbersOf(waits, 4) },
        { name: '90th percentile', values: numbersOf(waits, 5) },
      ],
      unit: 'days',
      axisLabel: 'Days',
    }),
    'outcomes-adviser': rateChart('outcomes-adviser', `Quit rate by adviser, ${d.periodLabel}`),
    'outcomes-intervention': rateChart(
      'outcomes-intervention',
      `Quit rate by type of support, ${d.periodLabel}`,
    ),
    'outcomes-setting': rateChart('outcomes-setting', `Quit rate by setting, ${d.periodLabel}`),
  };
}

const periodQuery = (p: Period) => `period=${encodeURIComponent(quarterLabel(p.financialYear, p.quarter))}`;

export function registerServiceDashboardRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/service/dashboard', { config: { access: MANAGER } }, async (request, reply) => {
    const user = staffOf(request);
    const today = app.clock.today();
    const period = dashboardPeriod(request, today);
    const d = await serviceDashboard(db, user, period, today);
    await auditDashboard(db, user, d, 'list', null, request.id);
    const current = quarterOf(today);
    const offered = [...previousQuarters(current, QUARTERS_OFFERED - 1), current].reverse();
    if (!offered.some((p) => p.financialYear === period.financialYear && p.quarter === period.quarter))
      offered.push(period);
    return reply.page('dashboards/views/service-dashboard.njk', {
      title: `Service dashboard: ${d.periodLabel}`,
      serviceName: user.organisationName,
      d,
      charts: charts(d),
      csvQuery: periodQuery(period),
      quarterItems: offered.map((p) => {
        const label = quarterLabel(p.financialYear, p.quarter);
        return {
          value: label,
          text: label,
          selected: p.financialYear === period.financialYear && p.quarter === period.quarter,
        };
      }),
    });
  });

  app.get('/service/dashboard.csv', { config: { access: MANAGER } }, async (request, reply) => {
    const user = staffOf(request);
    const table = (request.query as Record<string, unknown>).table;
    if (!isTableKey(table)) throw notFound('Table not found');
    const today = app.clock.today();
    const period = dashboardPeriod(request, today);
    const d = await serviceDashboard(db, user, period, today);
    await auditDashboard(db, user, d, 'export', table, request.id);
    const t = d.tables[table];
    const stem = `${table}-${period.financialYear}-${String((period.financialYear + 1) % 100).padStart(2, '0')}-Q${period.quarter}`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="mortar-service-${stem}.csv"`)
      .send(
        toCsv(
          t.headers,
          t.rows.map((r) => r.map((c) => csvNumber(c.value))),
        ),
      );
  });
}
