// The commissioner's dashboard tables as CSV: built from the same dashboard the page shows, so the file and
// the page always agree. Figures to one decimal place; a region's suppressed figure stays '*'.
import { SUPPRESSED } from '../returns/disclosure.ts';
import type { CommissionerDashboard } from './commissioner-dashboard.service.ts';
import type { CsvTable } from './dashboard-csv.ts';
import type { DisclosedValue } from './indicator-values.ts';

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
const cell = (v: DisclosedValue) => (v === SUPPRESSED ? SUPPRESSED : n1(v));

/** `p` is the chosen quarter's label, as the page heads its columns. */
type TableOf = (d: CommissionerDashboard, p: string) => CsvTable;

const progress: TableOf = (d, p) => ({
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
});

const trend: TableOf = (d) => ({
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
});

const comparison: TableOf = (d, p) => ({
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

const TABLES: Record<CommissionerTable, TableOf> = {
  progress,
  trend,
  comparison,
  sources,
  conditions,
  partners,
};

export function commissionerCsv(d: CommissionerDashboard, table: CommissionerTable): CsvTable {
  return TABLES[table](d, d.periodLabel);
}
