// What the estimate of need pages show, worked out from the estimate: figures rounded as an estimate
// deserves, the method with the numbers used, and the national table's sorting. No I/O.
import type { BritainNeed } from './britain-need.ts';
import { RELATIVE_RATE_RANGE, type AuthorityNeed, type NeedEstimate } from './need.ts';

// --- Formatting -------------------------------------------------------------------------------------
const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
/** An estimate, to the nearest 10: it is not precise enough for more. */
export const about = (n: number) => (Math.round(n / 10) * 10).toLocaleString('en-GB');
export const pct = (fraction: number, digits = 1) =>
  `${(fraction * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
const oneIn = (share: number) => {
  const n = 1 / share;
  return Math.abs(n - Math.round(n)) < 0.05 ? `about 1 in ${Math.round(n)}` : `about 1 in ${n.toFixed(1)}`;
};
export const rate = (r: number) => String(Number(r.toFixed(3)));

export function authorityView(a: AuthorityNeed) {
  return {
    ...a,
    figureText: a.local ? whole(a.local.estimate) : about(a.computed),
    computedText: about(a.computed),
    lowText: about(a.computedLow),
    highText: about(a.computedHigh),
    adultsText: whole(a.pop18),
    prevalenceText: `${a.prevalencePct.toFixed(1)}%`,
    yearsText: a.years.join(' and '),
    districtRows: a.districts.map((d) => ({
      ...d,
      adultsText: whole(d.pop18),
      pctText: `${d.pct.toFixed(1)}%`,
    })),
    showDistricts: a.districts.length > 1 || a.districts.some((d) => d.basis !== 'latest'),
  };
}

export function methodView(e: NeedEstimate) {
  const { cmhcShare, relativeRate } = e.parameters;
  return {
    shareText: pct(cmhcShare),
    oneInText: oneIn(cmhcShare),
    rateText: rate(relativeRate),
    rateLow: String(RELATIVE_RATE_RANGE.low),
    rateHigh: String(RELATIVE_RATE_RANGE.high),
    latestYear: e.latestYear,
    england: {
      ...e.england,
      figureText: about(e.england.figure),
      computedText: about(e.england.computed),
      lowText: about(e.england.computedLow),
      highText: about(e.england.computedHigh),
      adultsText: whole(e.england.pop18),
      goalText: whole(e.england.goal),
      shareOfGoalText: pct(e.england.shareOfGoal, 0),
    },
  };
}

/** Britain by nation: each figure with its inputs and the assumptions behind it. */
export function britainView(b: BritainNeed) {
  return {
    figureText: about(b.figure),
    lowText: about(b.low),
    highText: about(b.high),
    goalText: whole(b.goal),
    nations: b.nations.map((n) => ({
      ...n,
      figureText: about(n.figure),
      rangeText: `${about(n.low)} to ${about(n.high)}`,
      adultsText: whole(n.pop18),
      prevalenceText: `${n.prevalencePct.toFixed(1)}%`,
      shareText: pct(n.shareOfBritain),
      goalPartText: about(n.goalPart),
    })),
    welsh: (b.nations.find((n) => n.nation === 'wales')?.authorities ?? []).map((a) => ({
      ...a,
      adultsText: whole(a.pop18),
      figureText: about(a.figure),
    })),
  };
}

// --- Sorting the national table ---------------------------------------------------------------------
const SORTS = {
  name: { label: 'Local authority', key: (a: AuthorityNeed) => a.name },
  region: { label: 'Region', key: (a: AuthorityNeed) => a.regionName },
  adults: { label: 'Adults 18+', key: (a: AuthorityNeed) => a.pop18 },
  prevalence: { label: 'Adults who smoke', key: (a: AuthorityNeed) => a.prevalencePct },
  estimate: { label: 'Estimated smokers with a CMHC', key: (a: AuthorityNeed) => a.figure },
} as const;
export type SortKey = keyof typeof SORTS;
const NUMERIC: readonly SortKey[] = ['adults', 'prevalence', 'estimate'];

export function sortAuthorities(
  list: readonly AuthorityNeed[],
  sort: SortKey,
  dir: 'asc' | 'desc',
): AuthorityNeed[] {
  const key = SORTS[sort].key;
  const sign = dir === 'asc' ? 1 : -1;
  return [...list].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en-GB');
    return c !== 0 ? sign * c : a.name.localeCompare(b.name, 'en-GB');
  });
}

export function sortOf(query: unknown): { sort: SortKey; dir: 'asc' | 'desc' } {
  const q = (query ?? {}) as Record<string, unknown>;
  const sort = typeof q.sort === 'string' && q.sort in SORTS ? (q.sort as SortKey) : 'estimate';
  const dir = q.dir === 'asc' || q.dir === 'desc' ? q.dir : NUMERIC.includes(sort) ? 'desc' : 'asc';
  return { sort, dir };
}

export function sortHeaders(current: { sort: SortKey; dir: 'asc' | 'desc' }) {
  return (Object.keys(SORTS) as SortKey[]).map((k) => {
    const active = k === current.sort;
    const next = active ? (current.dir === 'asc' ? 'desc' : 'asc') : NUMERIC.includes(k) ? 'desc' : 'asc';
    return {
      key: k,
      label: SORTS[k].label,
      numeric: NUMERIC.includes(k),
      href: `/need?sort=${k}&dir=${next}#authorities`,
      ariaSort: active ? (current.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  });
}
