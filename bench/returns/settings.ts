import { FatalError } from '../pg-cluster.ts';

// Settings (environment overrides are for quick experiments; the defaults are the reported run)

function numEnv(name: string, fallback: number, min: number, max: number, whole = true): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
    throw new FatalError(`${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}`);
  return n;
}

export const quick = process.argv.includes('--quick');
export const S = {
  seed: numEnv('BENCH_RETURNS_SEED', 42, 0, 0xffffffff),
  years: numEnv('BENCH_RETURNS_YEARS', quick ? 1 : 5, 1, 10),
  // Up to March 2026, so the dashboards' quarter choosers (the last few years to today) reach the data.
  firstYear: 2021,
  serverScale: numEnv('BENCH_RETURNS_SCALE', quick ? 0.02 : 1, 0.001, 2, false),
  pgliteScale: numEnv('BENCH_RETURNS_PGLITE_SCALE', quick ? 0.02 : 0.2, 0.001, 2, false),
  repeats: numEnv('BENCH_RETURNS_REPEATS', quick ? 1 : 3, 1, 20),
  determinismScale: 0.005,
  skipPglite: process.env.BENCH_SKIP_PGLITE === '1',
  skipServer: process.env.BENCH_RETURNS_SKIP_SERVER === '1',
  /** `--dashboards-only` (npm run bench:dashboards): generate, then time the dashboards, not the returns. */
  dashboardsOnly: process.argv.includes('--dashboards-only'),
  skipDashboards: process.env.BENCH_SKIP_DASHBOARDS === '1',
  dashboardRequests: numEnv('BENCH_DASHBOARD_REQUESTS', quick ? 10 : 100, 5, 1000),
};
/** Within this many times the baseline is the aim. */
export const AIM = 3;

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';

// Periods

export const lastYear = () => S.firstYear + S.years - 1;
/** The quarter timed: the last generated year's Q4 (its final return); the year: all four quarters of it. */
export const QUARTER = 4 as const;
/** Returns generated well after the year, so every outcome is final. */
export const asOf = () => `${lastYear() + 1}-06-30`;

export function quarterDates(fy: number, q: 1 | 2 | 3 | 4): { start: string; end: string } {
  const ends = { 1: '06-30', 2: '09-30', 3: '12-31', 4: '03-31' } as const;
  const starts = { 1: '04-01', 2: '07-01', 3: '10-01', 4: '01-01' } as const;
  const y = q === 4 ? fy + 1 : fy;
  return { start: `${y}-${starts[q]}`, end: `${y}-${ends[q]}` };
}
