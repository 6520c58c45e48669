// Every indicator's value from counts (issue 6). Pure: no I/O. The repository counts, per authority per
// quarter, exactly what the quarterly return counts; this module turns counts into the indicators of
// strategy/indicators.ts, for one quarter, for a span of quarters (by each indicator's `period`), and
// for a group of authorities (a region, England). Groups and spans ADD COUNTS FIRST and then compute:
// a rate is never averaged, and a median is taken over the group's whole distribution, never a median
// of medians.

import {
  DEFAULT_DISCLOSURE,
  SUPPRESSED,
  disclose,
  discloseRate,
  type Suppressed,
} from '../returns/disclosure.ts';
import type { IndicatorCode } from '../strategy/indicators.ts';

/** Days to first contact are counted in whole days up to this; the last bucket is "this many or more". */
export const CONTACT_DAYS_CAP = 60;

/** What the repository counts for one authority in one quarter (or what a group or span adds up to). */
export type Counts = {
  /** Referrals received (any source). */
  referrals: number;
  /** Referrals received from NHS Talking Therapies. */
  ttReferrals: number;
  /** Referrals received from community organisations (COMMUNITY_TYPES). */
  communityReferrals: number;
  /** Set a quit date (the return's setQuitDate). */
  quitDates: number;
  /** Of those, people with a common mental health condition (depression, anxiety or both). */
  quitDatesCmhc: number;
  /** Quit at four weeks, self-reported including CO-verified (the return's quitSelfReported). */
  quits: number;
  quitsCmhc: number;
  /** Quits confirmed by a CO reading (the return's quitCoVerified). */
  coVerified: number;
  coVerifiedCmhc: number;
  /** Still waiting for the four-week follow-up: their quit rate is not final yet. */
  pending: number;
  /**
   * Referrals received, by whole days (England's calendar) from arrival to the first contact attempt:
   * contactDays[d] referrals were first tried d days after they arrived; the last bucket is
   * CONTACT_DAYS_CAP days or more. Referrals not yet tried are not in it.
   */
  contactDays: number[];
};

/** Stocks at the end of a period, from the partners and training records; null when not known. */
export type Workforce = { vbaTrained: number; partnersActive: number; partnersSmokefree: number };

export type IndicatorValues = Record<IndicatorCode, number | null>;

export function zeroCounts(): Counts {
  return {
    referrals: 0,
    ttReferrals: 0,
    communityReferrals: 0,
    quitDates: 0,
    quitDatesCmhc: 0,
    quits: 0,
    quitsCmhc: 0,
    coVerified: 0,
    coVerifiedCmhc: 0,
    pending: 0,
    contactDays: new Array<number>(CONTACT_DAYS_CAP + 1).fill(0),
  };
}

const FLOWS = [
  'referrals',
  'ttReferrals',
  'communityReferrals',
  'quitDates',
  'quitDatesCmhc',
  'quits',
  'quitsCmhc',
  'coVerified',
  'coVerifiedCmhc',
  'pending',
] as const;

/** Counts added up (over quarters, over authorities, or both). */
export function addCounts(list: readonly Counts[]): Counts {
  const sum = zeroCounts();
  for (const c of list) {
    for (const k of FLOWS) sum[k] += c[k];
    c.contactDays.forEach((n, d) => {
      const i = Math.min(d, CONTACT_DAYS_CAP);
      sum.contactDays[i] = (sum.contactDays[i] ?? 0) + n;
    });
  }
  return sum;
}

/** Stocks of a group of authorities at the same moment: added; unknown when none is known. */
export function addWorkforce(list: readonly (Workforce | null)[]): Workforce | null {
  const known = list.filter((w): w is Workforce => w !== null);
  if (known.length === 0) return null;
  return {
    vbaTrained: known.reduce((s, w) => s + w.vbaTrained, 0),
    partnersActive: known.reduce((s, w) => s + w.partnersActive, 0),
    partnersSmokefree: known.reduce((s, w) => s + w.partnersSmokefree, 0),
  };
}

/** numerator / denominator as a percentage; null when there is nothing to divide by. */
export function percent(numerator: number, denominator: number | null): number | null {
  if (denominator === null || !(denominator > 0) || !Number.isFinite(numerator)) return null;
  return (numerator / denominator) * 100;
}

/** The median of a histogram of whole days (the mean of the two middle values when the count is even). */
export function medianOfHistogram(histogram: readonly number[]): number | null {
  const n = histogram.reduce((s, x) => s + x, 0);
  if (n === 0) return null;
  const valueAt = (rank: number) => {
    // rank counts from 0
    let seen = 0;
    for (let d = 0; d < histogram.length; d++) {
      seen += histogram[d] ?? 0;
      if (seen > rank) return d;
    }
    return histogram.length - 1;
  };
  return n % 2 === 1 ? valueAt((n - 1) / 2) : (valueAt(n / 2 - 1) + valueAt(n / 2)) / 2;
}

