import type { Database } from '../../db/database.ts';
import { londonDate } from '../../platform/clock.ts';
import { monthLabel } from '../../platform/dates.ts';
import type { AreaScope } from '../../platform/scope.ts';
import { MENTAL_HEALTH_RECORDED, SMOKING_STATUS } from '../referrals/referral.codes.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import { STATUS_KINDS, STATUS_LABELS } from '../referrals/referral-status.ts';
import * as repo from './area.repository.ts';
import type { AdviceRow, AuthorityRow, BreakdownRow, CommissionedRow, Dimension } from './area.repository.ts';

// Pure shaping of the counts that area.repository.ts computes, for the commissioner's area page and
// the national page. These are management figures for signed-in staff, not published statistics:
// statistical disclosure control applies when tables are published (returns module), not here.

export const MONTHS_SHOWN = 6;

/** The last n months in England's time, oldest first, as 'YYYY-MM' keys. */
export function lastMonths(now: Date, n = MONTHS_SHOWN): string[] {
  const [y, m] = londonDate(now).split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** Who referred: every kind of organisation that refers people, and people who referred themselves. */
const REFERRER_TYPES: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(ORGANISATION_TYPES).filter(([k]) => k !== 'local_authority' && k !== 'national_body'),
  ),
  self: 'Self-referral',
};

export type Category = { key: string; label: string };
export type Count = Category & { n: number };

/** The categories of each breakdown, in the order they are shown, with zeros kept. */
export function categories(dimension: Exclude<Dimension, 'total'>, months: string[]): Category[] {
  switch (dimension) {
    case 'month':
      return months.map((key) => ({ key, label: monthLabel(key) }));
    case 'status':
      return STATUS_KINDS.map((key) => ({ key, label: STATUS_LABELS[key] }));
    case 'referrer_type':
      return Object.entries(REFERRER_TYPES).map(([key, label]) => ({ key, label }));
    case 'mental_health':
      return Object.entries(MENTAL_HEALTH_RECORDED).map(([key, label]) => ({ key, label }));
  }
}

/** Counts of one area (la, or null for England) in one breakdown. A value the list does not know is added, not lost. */
export function countsFor(
  rows: readonly BreakdownRow[],
  la: string | null,
  dimension: Exclude<Dimension, 'total'>,
  months: string[],
): Count[] {
  const found = new Map<string, number>();
  for (const r of rows) if (r.la === la && r.dimension === dimension && r.key !== null) found.set(r.key, r.n);
  const known = categories(dimension, months);
  const out = known.map((c) => ({ ...c, n: found.get(c.key) ?? 0 }));
  if (dimension !== 'month') {
    for (const [key, n] of found)
      if (!known.some((c) => c.key === key))
        out.push({ key, label: key === 'unknown' ? 'Not recorded' : key, n });
  }
  return out;
}

export function totalFor(rows: readonly BreakdownRow[], la: string | null): number {
  return rows.find((r) => r.la === la && r.dimension === 'total')?.n ?? 0;
}

export type AdviceCounts = {
  /** Times advice was given, and what followed. */
  total: number;
  referred: number;
  declined: number;
  /** Everyone asked about smoking, whatever they answered, and how many gave each answer. */
  asked: number;
  askedByStatus: Count[];
};

/** The answers someone asked can give: every smoking status but "not asked". */
const ASKED_ANSWERS = Object.entries(SMOKING_STATUS).filter(([key]) => key !== '9');

export function adviceFor(rows: readonly AdviceRow[], la: string | null): AdviceCounts {
  const r = rows.find((x) => x.la === la && x.status === null);
  const byStatus = new Map(
    rows.filter((x) => x.la === la && x.status !== null).map((x) => [x.status, x.asked]),
  );
  return {
    total: r?.total ?? 0,
    referred: r?.referred ?? 0,
    declined: r?.declined ?? 0,
    asked: r?.asked ?? 0,
    askedByStatus: ASKED_ANSWERS.map(([key, label]) => ({ key, label, n: byStatus.get(key) ?? 0 })),
  };
}

