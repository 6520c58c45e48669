import { toCsv, type CsvCell } from '../../platform/csv.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { monthLabel } from '../../platform/dates.ts';
import {
  disclose,
  discloseRate,
  disclosureNote,
  formatDisclosed,
  type Disclosed,
} from '../returns/disclosure.ts';
import { inArea } from '../referrals/campaign-attribution.ts';
import type { Measures, ResultRow } from './campaign.repository.ts';

// A campaign's results as one viewer may see them (pure). Figures for referrals routed to an authority
// the viewer sees exact (campaignFiguresExact in platform/scope.ts) are exact; as soon as a table mixes in
// another authority's referrals, every figure in it goes through disclosure control, so nobody can read
// another authority's small numbers off a campaign page. Only referrals that count (campaign-attribution.ts) are
// in the results; those carrying the code outside the campaign's dates are one separate count.

export const MEASURES = ['referrals', 'quitDates', 'quits', 'coVerified'] as const;
export type Measure = (typeof MEASURES)[number];

export const MEASURE_LABELS: Record<Measure, string> = {
  referrals: 'Referrals',
  quitDates: 'Set a quit date',
  quits: 'Quit at 4 weeks',
  coVerified: 'Quit, CO-verified',
};

const SOURCE_LABELS: Record<string, string> = {
  self: 'Self-referral',
  ...Object.fromEntries(
    Object.entries(ORGANISATION_TYPES).filter(([k]) => k !== 'local_authority' && k !== 'national_body'),
  ),
  unknown: 'Not recorded',
};

export type Figures = Record<Measure, Disclosed>;
export type Line = { key: string; label: string; figures: Figures };
export type AreaLine = Line & { exact: boolean; inArea: boolean };

export type CampaignResults = {
  /** Every figure shown exactly (the viewer sees every authority behind them exact). */
  exact: boolean;
  total: Figures;
  quitRate: number | '*' | null;
  coVerifiedShare: number | '*' | null;
  byArea: AreaLine[];
  bySource: Line[];
  byMonth: Line[];
  /** Referrals that carried the code outside the campaign's dates (not in the figures above). */
  notCounted: Disclosed;
  /** What '*' and rounding mean, when anything is disclosure-controlled. */
  note: string | null;
};

const zero = (): Measures => ({ referrals: 0, quitDates: 0, quits: 0, coVerified: 0 });
const add = (a: Measures, b: Measures) => {
  for (const m of MEASURES) a[m] += b[m];
};
const shown = (m: Measures, exact: boolean): Figures =>
  Object.fromEntries(MEASURES.map((k) => [k, disclose(m[k], { exact })])) as Figures;

/** Months from the first to the last with referrals, gaps filled, as 'YYYY-MM'. */
function monthRange(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort();
  const index = (k: string) => {
    const [y, m] = k.split('-').map(Number) as [number, number];
    return y * 12 + (m - 1);
  };
  const out: string[] = [];
  for (let i = index(sorted[0]!); i <= index(sorted.at(-1)!); i++) {
    out.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

export type Authority = { name: string; regionCode: string | null };

export function shapeResults(
  rows: readonly ResultRow[],
  opts: {
    exactFor: (la: string) => boolean;
    authorities: ReadonlyMap<string, Authority>;
    campaign: { regionCode: string | null; localAuthorityCode: string | null };
  },
): CampaignResults {
  const las = [...new Set(rows.map((r) => r.la))];
  const exact = las.every((la) => opts.exactFor(la));

  const total = zero();
  const notCounted = zero();
  const areas = new Map<string, Measures>();
  const sources = new Map<string, Measures>();
  const months = new Map<string, Measures>();
  for (const r of rows) {
    if (r.dimension === 'total' && !r.counted) add(notCounted, r);
    if (!r.counted) continue;
    if (r.dimension === 'total') {
      add(total, r);
      if (!areas.has(r.la)) areas.set(r.la, zero());
      add(areas.get(r.la)!, r);
    } else {
      const into = r.dimension === 'source' ? sources : months;
      const key = r.key ?? 'unknown';
      if (!into.has(key)) into.set(key, zero());
      add(into.get(key)!, r);
    }
  }

  const byArea: AreaLine[] = [...areas]
    .map(([la, m]) => {
      const a = opts.authorities.get(la);
      const own = opts.exactFor(la);
      return {
        key: la,
        label: a?.name ?? la,
        exact: own,
        inArea: inArea(opts.campaign, { localAuthorityCode: la, regionCode: a?.regionCode ?? null }),
        figures: shown(m, own),
      };
    })
    // The viewer's own authority first, then the campaign's area, then everywhere else, by name.
    .sort(
      (x, y) =>
        Number(y.exact) - Number(x.exact) ||
        Number(y.inArea) - Number(x.inArea) ||
        x.label.localeCompare(y.label, 'en-GB'),
    );

  const sourceOrder = Object.keys(SOURCE_LABELS);
  const bySource: Line[] = [...sources]
    .sort(([a], [b]) => (sourceOrder.indexOf(a) + 1 || 99) - (sourceOrder.indexOf(b) + 1 || 99))
    .map(([key, m]) => ({ key, label: SOURCE_LABELS[key] ?? key, figures: shown(m, exact) }));

  const byMonth: Line[] = monthRange([...months.keys()]).map((key) => ({
    key,
    label: monthLabel(key),
    figures: shown(months.get(key) ?? zero(), exact),
  }));

  return {
    exact,
    total: shown(total, exact),
    quitRate: discloseRate(total.quits, total.quitDates, { exact }),
    coVerifiedShare: discloseRate(total.coVerified, total.quits, { exact }),
    byArea,
    bySource,
    byMonth,
    notCounted: disclose(notCounted.referrals, { exact }),
    note: exact ? null : disclosureNote(),
  };
}

/** A figure as a page shows it. */
export const figureText = (v: Disclosed | null, suffix = '') => formatDisclosed(v, suffix);

// --- CSV -------------------------------------------------------------------------------------------

/** The same figures as the page, one line per row of each table, with whether each is exact. */
export function resultsCsv(campaign: { code: string; name: string }, r: CampaignResults): string {
  const header = [
    'campaign_code',
    'campaign_name',
    'breakdown',
    'category',
    'figures',
    'referrals',
    'set_quit_date',
    'quit_4_weeks',
    'quit_co_verified',
  ];
  const lines: CsvCell[][] = [];
  const how = (exact: boolean) => (exact ? 'exact' : 'disclosure-controlled');
  const line = (breakdown: string, category: string, exact: boolean, f: Figures) =>
    lines.push([campaign.code, campaign.name, breakdown, category, how(exact), ...MEASURES.map((m) => f[m])]);
  line('total', 'All referrals that count', r.exact, r.total);
  for (const a of r.byArea) line('local_authority', a.label, a.exact, a.figures);
  for (const s of r.bySource) line('referral_source', s.label, r.exact, s.figures);
  for (const m of r.byMonth) line('month', m.key, r.exact, m.figures);
  lines.push([
    campaign.code,
    campaign.name,
    'outside_dates',
    'Carried the code outside the campaign’s dates (not counted)',
    how(r.exact),
    r.notCounted,
    '',
    '',
    '',
  ]);
  return toCsv(header, lines);
}
