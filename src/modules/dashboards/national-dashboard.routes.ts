import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { Reader } from '../../db/read-replica.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { HttpError, forbidden } from '../../platform/errors.ts';
import { areaScope } from '../../platform/scope.ts';
import { formatIndicatorValue, indicatorOf, type IndicatorCode } from '../strategy/indicators.ts';
import { about } from '../strategy/need.view.ts';
import { periodFromQuery, periodOptions, periodParam } from './dashboard-periods.ts';
import { sendCsv } from './dashboard-csv.ts';
import { renderEnglandMap } from './england-map.ts';
import { roadmapView } from './national-trajectory.view.ts';
import * as repo from './indicator.repository.ts';
import {
  KEY_INDICATORS,
  loadNationalDashboard,
  sortAuthorities,
  sortFromQuery,
  type NationalDashboard,
  type SortKey,
} from './national-dashboard.service.ts';
import { NATIONAL_TABLES, nationalCsv, type NationalTable } from './national-csv.ts';
import { countsText } from './indicator-counts.ts';

// The national analyst's dashboard: every authority, exact (analysts receive the returns exactly); the
// published-level CSV applies disclosure control. Counts and rates only, never a person.
// Both read through the reader (the replica when there is one: docs/operations-replica.md); nothing here
// needs what the same request wrote, and the CSV's audit row goes to the primary.

type Deps = { db: Database; reader: Reader };

function indicatorFrom(query: unknown): IndicatorCode {
  const raw = (query as Record<string, unknown> | null)?.indicator;
  return (KEY_INDICATORS as readonly string[]).includes(raw as string)
    ? (raw as IndicatorCode)
    : 'cmhc_reach';
}

function regionFrom(query: unknown): string | null {
  const raw = (query as Record<string, unknown> | null)?.region;
  return typeof raw === 'string' && /^E12\d{6}$/.test(raw) ? raw : null;
}

// The boundaries carry 2024 codes; Mortar's table carries the current ones with the old as previous.
let recode: Map<string, string> | undefined;
async function recodeOf(db: Database) {
  recode ??= new Map(
    (await repo.listAuthorities(db)).filter((a) => a.previousCode).map((a) => [a.previousCode!, a.code]),
  );
  return recode;
}

/** `db` is where the page reads (perhaps the replica); `primary` keeps the national counts. */
async function load(db: Database, request: FastifyRequest, today: string, primary: Database) {
  if (areaScope(staffOf(request)).kind !== 'all') throw forbidden();
  const period = periodFromQuery(request.query, today);
  return loadNationalDashboard(db, period, indicatorFrom(request.query), today, primary);
}

function englandMap(d: NationalDashboard, recode: ReadonlyMap<string, string>) {
  const byCode = new Map(d.rows.map((r) => [r.code, r]));
  const mapInd = indicatorOf(d.mapCode);
  return renderEnglandMap({
    id: 'england-map',
    title: `${mapInd.name} by local authority, ${d.periodLabel}`,
    description: `A map of England’s ${d.rows.length} local authorities shaded by ${mapInd.name.toLowerCase()}, darker for higher values. Authorities with no data are hatched. Every value is in the table of authorities on this page.`,
    recode,
    valueOf: (code) => byCode.get(code)?.values[d.mapCode] ?? null,
    format: (v) => formatIndicatorValue(d.mapCode, v),
  });
}

