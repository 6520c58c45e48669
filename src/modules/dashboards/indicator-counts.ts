// The counts behind each indicator's value (issue 12): a rate is never shown without what it is made of,
// so 100% of 2 people cannot pass for 100% of 200. Pure: no I/O. Built from the same counts as
// indicator-values.ts, by the same definitions (strategy/indicators.ts), so the counts shown always give
// the value shown. A figure from other authorities' records goes through the return's disclosure control
// (returns/disclosure.ts), as its rate does, so the counts beside a published rate tell no more than it.
import { disclose, type Disclosed } from '../returns/disclosure.ts';
import { INDICATOR_CODES, indicatorOf, type IndicatorCode } from '../strategy/indicators.ts';
import type { Counts, Workforce } from './indicator-values.ts';

/**
 * What a value is made of. A rate: its numerator and denominator. Reach: people over the estimate of
 * need (an estimate, not a count, so never disclosure-controlled). The median days: how many referrals it
 * is the median of (the denominator). A plain count is its own figure; the gap is a difference of two
 * rates whose counts are on their own rows. Null: nothing behind it to show, or not known.
 */
export type Behind<T = number> = { numerator: T | null; denominator: T | null };

export type AllBehind<T = number> = Record<IndicatorCode, Behind<T>>;

const contactedOf = (c: Counts) => c.contactDays.reduce((s, n) => s + n, 0);

/** Every indicator's counts from one set of counts (a quarter, a span or a group), exact. */
export function countsBehind(c: Counts, workforce: Workforce | null, need: number | null): AllBehind {
  const none = { numerator: null, denominator: null };
  return {
    tt_referrals: none,
    community_referrals: none,
    cmhc_quit_dates: none,
    cmhc_quit_rate: { numerator: c.quitsCmhc, denominator: c.quitDatesCmhc },
    other_quit_rate: { numerator: c.quits - c.quitsCmhc, denominator: c.quitDates - c.quitDatesCmhc },
    quit_rate_gap: none,
    co_verification_rate: { numerator: c.coVerified, denominator: c.quits },
    cmhc_reach: { numerator: c.quitDatesCmhc, denominator: need === null ? null : Math.round(need) },
    days_to_first_contact: { numerator: null, denominator: contactedOf(c) },
    vba_trained_staff: none,
    partners_smokefree_policy: workforce
      ? { numerator: workforce.partnersSmokefree, denominator: workforce.partnersActive }
      : none,
  };
}

/**
 * The same counts as they may be shown to someone without access to the records: every count disclosed
 * (1 to 7 hidden, the rest rounded to 5), so they match the disclosed rate beside them; the estimate of
 * need is not a count of people and stays as it is.
 */
export function disclosedCountsBehind(
  c: Counts,
  workforce: Workforce | null,
  need: number | null,
): AllBehind<Disclosed> {
  const exact = countsBehind(c, workforce, need);
  const d = (v: number | null) => (v === null ? null : disclose(v));
  return Object.fromEntries(
    INDICATOR_CODES.map((code) => {
      const b = exact[code];
      return [
        code,
        {
          numerator: d(b.numerator),
          denominator: code === 'cmhc_reach' ? b.denominator : d(b.denominator),
        },
      ];
    }),
  ) as AllBehind<Disclosed>;
}

/** Column headings for an indicator's counts in a CSV, none for a figure with nothing behind it. */
export function countHeadings(code: IndicatorCode): { numerator: string | null; denominator: string | null } {
  switch (code) {
    case 'cmhc_quit_rate':
      return {
        numerator: 'quits (depression or anxiety)',
        denominator: 'quit dates set (depression or anxiety)',
      };
    case 'other_quit_rate':
      return { numerator: 'quits (everyone else)', denominator: 'quit dates set (everyone else)' };
    case 'co_verification_rate':
      return { numerator: 'quits confirmed by carbon monoxide', denominator: 'quits' };
    case 'cmhc_reach':
      return { numerator: 'quit dates set (depression or anxiety)', denominator: 'estimated need' };
    case 'days_to_first_contact':
      return { numerator: null, denominator: 'referrals contacted' };
    case 'partners_smokefree_policy':
      return { numerator: 'partners with a smokefree policy', denominator: 'active partners' };
    default:
      return { numerator: null, denominator: null };
  }
}

const show = (v: number | string | null) =>
  v === null ? '' : typeof v === 'number' ? v.toLocaleString('en-GB') : v;

/**
 * The counts in words, for a page: "18 of 40", "18 of about 800" for reach, "120 referrals" for the
 * median, "" when nothing is behind the value. A hidden count shows as '*', like the return.
 */
export function countsText(code: IndicatorCode, b: Behind<number | string>): string {
  if (b.denominator === null) return '';
  if (code === 'days_to_first_contact')
    return `median of ${show(b.denominator)} ${b.denominator === 1 ? 'referral' : 'referrals'}`;
  if (b.numerator === null) return '';
  const unit = indicatorOf(code).unit;
  if (unit !== 'percent') return '';
  return `${show(b.numerator)} of ${code === 'cmhc_reach' ? 'about ' : ''}${show(b.denominator)}`;
}