/**
 * Every indicator's value from one set of counts (a quarter, a span or a group), the stocks at its end,
 * and the estimate of need for the same authorities (null when not known). Null means "no data": a rate
 * with nothing to divide by, a gap where either rate is unknown, a median with no referral contacted.
 */
export function indicatorValues(
  c: Counts,
  workforce: Workforce | null,
  need: number | null,
): IndicatorValues {
  const cmhcRate = percent(c.quitsCmhc, c.quitDatesCmhc);
  const otherRate = percent(c.quits - c.quitsCmhc, c.quitDates - c.quitDatesCmhc);
  return {
    tt_referrals: c.ttReferrals,
    community_referrals: c.communityReferrals,
    cmhc_quit_dates: c.quitDatesCmhc,
    cmhc_quit_rate: cmhcRate,
    other_quit_rate: otherRate,
    // Positive: people with depression or anxiety quit less often than everyone else.
    quit_rate_gap: cmhcRate === null || otherRate === null ? null : otherRate - cmhcRate,
    co_verification_rate: percent(c.coVerified, c.quits),
    cmhc_reach: percent(c.quitDatesCmhc, need),
    days_to_first_contact: medianOfHistogram(c.contactDays),
    vba_trained_staff: workforce ? workforce.vbaTrained : null,
    partners_smokefree_policy: workforce
      ? percent(workforce.partnersSmokefree, workforce.partnersActive)
      : null,
  };
}

/**
 * The values over a span of quarters (oldest first), each by its indicator's `period`: flows are summed,
 * rates recomputed from the summed counts, stocks taken at the span's last quarter.
 */
export function spanValues(
  quarters: readonly { counts: Counts; workforce: Workforce | null }[],
  need: number | null,
): IndicatorValues {
  const summed = addCounts(quarters.map((q) => q.counts));
  const last = quarters.at(-1)?.workforce ?? null;
  return indicatorValues(summed, last, need);
}

/** A group of authorities (a region, England) for one period: counts, stocks and need all added first. */
export function groupValues(
  members: readonly { counts: Counts; workforce: Workforce | null; need: number | null }[],
): IndicatorValues {
  const needs = members.map((m) => m.need);
  const need = needs.length > 0 && needs.every((n) => n !== null) ? needs.reduce((s, n) => s! + n!, 0) : null;
  return indicatorValues(
    addCounts(members.map((m) => m.counts)),
    addWorkforce(members.map((m) => m.workforce)),
    need,
  );
}

/**
 * How far a value is from its target, in the indicator's own units, signed so that a positive shortfall
 * means short of target (for either direction of "better"); null when either is unknown.
 */
export function shortfall(
  better: 'higher' | 'lower',
  value: number | null,
  target: number | null,
): number | null {
  if (value === null || target === null) return null;
  return better === 'higher' ? target - value : value - target;
}

// --- As published ------------------------------------------------------------------------------------

/** A value as it may be shown to someone without access to the records behind it. */
export type DisclosedValue = number | Suppressed | null;

/**
 * Every indicator's value from disclosure-controlled counts (returns/disclosure.ts: 1 to 7 shown as '*',
 * the rest rounded to 5): counts disclosed, rates worked out from the disclosed counts and hidden when a
 * count behind them is, the gap from those rates, the median days only when more than the threshold
 * were contacted. Reach divides the disclosed numerator by the estimate of need (an estimate, not a
 * count of people).
 */
export function disclosedValues(
  c: Counts,
  workforce: Workforce | null,
  need: number | null,
): Record<IndicatorCode, DisclosedValue> {
  const rate = (n: number, d: number): DisclosedValue => discloseRate(n, d, { decimals: 1 });
  const cmhcRate = rate(c.quitsCmhc, c.quitDatesCmhc);
  const otherRate = rate(c.quits - c.quitsCmhc, c.quitDates - c.quitDatesCmhc);
  const cmhcQuitDates = disclose(c.quitDatesCmhc);
  const contacted = c.contactDays.reduce((s, n) => s + n, 0);
  return {
    tt_referrals: disclose(c.ttReferrals),
    community_referrals: disclose(c.communityReferrals),
    cmhc_quit_dates: cmhcQuitDates,
    cmhc_quit_rate: cmhcRate,
    other_quit_rate: otherRate,
    quit_rate_gap:
      cmhcRate === SUPPRESSED || otherRate === SUPPRESSED
        ? SUPPRESSED
        : cmhcRate === null || otherRate === null
          ? null
          : otherRate - cmhcRate,
    co_verification_rate: rate(c.coVerified, c.quits),
    cmhc_reach: cmhcQuitDates === SUPPRESSED ? SUPPRESSED : percent(cmhcQuitDates, need),
    days_to_first_contact:
      contacted === 0
        ? null
        : contacted <= DEFAULT_DISCLOSURE.threshold
          ? SUPPRESSED
          : medianOfHistogram(c.contactDays),
    vba_trained_staff: workforce ? disclose(workforce.vbaTrained) : null,
    partners_smokefree_policy: workforce ? rate(workforce.partnersSmokefree, workforce.partnersActive) : null,
  };
}