/** The table of authorities in the region asked for, sorted by the column asked for, with its headers. */
function authorityTable(d: NationalDashboard, query: unknown, region: string | null) {
  const { sort, dir } = sortFromQuery(query);
  const base = { period: periodParam(d.period), indicator: d.mapCode, ...(region ? { region } : {}) };
  const qs = (extra: Record<string, string>) => new URLSearchParams({ ...base, ...extra }).toString();
  const columns: { key: SortKey; label: string; numeric: boolean }[] = [
    { key: 'name', label: 'Local authority', numeric: false },
    { key: 'region', label: 'Region', numeric: false },
    ...KEY_INDICATORS.map((k) => ({ key: k as SortKey, label: indicatorOf(k).name, numeric: true })),
  ];
  const headers = columns.map((c) => {
    const active = c.key === sort;
    const next = active ? (dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc';
    return {
      ...c,
      href: `/national/dashboard?${qs({ sort: c.key, dir: next })}#authorities`,
      ariaSort: active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
  const rows = sortAuthorities(
    region ? d.rows.filter((r) => r.regionCode === region) : d.rows,
    sort,
    dir,
  ).map((r) => ({
    ...r,
    cells: KEY_INDICATORS.map((k) => ({
      value: formatIndicatorValue(k, r.values[k]),
      counts: countsText(k, r.behind[k]),
    })),
  }));
  const sortLabel =
    `${columns.find((c) => c.key === sort)!.label}, ${dir === 'asc' ? 'lowest first' : 'highest first'}`.replace(
      /lowest first|highest first/,
      (w) => (sort === 'name' || sort === 'region' ? (dir === 'asc' ? 'A to Z' : 'Z to A') : w),
    );
  return { rows, headers, sortLabel, hidden: { sort, dir } };
}

const furthestRows = (d: NationalDashboard) =>
  d.furthest.map((f) => ({
    ...f,
    valueText: formatIndicatorValue(d.mapCode, f.value),
    countsText: countsText(d.mapCode, f.behind),
    targetText: formatIndicatorValue(d.mapCode, f.target),
    shortfallText:
      f.shortfall === null
        ? 'No data'
        : f.shortfall <= 0
          ? 'Met'
          : formatIndicatorValue(d.mapCode, f.shortfall),
  }));

function nationalPage(
  d: NationalDashboard,
  query: unknown,
  today: string,
  recode: ReadonlyMap<string, string>,
) {
  const region = regionFrom(query);
  const csvQs = new URLSearchParams({ period: periodParam(d.period), indicator: d.mapCode }).toString();
  const { rows, headers, sortLabel, hidden } = authorityTable(d, query, region);
  return {
    title: 'National dashboard',
    d,
    map: englandMap(d, recode),
    rows,
    headers,
    sortLabel,
    periods: periodOptions(d.period, today),
    indicatorOptions: KEY_INDICATORS.map((k) => ({
      value: k,
      text: indicatorOf(k).name,
      selected: k === d.mapCode,
    })),
    regionOptions: [
      { value: '', text: 'All of England', selected: region === null },
      ...d.regions.map((g) => ({ value: g.code, text: g.name, selected: g.code === region })),
    ],
    hidden,
    mapIndicator: indicatorOf(d.mapCode),
    keyIndicators: KEY_INDICATORS.map((k) => ({ code: k, name: indicatorOf(k).name })),
    regionRows: d.regions.map((g) => ({
      ...g,
      cells: KEY_INDICATORS.map((k) => ({
        value: formatIndicatorValue(k, g.values[k]),
        counts: countsText(k, g.behind[k]),
      })),
    })),
    englandCells: KEY_INDICATORS.map((k) => ({
      value: formatIndicatorValue(k, d.england[k]),
      counts: countsText(k, d.englandBehind[k]),
    })),
    furthestRows: furthestRows(d),
    roadmap: roadmapView(d.roadmap),
    goal: {
      ...d.goal,
      countText: d.goal.count.toLocaleString('en-GB'),
      goalText: d.goal.goal.toLocaleString('en-GB'),
      shareText: `${(d.goal.share * 100).toFixed(2)}%`,
      needText: about(d.goal.need),
    },
    csv: Object.fromEntries(NATIONAL_TABLES.map((t) => [t, `/national/dashboard.csv?${csvQs}&table=${t}`])),
  };
}

export function registerNationalDashboardRoutes(app: FastifyInstance, { db, reader }: Deps) {
  app.get('/national/dashboard', { config: { access: ['national_analyst'] } }, async (request, reply) => {
    const today = app.clock.today();
    const { value, freshness } = await reader.read(async (from) => ({
      d: await load(from, request, today, db),
      recode: await recodeOf(from),
    }));
    const page = nationalPage(value.d, request.query, today, value.recode);
    return reply.page('dashboards/views/national-dashboard.njk', { ...page, figuresAge: freshness.notice });
  });

  app.get('/national/dashboard.csv', { config: { access: ['national_analyst'] } }, async (request, reply) => {
    const table = (request.query as Record<string, unknown>).table;
    if (typeof table !== 'string' || !(NATIONAL_TABLES as readonly string[]).includes(table)) {
      throw new HttpError(400, `Choose a table: ${NATIONAL_TABLES.join(', ')}`);
    }
    // A file cannot carry the notice of how old its figures are: from the replica only while none is needed.
    const today = app.clock.today();
    const { value: d } = await reader.read((from) => load(from, request, today, db), { mustBeFresh: true });
    await audit(
      db,
      staffOf(request),
      {
        action: 'export',
        entityType: 'national_dashboard',
        entityId: null,
        detail: `${table} ${d.periodLabel}`,
      },
      request.id,
    );
    return sendCsv(
      reply,
      `national-dashboard-${periodParam(d.period)}-${table}`,
      nationalCsv(d, table as NationalTable),
    );
  });
}
