// The commissioner's dashboard for one authority (issue 6): each indicator against its target for the
// chosen quarter and the year to date, the trend over eight quarters, breakdowns by referral source and
// condition, the region and England beside it, and each partner's referrals. Loads counts through
// indicator.repository.ts and computes values with indicator-values.ts; the page and the CSV
// (commissioner-csv.ts) are built from the same dashboard, so they always agree.
//
// Targets for the year to date: a flow (summed indicator) is compared with the sum of its quarterly
// targets, and only when every quarter so far has one; a rate or a stock with the chosen quarter's target.
import type { Database } from '../../db/database.ts';
import { loadWorkforceCounts, type WorkforceCounts } from '../partners/training.service.ts';
import { CONDITION, REFERRAL_SOURCES } from '../referrals/demographics.ts';
import { SUPPRESSED, disclosureNote } from '../returns/disclosure.ts';
import {
  comparePeriods,
  previousQuarters,
  quarterLabel,
  quarterOf,
  quarterRange,
  type Period,
} from '../../platform/quarters.ts';
import { yearStart } from './dashboard-periods.ts';
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
import { loadLocalIndicatorsInUse } from '../strategy/local-indicators.service.ts';
import {
  countsBehind,
  countsText,
  disclosedCountsBehind,
  type AllBehind,
  type Behind,
} from './indicator-counts.ts';
import { localRows } from './local-indicator-values.ts';
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
type TargetOf = (code: IndicatorCode, p: Period) => number | null;

/** What the dashboard reads, all at once: the authority's counts over the trend, England's for the year. */
async function loadInputs(db: Database, la: string, period: Period, trend: readonly Period[], today: string) {
  const trendFrom = trend[0]!;
  const [own, all, targets, workforceNow, workforceTrend, need, partners, locals] = await Promise.all([
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
    loadLocalIndicatorsInUse(db, la),
  ]);
  return { own, all, targets, workforceNow, workforceTrend, need, partners, locals };
}

function targetLookup(targets: readonly TargetRow[]): TargetOf {
  const targetOf = new Map(targets.map((t) => [`${t.indicator}:${t.financialYear}:${t.quarter}`, t.target]));
  return (code, p) => targetOf.get(`${code}:${p.financialYear}:${p.quarter}`) ?? null;
}

function progressCell(code: IndicatorCode, value: number | null, target: number | null, behind: Behind) {
  const progress = progressOf(code, value, target);
  return {
    value,
    valueText: formatIndicatorValue(code, value),
    ...behind,
    countsText: countsText(code, behind),
    target,
    targetText: target === null ? '–' : formatIndicatorValue(code, target),
    progress,
    progressText: PROGRESS_TEXT[progress],
    colour: PROGRESS_COLOUR[progress],
  };
}

/** Each indicator against its target, for the chosen quarter and for the year to date. */
function progressRows(
  period: Period,
  ytd: readonly Period[],
  values: { quarter: IndicatorValues; ytd: IndicatorValues },
  behind: { quarter: AllBehind; ytd: AllBehind },
  target: TargetOf,
) {
  return INDICATORS.map((i) => {
    const yTarget = spanTarget(
      i,
      ytd.map((p) => target(i.code, p)),
    );
    return {
      ...rowOf(i),
      quarter: progressCell(i.code, values.quarter[i.code], target(i.code, period), behind.quarter[i.code]),
      ytd: progressCell(i.code, values.ytd[i.code], yTarget, behind.ytd[i.code]),
    };
  });
}

/**
 * Region (other authorities' data: disclosure-controlled) and England (exact) beside the authority's own
 * values, for a span of quarters. Counts are added before any rate is worked out.
 */
function comparisonOf(
  all: repo.CountsByAuthority,
  workforce: ReadonlyMap<string, WorkforceCounts>,
  needOf: ReadonlyMap<string, number>,
  regionCodes: readonly string[],
  allCodes: readonly string[],
) {
  const groupCounts = (codes: readonly string[], ps: readonly Period[]) =>
    addCounts(
      codes.flatMap((code) => ps.map((p) => all.get(code)?.get(repo.periodKey(p))?.counts ?? zeroCounts())),
    );
  const sumNeed = (codes: readonly string[]) => codes.reduce((s, c) => s + (needOf.get(c) ?? 0), 0);
  return (ps: readonly Period[], ownValues: IndicatorValues, ownBehind: AllBehind) => {
    const regionArgs = [
      groupCounts(regionCodes, ps),
      addWorkforceOf(regionCodes, workforce),
      sumNeed(regionCodes),
    ] as const;
    const englandArgs = [
      groupCounts(allCodes, ps),
      addWorkforceOf(allCodes, workforce),
      sumNeed(allCodes),
    ] as const;
    const region = disclosedValues(...regionArgs);
    const england = indicatorValues(...englandArgs);
    const behind = {
      region: disclosedCountsBehind(...regionArgs),
      england: countsBehind(...englandArgs),
    };
    return INDICATORS.map((i) => ({
      ...rowOf(i),
      own: formatIndicatorValue(i.code, ownValues[i.code]),
      region: formatValue(i.code, region[i.code]),
      england: formatIndicatorValue(i.code, england[i.code]),
      raw: { own: ownValues[i.code], region: region[i.code], england: england[i.code] },
      behind: { own: ownBehind[i.code], region: behind.region[i.code], england: behind.england[i.code] },
      counts: {
        own: countsText(i.code, ownBehind[i.code]),
        region: countsText(i.code, behind.region[i.code]),
        england: countsText(i.code, behind.england[i.code]),
      },
    }));
  };
}

