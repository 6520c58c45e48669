// The commissioner's dashboard tables as CSV: built from the same dashboard the page shows, so the file and
// the page always agree. Figures to one decimal place; a region's suppressed figure stays '*'.
import { SUPPRESSED } from '../returns/disclosure.ts';
import type { CommissionerDashboard } from './commissioner-dashboard.service.ts';
import type { CsvTable } from './dashboard-csv.ts';
import type { DisclosedValue } from './indicator-values.ts';
import { countHeadings, type Behind } from './indicator-counts.ts';

export const COMMISSIONER_TABLES = [
  'progress',
  'trend',
  'comparison',
  'sources',
  'conditions',
  'partners',
  'local-indicators',
] as const;
export type CommissionerTable = (typeof COMMISSIONER_TABLES)[number];

const n1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const cell = (v: DisclosedValue) => (v === SUPPRESSED ? SUPPRESSED : n1(v));
/** A value with the counts behind it: the numerator and denominator, empty where nothing is behind it. */
const withCounts = (v: DisclosedValue, b: Behind<number | string>) => [cell(v), b.numerator, b.denominator];

/** `p` is the chosen quarter's label, as the page heads its columns. */
type TableOf = (d: CommissionerDashboard, p: string) => CsvTable;

const progress: TableOf = (d, p) => ({
  name: 'progress',
  headers: [
    'Indicator',
    'Unit',
    `${p} value`,
    `${p} numerator`,
    `${p} denominator`,
    `${p} target`,
    `${p} progress`,
    `Year to date (${d.ytdLabel}) value`,
    'Year to date numerator',
    'Year to date denominator',
    'Year to date target',
    'Year to date progress',
  ],
  rows: d.progress.map((r) => [
    r.name,
    r.unit,
    ...withCounts(r.quarter.value, r.quarter),
    r.quarter.target,
    r.quarter.progressText,
    ...withCounts(r.ytd.value, r.ytd),
    r.ytd.target,
    r.ytd.progressText,
  ]),
});

const trend: TableOf = (d) => {
  const h = countHeadings(d.trend.code);
  const counts = [h.numerator, h.denominator].flatMap((x, k) => (x === null ? [] : [{ heading: x, k }]));
  return {
    name: `trend-${d.trend.code}`,
    headers: [
      'Quarter',
      `${d.trend.indicator.name} (${d.trend.indicator.unit})`,
      ...counts.map((c) => `${c.heading[0]!.toUpperCase()}${c.heading.slice(1)}`),
      'Target',
      'Waiting for the four-week follow-up',
    ],
    rows: d.trend.periods.map((q, i) => {
      const b = d.trend.behind[i]!;
      return [
        q,
        n1(d.trend.values[i] ?? null),
        ...counts.map((c) => (c.k === 0 ? b.numerator : b.denominator)),
        d.trend.targets[i] ?? null,
        d.trend.pending[i] ?? 0,
      ];
    }),
  };
};

const comparison: TableOf = (d, p) => ({
  name: 'comparison',
  headers: [
    'Indicator',
    'Unit',
    ...[
      `${d.authority.name} ${p}`,
      `${d.regionName} ${p} (published level)`,
      `England ${p}`,
      `${d.authority.name} year to date`,
      `${d.regionName} year to date (published level)`,
      'England year to date',
    ].flatMap((h) => [h, `${h} numerator`, `${h} denominator`]),
  ],
  rows: d.comparison.quarter.map((r, i) => {
    const y = d.comparison.ytd[i]!;
    return [
      r.name,
      r.unit,
      ...withCounts(r.raw.own, r.behind.own),
      ...withCounts(r.raw.region, r.behind.region),
      ...withCounts(r.raw.england, r.behind.england),
      ...withCounts(y.raw.own, y.behind.own),
      ...withCounts(y.raw.region, y.behind.region),
      ...withCounts(y.raw.england, y.behind.england),
    ];
  }),
});

const sources: TableOf = (d, p) => ({
  name: 'referral-sources',
  headers: [
    'Referral source',
    `Referrals received ${p}`,
    `Set a quit date ${p}`,
    `Quit at four weeks ${p}`,
    'Quit rate (%)',
  ],
  rows: d.sources.map((s) => [s.label, s.referrals, s.quitDates, s.quits, n1(s.rate)]),
});

const conditions: TableOf = (d, p) => ({
  name: 'conditions',
  headers: ['Mental health condition', `Set a quit date ${p}`, `Quit at four weeks ${p}`, 'Quit rate (%)'],
  rows: d.conditions.map((c) => [c.label, c.quitDates, c.quits, n1(c.rate)]),
});

const partners: TableOf = (d, p) => ({
  name: 'partners',
  headers: [
    'Partner organisation',
    'Sector',
    'Status',
    `Referrals ${p}`,
    `Set a quit date ${p}`,
    `Quit at four weeks ${p}`,
  ],
  // A partner not linked to an organisation in Mortar has no counts, rather than zeros.
  rows: d.partners.map((x) => [
    x.name,
    x.sector,
    x.status,
    x.organisationId ? x.referrals : null,
    x.organisationId ? x.quitDates : null,
    x.organisationId ? x.quits : null,
  ]),
});

const local: TableOf = (d, p) => ({
  name: 'local-indicators',
  headers: [
    'Local indicator',
    'Definition',
    'Numerator',
    'Denominator',
    `${p} numerator`,
    `${p} denominator`,
    `${p} rate (%)`,
    'Target (%)',
    'Better when',
    `${p} progress`,
    `Year to date (${d.ytdLabel}) numerator`,
    'Year to date denominator',
    'Year to date rate (%)',
    'Year to date progress',
  ],
  rows: d.local.map((l) => [
    l.name,
    l.definition,
    l.numeratorLabel,
    l.denominatorLabel,
    l.quarter.numerator,
    l.quarter.denominator,
    n1(l.quarter.value),
    l.target,
    l.better === 'lower' ? 'Lower' : 'Higher',
    l.quarter.progressText,
    l.ytd.numerator,
    l.ytd.denominator,
    n1(l.ytd.value),
    l.ytd.progressText,
  ]),
});

const TABLES: Record<CommissionerTable, TableOf> = {
  progress,
  trend,
  comparison,
  sources,
  conditions,
  partners,
  'local-indicators': local,
};

export function commissionerCsv(d: CommissionerDashboard, table: CommissionerTable): CsvTable {
  return TABLES[table](d, d.periodLabel);
}
