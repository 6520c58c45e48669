// The national dashboard (issue 6): every authority's position on the key indicators (a table sortable by
// any column and a map), the regions, England against the 1.5 million goal and who is furthest from
// target. National analysts see every authority's figures exactly (as they receive the returns exactly);
// the published-level table applies disclosure control to every authority's figures. England is exact.
//
// An authority that did not commission a service in Mortar in the quarter has no data here (its figures
// come to the national collection from a file), so it shows "No data" rather than zeros.
import type { Database } from '../../db/database.ts';
import { loadWorkforceCounts } from '../partners/training.service.ts';
import { disclosureNote } from '../returns/disclosure.ts';
import { quarterLabel, quarterRange, type Period } from '../../platform/quarters.ts';
import {
  formatIndicatorValue,
  indicatorOf,
  isIndicatorCode,
  type IndicatorCode,
} from '../strategy/indicators.ts';
import { NATIONAL_GOAL, NATIONAL_GOAL_NOTE } from '../strategy/need.ts';
import { GOAL_START } from '../strategy/trajectory.ts';
import { loadTargets, type TargetRow } from '../strategy/strategy.service.ts';
import { countsBehind, disclosedCountsBehind, type AllBehind } from './indicator-counts.ts';
import { formatValue, loadNeed, workforceOf } from './commissioner-dashboard.service.ts';
import * as repo from './indicator.repository.ts';
import { loadNationalCounts } from './national-counts.cache.ts';
import { loadRoadmap } from './national-trajectory.service.ts';
import {
  addCounts,
  addWorkforce,
  disclosedValues,
  indicatorValues,
  shortfall,
  zeroCounts,
  type Counts,
  type IndicatorValues,
  type Workforce,
} from './indicator-values.ts';

/** The indicators in the national table, in column order. */
export const KEY_INDICATORS = [
  'cmhc_quit_dates',
  'cmhc_reach',
  'cmhc_quit_rate',
  'quit_rate_gap',
  'co_verification_rate',
  'tt_referrals',
  'community_referrals',
  'days_to_first_contact',
] as const satisfies readonly IndicatorCode[];

export { GOAL_START }; // "Against the 1.5 million goal" counts quit dates from it (strategy/trajectory.ts)

// --- Sorting --------------------------------------------------------------------------------------------

export type SortKey = 'name' | 'region' | IndicatorCode;
export type SortDir = 'asc' | 'desc';
export type AuthorityRow = {
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  usesMortar: boolean;
  values: IndicatorValues;
  /** The counts behind each value; all null for an authority with no data. */
  behind: AllBehind;
};

export function sortFromQuery(query: unknown): { sort: SortKey; dir: SortDir } {
  const q = (query ?? {}) as Record<string, unknown>;
  const sort: SortKey =
    q.sort === 'name' || q.sort === 'region'
      ? q.sort
      : typeof q.sort === 'string' && isIndicatorCode(q.sort)
        ? q.sort
        : 'name';
  const dir: SortDir =
    q.dir === 'asc' || q.dir === 'desc' ? q.dir : sort === 'name' || sort === 'region' ? 'asc' : 'desc';
  return { sort, dir };
}

/** Sorted by one column; authorities with no value come last whichever way, then by name. */
export function sortAuthorities(rows: readonly AuthorityRow[], sort: SortKey, dir: SortDir): AuthorityRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const byName = (a: AuthorityRow, b: AuthorityRow) => a.name.localeCompare(b.name, 'en-GB');
  return [...rows].sort((a, b) => {
    if (sort === 'name') return sign * byName(a, b);
    if (sort === 'region') return sign * a.regionName.localeCompare(b.regionName, 'en-GB') || byName(a, b);
    const x = a.values[sort];
    const y = b.values[sort];
    if (x === null && y === null) return byName(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y) || byName(a, b);
  });
}

// --- Loading ----------------------------------------------------------------------------------------------

type Authority = repo.AuthorityInfo;
/** An authority's counts in the quarter, with its workforce and estimate of need. */
type Inputs = {
  countsOf: (code: string) => Counts;
  workforceOf: (code: string) => Workforce | null;
  needOf: ReadonlyMap<string, number>;
};

/** An authority that commissioned no service in Mortar in the quarter has no data, not zeros. */
function authorityRows(
  authorities: readonly Authority[],
  using: ReadonlySet<string>,
  has: (code: string) => boolean,
  x: Inputs,
) {
  return authorities.map((a): AuthorityRow => {
    const usesMortar = using.has(a.code) || has(a.code);
    const args = [x.countsOf(a.code), x.workforceOf(a.code), x.needOf.get(a.code) ?? null] as const;
    const values = indicatorValues(...args);
    const behind = countsBehind(...args);
    if (!usesMortar)
      for (const k of Object.keys(values) as IndicatorCode[]) {
        values[k] = null;
        behind[k] = { numerator: null, denominator: null };
      }
    return {
      code: a.code,
      name: a.name,
      regionCode: a.regionCode,
      regionName: a.regionName,
      usesMortar,
      values,
      behind,
    };
  });
}