/** The chosen quarter by referral source and by mental health condition. */
function breakdowns(q: repo.QuarterCounts) {
  const sources = REFERRAL_SOURCES.codes.map((code) => {
    const s = q.bySource.get(code) ?? { referrals: 0, quitDates: 0, quits: 0 };
    return { code, label: REFERRAL_SOURCES.labels[code] ?? code, ...s, rate: percent(s.quits, s.quitDates) };
  });
  const conditions = CONDITION.codes.map((code) => {
    const c = q.byCondition.get(code) ?? { quitDates: 0, quits: 0 };
    return { code, label: CONDITION.labels[code] ?? code, ...c, rate: percent(c.quits, c.quitDates) };
  });
  return { sources, conditions };
}

const ytdLabelOf = (period: Period, ytd: readonly Period[]) =>
  ytd.length === 1
    ? quarterLabel(period.financialYear, 1)
    : `${quarterLabel(period.financialYear, 1)} to Q${period.quarter}`;

/**
 * The authority's own values and the counts behind them, for each quarter of the trend, the chosen
 * quarter and the year to date (the quarters' counts added, then worked out, as spanValues does).
 */
function ownFigures(
  trend: readonly Period[],
  ytd: readonly Period[],
  countsAt: (p: Period) => Counts,
  workforceTrend: readonly (Workforce | null)[],
  ownNeed: number | null,
) {
  const workforceAt = (p: Period) => workforceTrend[trend.indexOf(p)] ?? null;
  const trendValues = trend.map((p) => indicatorValues(countsAt(p), workforceAt(p), ownNeed));
  const ytdValues = spanValues(
    ytd.map((p) => ({ counts: countsAt(p), workforce: workforceAt(p) })),
    ownNeed,
  );
  const trendBehind = trend.map((p) => countsBehind(countsAt(p), workforceAt(p), ownNeed));
  const ytdCounts = addCounts(ytd.map(countsAt));
  const behind = {
    quarter: trendBehind.at(-1)!,
    ytd: countsBehind(ytdCounts, workforceAt(ytd.at(-1)!), ownNeed),
  };
  return { trendValues, quarterValues: trendValues.at(-1)!, ytdValues, trendBehind, ytdCounts, behind };
}

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
  const { own, all, targets, workforceNow, workforceTrend, need, partners, locals } = await loadInputs(
    db,
    la,
    period,
    trend,
    today,
  );
  const needOf = new Map(need.authorities.map((a) => [a.code, a.figure]));
  const ownNeed = needOf.get(la) ?? null;
  const ownByPk = own.get(la) ?? new Map();
  const countsAt = (p: Period): repo.QuarterCounts =>
    ownByPk.get(repo.periodKey(p)) ?? { counts: zeroCounts(), bySource: new Map(), byCondition: new Map() };
  const target = targetLookup(targets);

  const { trendValues, quarterValues, ytdValues, trendBehind, ytdCounts, behind } = ownFigures(
    trend,
    ytd,
    (p) => countsAt(p).counts,
    workforceTrend,
    ownNeed,
  );
  const compare = comparisonOf(
    all,
    workforceNow,
    needOf,
    regionCodes,
    authorities.map((a) => a.code),
  );
  return {
    authority,
    period,
    periodLabel: quarterLabel(period.financialYear, period.quarter),
    ytdLabel: ytdLabelOf(period, ytd),
    isCurrent: comparePeriods(period, quarterOf(today)) === 0,
    today,
    quarterCounts: countsAt(period).counts,
    progress: progressRows(period, ytd, { quarter: quarterValues, ytd: ytdValues }, behind, target),
    local: localRows(locals, countsAt(period).counts, ytdCounts),
    trend: {
      code: trendCode,
      indicator: indicatorOf(trendCode),
      periods: trend.map((p) => quarterLabel(p.financialYear, p.quarter)),
      values: trendValues.map((v) => v[trendCode]),
      targets: trend.map((p) => target(trendCode, p)),
      pending: trend.map((p) => countsAt(p).counts.pending),
      behind: trendBehind.map((b) => b[trendCode]),
    },
    comparison: {
      quarter: compare([period], quarterValues, behind.quarter),
      ytd: compare(ytd, ytdValues, behind.ytd),
    },
    regionName: authority.regionName,
    regionCount: regionCodes.length,
    disclosureNote: disclosureNote(),
    ...breakdowns(countsAt(period)),
    partners,
    need: need.authorities.find((a) => a.code === la) ?? null,
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

export { type Counts };