export type AreaCounts = {
  services: { id: string; name: string }[];
  advice: AdviceCounts;
  referrals: number;
  /** Referrals received in the months shown. */
  recentReferrals: number;
  byMonth: Count[];
  byStatus: Count[];
  byReferrerType: Count[];
  byMentalHealth: Count[];
};

export function areaCounts(
  la: string | null,
  data: {
    breakdowns: readonly BreakdownRow[];
    advice: readonly AdviceRow[];
    services: readonly CommissionedRow[];
    months: string[];
  },
): AreaCounts {
  const byMonth = countsFor(data.breakdowns, la, 'month', data.months);
  return {
    services: data.services
      .filter((s) => s.la === la)
      .map((s) => ({ id: s.organisation_id, name: s.organisation_name })),
    advice: adviceFor(data.advice, la),
    referrals: totalFor(data.breakdowns, la),
    recentReferrals: byMonth.reduce((t, c) => t + c.n, 0),
    byMonth,
    byStatus: countsFor(data.breakdowns, la, 'status', data.months),
    byReferrerType: countsFor(data.breakdowns, la, 'referrer_type', data.months),
    byMentalHealth: countsFor(data.breakdowns, la, 'mental_health', data.months),
  };
}

/** A table of counts with one row per authority, columns for one breakdown, and England at the foot. */
export type Matrix = {
  columns: Category[];
  rows: { name: string; cells: number[]; total: number }[];
  england: { cells: number[]; total: number };
};

export function matrix(
  authorities: readonly (AuthorityRow & { counts: AreaCounts })[],
  england: AreaCounts,
  pick: (c: AreaCounts) => Count[],
  opts: { dropEmptyColumns?: boolean } = {},
): Matrix {
  // England has every value any authority has, so its categories are the columns; cells go by key.
  const columns = pick(england)
    .filter((c) => !opts.dropEmptyColumns || c.n > 0)
    .map(({ key, label }) => ({ key, label }));
  const line = (counts: Count[]) => {
    const byKey = new Map(counts.map((c) => [c.key, c.n]));
    return { cells: columns.map((c) => byKey.get(c.key) ?? 0), total: counts.reduce((t, c) => t + c.n, 0) };
  };
  return {
    columns,
    rows: authorities.map((a) => ({ name: a.name, ...line(pick(a.counts)) })),
    england: line(pick(england)),
  };
}

// Loading ---------------------------------------------------------------------------------------

export async function loadArea(
  db: Database,
  scope: Extract<AreaScope, { kind: 'local_authority' }>,
  now: Date,
) {
  const months = lastMonths(now);
  const [authority, breakdowns, advice, services] = await Promise.all([
    repo.findAuthority(db, scope.code),
    repo.referralBreakdowns(db, scope, months[0]!),
    repo.adviceCounts(db, scope),
    repo.commissionedServices(db, scope),
  ]);
  return { authority, months, counts: areaCounts(scope.code, { breakdowns, advice, services, months }) };
}

export async function loadNational(db: Database, now: Date) {
  const scope: AreaScope = { kind: 'all' };
  const months = lastMonths(now);
  const [authorities, breakdowns, advice, services, coverage] = await Promise.all([
    repo.activeAuthorities(db),
    repo.referralBreakdowns(db, scope, months[0]!),
    repo.adviceCounts(db, scope),
    repo.commissionedServices(db, scope),
    repo.commissioningCoverage(db),
  ]);
  const data = { breakdowns, advice, services, months };
  const rows = authorities.map((a) => ({ ...a, counts: areaCounts(a.code, data) }));
  const england = areaCounts(null, data);
  return {
    months,
    coverage,
    england,
    authorities: rows,
    tables: {
      byMonth: matrix(rows, england, (c) => c.byMonth),
      byStatus: matrix(rows, england, (c) => c.byStatus),
      byReferrerType: matrix(rows, england, (c) => c.byReferrerType, { dropEmptyColumns: true }),
      byMentalHealth: matrix(rows, england, (c) => c.byMentalHealth),
    },
  };
}
