// The commissioner's dashboard for one authority (issue 6): each indicator against its target for the
// chosen quarter and the year to date, the trend over eight quarters, breakdowns by referral source and
// condition, the region and England beside it, and each partner's referrals. Loads counts through
// indicator.repository.ts and computes values with indicator-values.ts; the page and the CSV are built
// from the same tables here, so they always agree.
//
// Targets for the year to date: a flow (summed indicator) is compared with the sum of its quarterly
// targets, and only when every quarter so far has one; a rate or a stock with the chosen quarter's target.
import type { Database } from '../../db/database.ts';
import { loadWorkforceCounts, type WorkforceCounts } from '../partners/training.service.ts';
import { CONDITION, REFERRAL_SOURCES } from '../referrals/demographics.ts';
import { SUPPRESSED, disclosureNote } from '../returns/disclosure.ts';
import {
  comparePeriods,
  isFinancialYear,
  isQuarter,
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import {
  INDICATORS,
  formatIndicatorValue,
  indicatorOf,
  isIndicatorCode,
  meetsTarget,
  type Indicator,
  type IndicatorCode,
} from '../strategy/indicators.ts';
import { needInputs } from '../strategy/need-data.ts';
import { loadNeedSettings } from '../strategy/strategy.service.ts';
import { estimateNeed, type NeedEstimate } from '../strategy/need.ts';
import { loadTargets, type TargetRow } from '../strategy/strategy.service.ts';
import type { CsvTable } from './dashboard-csv.ts';
import * as repo from './indicator.repository.ts';
import { loadNationalCounts } from './national-counts.cache.ts';
import {
  addCounts,
  disclosedValues,
  indicatorValues,
  percent,
  spanValues,
  zeroCounts,
  type Counts,
  type DisclosedValue,
  type IndicatorValues,
  type Workforce,
} from './indicator-values.ts';

export const TREND_QUARTERS = 8;

// --- Periods ----------------------------------------------------------------------------------------

export const periodParam = (p: Period) => `${p.financialYear}-${p.quarter}`;

/** The quarter in `?period=2026-3`, when it is one of the choices; otherwise the current quarter. */
export function periodFromQuery(query: unknown, today: string): Period {
  const current = quarterOf(today);
  const raw = (query as Record<string, unknown> | null)?.period;
  const m = typeof raw === 'string' ? /^(\d{4})-([1-4])$/.exec(raw) : null;
  if (!m) return current;
  const p = { financialYear: Number(m[1]), quarter: Number(m[2]) };
  if (!isFinancialYear(p.financialYear) || !isQuarter(p.quarter)) return current;
  const q = p as Period;
  // Only quarters that have begun, back five years: the counts exist for those.
  if (
    comparePeriods(q, current) > 0 ||
    comparePeriods(q, { financialYear: current.financialYear - 5, quarter: current.quarter }) < 0
  )
    return current;
  return q;
}

/** The quarters offered in the selector: the current one and the twenty before it, newest first. */
export function periodOptions(selected: Period, today: string) {
  const current = quarterOf(today);
  return [...previousQuarters(current, 20), current].reverse().map((p) => ({
    value: periodParam(p),
    text: `${quarterLabel(p.financialYear, p.quarter)}${comparePeriods(p, current) === 0 ? ' (this quarter, so far)' : ''}`,
    selected: comparePeriods(p, selected) === 0,
  }));
}

export const yearStart = (p: Period): Period => ({ financialYear: p.financialYear, quarter: 1 });

// --- Formatting -------------------------------------------------------------------------------------

export function formatValue(code: IndicatorCode, v: DisclosedValue): string {
  return v === SUPPRESSED ? SUPPRESSED : formatIndicatorValue(code, v);
}

export type Progress = 'met' | 'not_met' | 'no_target' | 'no_data';
export const PROGRESS_TEXT: Record<Progress, string> = {
  met: 'Met',
  not_met: 'Not met',
  no_target: 'No target',
  no_data: 'No data yet',
};
export const PROGRESS_COLOUR: Record<Progress, string> = {
  met: 'green',
  not_met: 'red',
  no_target: 'grey',
  no_data: 'grey',
};

export function progressOf(code: IndicatorCode, value: number | null, target: number | null): Progress {
  if (target === null) return 'no_target';
  const met = meetsTarget(code, value, target);
  return met === null ? 'no_data' : met ? 'met' : 'not_met';
}

/** The target for a span of quarters (see the note at the top); null when there is none to compare with. */
export function spanTarget(indicator: Indicator, targets: readonly (number | null)[]): number | null {
  if (targets.length === 0) return null;
  if (indicator.period === 'sum')
    return targets.every((t) => t !== null) ? targets.reduce((s, t) => s! + t!, 0) : null;
  return targets.at(-1) ?? null;
}

// --- Need ---------------------------------------------------------------------------------------------

export async function loadNeed(db: Database): Promise<NeedEstimate> {
  const settings = await loadNeedSettings(db);
  return estimateNeed(needInputs(), settings.national, settings.locals);
}

export const workforceOf = (w: WorkforceCounts | undefined): Workforce | null =>
  w
    ? {
        vbaTrained: w.vbaTrainedStaff,
        partnersActive: w.activePartners,
        partnersSmokefree: w.partnersWithAdoptedPolicy,
      }
    : null;

const endOf = (p: Period, today: string) => {
  const end = quarterRange(p.financialYear, p.quarter).end;
  return end < today ? end : today;
};

// --- The dashboard ------------------------------------------------------------------------------------

type Row = { code: IndicatorCode; name: string; definition: string; unit: Indicator['unit'] };
const rowOf = (i: Indicator): Row => ({ code: i.code, name: i.name, definition: i.definition, unit: i.unit });

export async function loadCommissionerDashboard(
  db: Database,
  la: string,
  period: Period,
  trendCode: IndicatorCode,
  today: string,
) {
  const authorities = await repo.listAuthorities(db);
  const authority = authorities.find((a) => a.code === la);
  if (!authority) return null;
  const trend = [...previousQuarters(period, TREND_QUARTERS - 1), period];
  const ytd = trend.filter((p) => p.financialYear === period.financialYear);
  const regionCodes = authorities.filter((a) => a.regionCode === authority.regionCode).map((a) => a.code);
  const trendFrom = trend[0]!;

  const [own, all, targets, workforceNow, workforceTrend, need, partners] = await Promise.all([
    repo.loadIndicatorCounts(db, {
      authorities: [la],
      from: trendFrom,
      to: period,
      asOf: today,
      breakdowns: true,
    }),
    loadNationalCounts(db, yearStart(period), period, today),
    loadTargets(db, [la], trendFrom, period),
    loadWorkforceCounts(db, 'all', endOf(period, today)),
    Promise.all(
      trend.map((p) => loadWorkforceCounts(db, [la], endOf(p, today)).then((m) => workforceOf(m.get(la)))),
    ),
    loadNeed(db),
    repo.loadPartnerActivity(db, la, period, period, today),
  ]);
  const needOf = new Map(need.authorities.map((a) => [a.code, a.figure]));
  const ownNeed = needOf.get(la) ?? null;
  const ownByPk = own.get(la) ?? new Map();
  const countsAt = (p: Period): repo.QuarterCounts =>
    ownByPk.get(repo.periodKey(p)) ?? { counts: zeroCounts(), bySource: new Map(), byCondition: new Map() };
  const targetOf = new Map(
    targets.map((t: TargetRow) => [`${t.indicator}:${t.financialYear}:${t.quarter}`, t.target]),
  );
  const target = (code: IndicatorCode, p: Period) =>
    targetOf.get(`${code}:${p.financialYear}:${p.quarter}`) ?? null;

  // Values for each quarter of the trend, the chosen quarter and the year to date.
  const trendValues = trend.map((p, i) =>
    indicatorValues(countsAt(p).counts, workforceTrend[i] ?? null, ownNeed),
  );
  const quarterValues = trendValues.at(-1)!;
  const ytdValues = spanValues(
    ytd.map((p) => ({ counts: countsAt(p).counts, workforce: workforceTrend[trend.indexOf(p)] ?? null })),
    ownNeed,
  );
  const quarterCounts = countsAt(period).counts;

  const progress = INDICATORS.map((i) => {
    const qTarget = target(i.code, period);
    const yTarget = spanTarget(
      i,
      ytd.map((p) => target(i.code, p)),
    );
    const q = progressOf(i.code, quarterValues[i.code], qTarget);
    const y = progressOf(i.code, ytdValues[i.code], yTarget);
    return {
      ...rowOf(i),
      quarter: {
        value: quarterValues[i.code],
        valueText: formatIndicatorValue(i.code, quarterValues[i.code]),
        target: qTarget,
        targetText: qTarget === null ? '–' : formatIndicatorValue(i.code, qTarget),
        progress: q,
        progressText: PROGRESS_TEXT[q],
        colour: PROGRESS_COLOUR[q],
      },
      ytd: {
        value: ytdValues[i.code],
        valueText: formatIndicatorValue(i.code, ytdValues[i.code]),
        target: yTarget,
        targetText: yTarget === null ? '–' : formatIndicatorValue(i.code, yTarget),
        progress: y,
        progressText: PROGRESS_TEXT[y],
        colour: PROGRESS_COLOUR[y],
      },
    };
  });

  // Region (other authorities' data: disclosure-controlled) and England (exact), for the quarter and year.
  const groupCounts = (codes: readonly string[], ps: readonly Period[]) =>
    addCounts(
      codes.flatMap((code) => ps.map((p) => all.get(code)?.get(repo.periodKey(p))?.counts ?? zeroCounts())),
    );
  const sumNeed = (codes: readonly string[]) => codes.reduce((s, c) => s + (needOf.get(c) ?? 0), 0);
  const allCodes = authorities.map((a) => a.code);
  const comparisonFor = (ps: readonly Period[], ownValues: IndicatorValues) => {
    const region = disclosedValues(
      groupCounts(regionCodes, ps),
      addWorkforceOf(regionCodes, workforceNow),
      sumNeed(regionCodes),
    );
    const england = indicatorValues(
      groupCounts(allCodes, ps),
      addWorkforceOf(allCodes, workforceNow),
      sumNeed(allCodes),
    );
    return INDICATORS.map((i) => ({
      ...rowOf(i),
      own: formatIndicatorValue(i.code, ownValues[i.code]),
      region: formatValue(i.code, region[i.code]),
      england: formatIndicatorValue(i.code, england[i.code]),
      raw: { own: ownValues[i.code], region: region[i.code], england: england[i.code] },
    }));
  };

  const sources = REFERRAL_SOURCES.codes.map((code) => {
    const s = countsAt(period).bySource.get(code) ?? { referrals: 0, quitDates: 0, quits: 0 };
    return { code, label: REFERRAL_SOURCES.labels[code] ?? code, ...s, rate: percent(s.quits, s.quitDates) };
  });
  const conditions = CONDITION.codes.map((code) => {
    const c = countsAt(period).byCondition.get(code) ?? { quitDates: 0, quits: 0 };
    return { code, label: CONDITION.labels[code] ?? code, ...c, rate: percent(c.quits, c.quitDates) };
  });

  const ownNeedRow = need.authorities.find((a) => a.code === la) ?? null;
  return {
    authority,
    period,
    periodLabel: quarterLabel(period.financialYear, period.quarter),
    ytdLabel:
      ytd.length === 1
        ? quarterLabel(period.financialYear, 1)
        : `${quarterLabel(period.financialYear, 1)} to Q${period.quarter}`,
    isCurrent: comparePeriods(period, quarterOf(today)) === 0,
    today,
    quarterCounts,
    progress,
    trend: {
      code: trendCode,
      indicator: indicatorOf(trendCode),
      periods: trend.map((p) => quarterLabel(p.financialYear, p.quarter)),
      values: trendValues.map((v) => v[trendCode]),
      targets: trend.map((p) => target(trendCode, p)),
      pending: trend.map((p) => countsAt(p).counts.pending),
    },
    comparison: { quarter: comparisonFor([period], quarterValues), ytd: comparisonFor(ytd, ytdValues) },
    regionName: authority.regionName,
    regionCount: regionCodes.length,
    disclosureNote: disclosureNote(),
    sources,
    conditions,
    partners,
    need: ownNeedRow,
    needParameters: need.parameters,
  };
}

function addWorkforceOf(
  codes: readonly string[],
  counts: ReadonlyMap<string, WorkforceCounts>,
): Workforce | null {
  const list = codes.map((c) => workforceOf(counts.get(c))).filter((w): w is Workforce => w !== null);
  if (list.length === 0) return null;
  return list.reduce((s, w) => ({
    vbaTrained: s.vbaTrained + w.vbaTrained,
    partnersActive: s.partnersActive + w.partnersActive,
    partnersSmokefree: s.partnersSmokefree + w.partnersSmokefree,
  }));
}

export type CommissionerDashboard = NonNullable<Awaited<ReturnType<typeof loadCommissionerDashboard>>>;

export function trendCodeFrom(query: unknown): IndicatorCode {
  const raw = (query as Record<string, unknown> | null)?.indicator;
  return typeof raw === 'string' && isIndicatorCode(raw) ? raw : 'cmhc_quit_dates';
}

// --- The tables as CSV ----------------------------------------------------------------------------------

export const COMMISSIONER_TABLES = [
  'progress',
  'trend',
  'comparison',
  'sources',
  'conditions',
  'partners',
] as const;
export type CommissionerTable = (typeof COMMISSIONER_TABLES)[number];

const n1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function commissionerCsv(d: CommissionerDashboard, table: CommissionerTable): CsvTable {
  const p = d.periodLabel;
  switch (table) {
    case 'progress':
      return {
        name: 'progress',
        headers: [
          'Indicator',
          'Unit',
          `${p} value`,
          `${p} target`,
          `${p} progress`,
          `Year to date (${d.ytdLabel}) value`,
          'Year to date target',
          'Year to date progress',
        ],
        rows: d.progress.map((r) => [
          r.name,
          r.unit,
          n1(r.quarter.value),
          r.quarter.target,
          r.quarter.progressText,
          n1(r.ytd.value),
          r.ytd.target,
          r.ytd.progressText,
        ]),
      };
    case 'trend':
      return {
        name: `trend-${d.trend.code}`,
        headers: [
          'Quarter',
          `${d.trend.indicator.name} (${d.trend.indicator.unit})`,
          'Target',
          'Waiting for the four-week follow-up',
        ],
        rows: d.trend.periods.map((q, i) => [
          q,
          n1(d.trend.values[i] ?? null),
          d.trend.targets[i] ?? null,
          d.trend.pending[i] ?? 0,
        ]),
      };
    case 'comparison':
      return {
        name: 'comparison',
        headers: [
          'Indicator',
          'Unit',
          `${d.authority.name} ${p}`,
          `${d.regionName} ${p} (published level)`,
          `England ${p}`,
          `${d.authority.name} year to date`,
          `${d.regionName} year to date (published level)`,
          'England year to date',
        ],
        rows: d.comparison.quarter.map((r, i) => {
          const y = d.comparison.ytd[i]!;
          const cell = (v: DisclosedValue) => (v === SUPPRESSED ? SUPPRESSED : n1(v));
          return [
            r.name,
            r.unit,
            cell(r.raw.own),
            cell(r.raw.region),
            cell(r.raw.england),
            cell(y.raw.own),
            cell(y.raw.region),
            cell(y.raw.england),
          ];
        }),
      };
    case 'sources':
      return {
        name: 'referral-sources',
        headers: [
          'Referral source',
          `Referrals received ${p}`,
          `Set a quit date ${p}`,
          `Quit at four weeks ${p}`,
          'Quit rate (%)',
        ],
        rows: d.sources.map((s) => [s.label, s.referrals, s.quitDates, s.quits, n1(s.rate)]),
      };
    case 'conditions':
      return {
        name: 'conditions',
        headers: [
          'Mental health condition',
          `Set a quit date ${p}`,
          `Quit at four weeks ${p}`,
          'Quit rate (%)',
        ],
        rows: d.conditions.map((c) => [c.label, c.quitDates, c.quits, n1(c.rate)]),
      };
    case 'partners':
      return {
        name: 'partners',
        headers: [
          'Partner organisation',
          'Sector',
          'Status',
          `Referrals ${p}`,
          `Set a quit date ${p}`,
          `Quit at four weeks ${p}`,
        ],
        rows: d.partners.map((x) => [
          x.name,
          x.sector,
          x.status,
          x.organisationId ? x.referrals : null,
          x.organisationId ? x.quitDates : null,
          x.organisationId ? x.quits : null,
        ]),
      };
  }
}

export { type Counts };
