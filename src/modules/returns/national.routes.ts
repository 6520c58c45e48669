// The national collection of quarterly returns. For national analysts: each of the 153 authorities'
// status for a quarter, England's and each region's totals of the submitted returns, trends across
// quarters, and the mental health breakdown nationally, exact (the collection receives exact figures).
// The same tables for publication, disclosure-controlled as one whole, are in publication.routes.ts. Every
// read and export is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { LAYOUT_VERSION, toCsv, toRows } from './csv-layout.ts';
import { formatDisclosed, ratesOf } from './disclosure.ts';
import { SUMMARY_HEADERS, summaryLine } from './figure-tables.ts';
import { submittedTrend } from './national-collection.repository.ts';
import { collection, regionName } from './national-collection.service.ts';
import { ENGLAND } from './publication.ts';
import {
  previousQuarter,
  previousQuarters,
  quarterLabel,
  quarterOf,
  type Period,
} from '../../platform/quarters.ts';
import { zeroCounts, type Counts } from './return-measures.ts';
import type { Executor } from './returns.sql.ts';
import { periodOf, returnPath, STATUS_LABELS } from './return.service.ts';
import { figureTables } from './return-page.service.ts';

export { ENGLAND };

type Deps = { db: Database };
/** Quarters shown in the trend, the chosen one included. */
export const TREND_QUARTERS = 8;

const STATUS_ORDER = ['not_started', 'draft', 'signed_off', 'approved', 'submitted'] as const;

/** The quarter asked for (?year=2025&quarter=1), or the last one that has ended; 404 for one that is not a quarter. */
export function periodAsked(request: FastifyRequest, today = request.server.clock.today()): Period {
  const q = request.query as Record<string, unknown>;
  if (q.year === undefined && q.quarter === undefined) return previousQuarter(quarterOf(today));
  const p = periodOf(String(q.year ?? ''), String(q.quarter ?? ''));
  if (!p) throw notFound('Quarter not found');
  return p;
}

export { collection, regionName };

/** England's totals quarter by quarter, from the submitted returns. */
async function trend(db: Executor, p: Period) {
  const quarters = [...previousQuarters(p, TREND_QUARTERS - 1), p];
  const rows = await submittedTrend(db, quarters[0]!, p);
  return quarters.map((q) => {
    const r = rows.find((x) => x.financial_year === q.financialYear && x.quarter === q.quarter);
    const totals = zeroCounts();
    let cmhcSet = 0;
    let cmhcQuit = 0;
    for (const t of (r?.totals ?? []) as Partial<Counts>[])
      for (const k of Object.keys(totals) as (keyof Counts)[]) totals[k] += t?.[k] ?? 0;
    for (const c of (r?.cmhc ?? []) as (Record<string, Partial<Counts>> | null)[]) {
      cmhcSet += c?.yes?.setQuitDate ?? 0;
      cmhcQuit += c?.yes?.quitSelfReported ?? 0;
    }
    const rates = ratesOf(totals, { exact: true });
    const cmhcRate = ratesOf(
      { setQuitDate: cmhcSet, quitSelfReported: cmhcQuit, quitCoVerified: 0 },
      { exact: true },
    );
    return {
      label: quarterLabel(q.financialYear, q.quarter),
      returns: r?.returns ?? 0,
      cells: [
        formatDisclosed(totals.setQuitDate),
        formatDisclosed(totals.quitSelfReported),
        formatDisclosed(rates.quitRate, '%'),
        formatDisclosed(rates.coVerifiedShare, '%'),
        formatDisclosed(cmhcSet),
        formatDisclosed(cmhcQuit),
        formatDisclosed(cmhcRate.quitRate, '%'),
      ],
    };
  });
}

export const fileStem = (p: Period) =>
  `${p.financialYear}-${String((p.financialYear + 1) % 100).padStart(2, '0')}-Q${p.quarter}`;