/** A group's values from its members' counts added together, before any rate is worked out. */
const groupArgs = (codes: readonly string[], x: Inputs) =>
  [
    addCounts(codes.map(x.countsOf)),
    addWorkforce(codes.map(x.workforceOf)),
    codes.reduce((s, c) => s + (x.needOf.get(c) ?? 0), 0),
  ] as const;
const groupValues = (codes: readonly string[], x: Inputs) => indicatorValues(...groupArgs(codes, x));
const groupBehind = (codes: readonly string[], x: Inputs) => countsBehind(...groupArgs(codes, x));

function regionRows(authorities: readonly Authority[], rows: readonly AuthorityRow[], x: Inputs) {
  const regionNames = new Map(authorities.map((a) => [a.regionCode, a.regionName]));
  return [...regionNames]
    .sort((a, b) => a[1].localeCompare(b[1], 'en-GB'))
    .map(([code, name]) => {
      const members = authorities.filter((a) => a.regionCode === code);
      return {
        code,
        name,
        authorities: members.length,
        usingMortar: members.filter((a) => rows.find((r) => r.code === a.code)?.usesMortar).length,
        values: groupValues(
          members.map((a) => a.code),
          x,
        ),
        behind: groupBehind(
          members.map((a) => a.code),
          x,
        ),
      };
    });
}

/** Furthest from target on the chosen indicator: every authority with a target for it this quarter. */
function furthestFromTarget(
  targets: readonly TargetRow[],
  rows: readonly AuthorityRow[],
  mapCode: IndicatorCode,
) {
  const indicator = indicatorOf(mapCode);
  return targets
    .filter((t) => t.indicator === mapCode)
    .map((t) => {
      const row = rows.find((r) => r.code === t.localAuthorityCode);
      const value = row?.values[mapCode] ?? null;
      return {
        code: t.localAuthorityCode,
        name: row?.name ?? t.localAuthorityCode,
        regionName: row?.regionName ?? '',
        value,
        behind: row?.behind[mapCode] ?? { numerator: null, denominator: null },
        target: t.target,
        shortfall: shortfall(indicator.better, value, t.target),
      };
    })
    .sort(
      (a, b) =>
        (b.shortfall ?? -Infinity) - (a.shortfall ?? -Infinity) || a.name.localeCompare(b.name, 'en-GB'),
    );
}

/** `db` may be the read replica; `primary` keeps the national counts (national-counts.cache.ts). */
export async function loadNationalDashboard(
  db: Database,
  period: Period,
  mapCode: IndicatorCode,
  today: string,
  primary: Database = db,
) {
  const { start, end } = quarterRange(period.financialYear, period.quarter);
  const last = end < today ? end : today;
  const [authorities, counts, targets, workforce, need, using, goalCount] = await Promise.all([
    repo.listAuthorities(db),
    loadNationalCounts(db, period, period, today, primary),
    loadTargets(db, 'all', period, period),
    loadWorkforceCounts(db, 'all', last),
    loadNeed(db),
    repo.authoritiesUsingMortar(db, start, last),
    repo.cumulativeCmhcQuitDates(db, GOAL_START, today),
  ]);
  const pk = repo.periodKey(period);
  const x: Inputs = {
    countsOf: (code) => counts.get(code)?.get(pk)?.counts ?? zeroCounts(),
    workforceOf: (code) => workforceOf(workforce.get(code)),
    needOf: new Map(need.authorities.map((a) => [a.code, a.figure])),
  };
  const rows = authorityRows(authorities, using, (code) => counts.has(code), x);
  const roadmap = await loadRoadmap(db, need, goalCount, today);
  return {
    roadmap,
    period,
    periodLabel: quarterLabel(period.financialYear, period.quarter),
    today,
    rows,
    regions: regionRows(authorities, rows, x),
    england: groupValues(
      authorities.map((a) => a.code),
      x,
    ),
    englandBehind: groupBehind(
      authorities.map((a) => a.code),
      x,
    ),
    furthest: furthestFromTarget(targets, rows, mapCode),
    mapCode,
    usingCount: rows.filter((r) => r.usesMortar).length,
    goal: {
      start: GOAL_START,
      count: goalCount,
      goal: NATIONAL_GOAL,
      share: goalCount / NATIONAL_GOAL,
      note: NATIONAL_GOAL_NOTE,
      need: need.england.figure,
    },
    disclosureNote: disclosureNote(),
    published: () =>
      rows.map((r) => ({
        ...r,
        disclosed: r.usesMortar
          ? disclosedValues(x.countsOf(r.code), x.workforceOf(r.code), x.needOf.get(r.code) ?? null)
          : null,
        disclosedBehind: r.usesMortar
          ? disclosedCountsBehind(x.countsOf(r.code), x.workforceOf(r.code), x.needOf.get(r.code) ?? null)
          : null,
      })),
  };
}

export type NationalDashboard = Awaited<ReturnType<typeof loadNationalDashboard>>;

export const valueText = (code: IndicatorCode, v: number | null) => formatIndicatorValue(code, v);
export { formatValue };
