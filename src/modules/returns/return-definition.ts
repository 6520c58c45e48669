// What the quarterly return counts, defined once, in pure functions over plain facts (docs/domain.md,
// Four-week outcome and Quarterly return). The SQL that computes returns at scale must agree with
// computeReturn on any set of facts: a test that loads generated facts into the database and compares the two
// is the proof.
//
// The rules, in one place:
// - An episode counts in the return of the authority in its `localAuthorityCode` (the authority that
//   commissions the service that ran it), in the quarter its quit date falls in, once that quit date has
//   come (quit date on or before `asOf`). A quit date still in the future is not counted yet: the attempt
//   has not started. Episodes without a quit date are not episodes in the national sense and never count.
// - Every counted episode counts in "set a quit date" and in exactly one of: quit (self-reported), not
//   quit, lost to follow-up, pending. "Quit (CO-verified)" is the subset of the quits confirmed by a CO
//   reading, so CO-verified is never more than self-reported, and
//     setQuitDate = quitSelfReported + notQuit + lostToFollowUp + pending.
// - The outcome is the one known on `asOf`: the fact's stored or decided outcome. A fact still 'pending'
//   is asked of decideFourWeekOutcome with no follow-up, so it becomes lost to follow-up only once day 42
//   has passed on `asOf`, exactly as the lost-to-follow-up job would mark it; until then it is pending.
// - A referral counts in "referrals received" in the quarter it was received (on or before `asOf`), for
//   the authority in its `localAuthorityCode`. Episodes and referrals alike carry the authority the one
//   rule of counting-authority.ts gives: the commissioner of the service on the day. Referrals carry
//   only their source, so referrals received are broken down by referral source only: in every other
//   breakdown that cell is null, not zero.
// - Each breakdown puts every counted episode in exactly one category, with a "not known" category for a
//   missing or unrecognised code, so every breakdown's categories add up to the total for every count.
//
// The definition is in four files: the facts and the counts, each by its one rule (return-measures.ts);
// the breakdowns and their categories (return-breakdowns.ts); the return put together from them (this
// file); and a return's figures listed, compared and added up (return-figures.ts).

import type { IsoDate } from '../../platform/dates.ts';
import { isProvisional, quarterLabel, quarterRange, type Quarter } from '../../platform/quarters.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, zeroCategory, type BreakdownKey } from './return-breakdowns.ts';
import {
  inWindow,
  measuresIn,
  windowOf,
  zeroCounts,
  type CategoryCounts,
  type Counts,
  type EpisodeFact,
  type ReferralFact,
  type ReturnScope,
} from './return-measures.ts';

// ------------------------------------------------------------------------------------------- a return

export type ReturnPeriod = {
  financialYear: number;
  quarter: Quarter;
  /** "2026/27 Q1" */
  label: string;
  start: IsoDate;
  end: IsoDate;
};

/**
 * Category code to counts, for each breakdown. Every category of the code list is present. To list them in
 * order use BREAKDOWNS[key].categories.codes (or figuresOf), not Object.keys: JavaScript puts keys that look
 * like whole numbers ('10', '99', '1') before the others.
 */
export type Breakdowns = Record<BreakdownKey, Record<string, CategoryCounts>>;

export type QuarterlyReturn = {
  localAuthorityCode: string;
  period: ReturnPeriod;
  /** The day it was generated (outcomes as known then); null for a return imported from a file. */
  asOf: IsoDate | null;
  /** Q1 to Q3 are provisional, Q4 final. */
  provisional: boolean;
  totals: Counts;
  breakdowns: Breakdowns;
};

export function periodOf(financialYear: number, quarter: Quarter): ReturnPeriod {
  return {
    financialYear,
    quarter,
    label: quarterLabel(financialYear, quarter),
    ...quarterRange(financialYear, quarter),
  };
}

/** A return with every count zero and every category present (also the template for an import file). */
export function emptyReturn(
  localAuthorityCode: string,
  financialYear: number,
  quarter: Quarter,
  asOf: IsoDate | null = null,
): QuarterlyReturn {
  const breakdowns = {} as Breakdowns;
  for (const key of BREAKDOWN_KEYS) {
    breakdowns[key] = Object.fromEntries(BREAKDOWNS[key].categories.codes.map((c) => [c, zeroCategory(key)]));
  }
  return {
    localAuthorityCode,
    period: periodOf(financialYear, quarter),
    asOf,
    provisional: isProvisional(quarter),
    totals: zeroCounts(),
    breakdowns,
  };
}

export type ComputeReturnInput = {
  episodes: readonly EpisodeFact[];
  referrals: readonly ReferralFact[];
  localAuthorityCode: string;
  financialYear: number;
  quarter: Quarter;
  asOf: IsoDate;
};

/** The return of one authority for one quarter, as known on `asOf`. */
export function computeReturn(input: ComputeReturnInput): QuarterlyReturn {
  const scope: ReturnScope = {
    localAuthorityCode: input.localAuthorityCode,
    financialYear: input.financialYear,
    quarter: input.quarter,
    asOf: input.asOf,
  };
  const w = windowOf(scope);
  const ret = emptyReturn(scope.localAuthorityCode, scope.financialYear, scope.quarter, scope.asOf);
  const cell = (key: BreakdownKey, category: string): CategoryCounts => {
    const c = ret.breakdowns[key][category];
    if (!c) throw new Error(`Breakdown ${key} put a fact in ${category}, which is not one of its categories`);
    return c;
  };
  for (const r of input.referrals) {
    if (!inWindow(r.localAuthorityCode, r.receivedOn, w)) continue;
    ret.totals.referralsReceived++;
    for (const key of BREAKDOWN_KEYS) {
      const of = BREAKDOWNS[key].referralCategoryOf;
      if (!of) continue;
      const c = cell(key, of(r));
      c.referralsReceived = (c.referralsReceived ?? 0) + 1;
    }
  }
  for (const e of input.episodes) {
    const measures = measuresIn(e, w);
    if (measures.length === 0) continue;
    const cells = BREAKDOWN_KEYS.map((key) => cell(key, BREAKDOWNS[key].categoryOf(e)));
    for (const m of measures) {
      ret.totals[m]++;
      for (const c of cells) c[m]++;
    }
  }
  return ret;
}