/** How many of the quarter's returns are at each status. */
function statusCounts(status: { status: (typeof STATUS_ORDER)[number] | null }[]) {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<
    (typeof STATUS_ORDER)[number],
    number
  >;
  for (const a of status) counts[a.status ?? 'not_started']++;
  return STATUS_ORDER.map((s) => ({ label: STATUS_LABELS[s], n: counts[s] }));
}

/** The quarters the page offers, newest first: this one and the ones before it, the one shown marked. */
const periodsOffered = (p: Period, today: string) =>
  [...previousQuarters(quarterOf(today), TREND_QUARTERS - 1), quarterOf(today)].reverse().map((q) => ({
    href: `/national/returns?year=${q.financialYear}&quarter=${q.quarter}`,
    text: quarterLabel(q.financialYear, q.quarter),
    current: q.financialYear === p.financialYear && q.quarter === p.quarter,
  }));

async function showCollection(db: Database, request: FastifyRequest, reply: FastifyReply, today: string) {
  const p = periodAsked(request);
  const c = await collection(db, p);
  const byRegion = c.regions.map((r) => ({
    ...r,
    rows: c.status
      .filter((a) => a.region_code === r.code)
      .map((a) => ({
        ...a,
        statusLabel: STATUS_LABELS[a.status ?? 'not_started'],
        href: returnPath(a.code, p),
      })),
  }));
  await audit(
    db,
    staffOf(request),
    {
      action: 'list',
      entityType: 'return',
      detail: `national collection ${quarterLabel(p.financialYear, p.quarter)}`,
    },
    request.id,
  );
  const tables = figureTables(c.england);
  return reply.page('returns/views/national.njk', {
    title: `Quarterly returns: England, ${quarterLabel(p.financialYear, p.quarter)}`,
    p,
    label: quarterLabel(p.financialYear, p.quarter),
    periods: periodsOffered(p, today),
    statusCounts: statusCounts(c.status),
    authorities: c.status.length,
    submitted: c.submitted.filter((s) => !s.integrated).length,
    integrated: c.integrated.map((i) => ({
      ...i,
      statusLabel: STATUS_LABELS[i.status ?? 'not_started'],
      href: returnPath(i.code, p),
    })),
    integratedSubmitted: c.submitted.filter((s) => s.integrated).length,
    byRegion,
    summaryHeaders: SUMMARY_HEADERS,
    england: summaryLine('England', c.england.totals),
    regionLines: c.regions.map((r) => summaryLine(regionName(r), r.sum.totals)),
    mentalHealth: tables.filter((t) => t.mortarOnly),
    otherTables: tables.filter((t) => !t.mortarOnly),
    trend: await trend(db, p),
    query: `year=${p.financialYear}&quarter=${p.quarter}`,
  });
}

async function exportEngland(
  db: Database,
  format: 'csv' | 'json',
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const p = periodAsked(request);
  const c = await collection(db, p);
  await audit(
    db,
    staffOf(request),
    {
      action: 'export',
      entityType: 'return',
      detail: `England ${quarterLabel(p.financialYear, p.quarter)} as ${format}, exact, from ${c.submitted.length} submitted returns`,
    },
    request.id,
  );
  reply
    .header('content-disposition', `attachment; filename="mortar-returns-england-${fileStem(p)}.${format}"`)
    .header('cache-control', 'no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(c.england));
  return reply.type('application/json; charset=utf-8').send({
    layoutVersion: LAYOUT_VERSION,
    period: quarterLabel(p.financialYear, p.quarter),
    returns: c.submitted.length,
    rows: toRows(c.england),
  });
}

export function registerNationalReturnRoutes(app: FastifyInstance, { db }: Deps) {
  const config = { access: ['national_analyst'] as const };
  app.get('/national/returns', { config: { access: [...config.access] } }, async (request, reply) =>
    showCollection(db, request, reply, app.clock.today()),
  );
  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/national/returns/england.${format}`,
      { config: { access: [...config.access] } },
      async (request, reply) => exportEngland(db, format, request, reply),
    );
  }
}
