// The indicators a local strategy sets targets for and every dashboard shows (issue 6). Indicators are
// data, as in mature health information systems: each names its numerator, its denominator, where the
// figures come from and what it means in plain English, and that text is shown wherever the figure is.
// Code that computes a value looks the indicator up here by its code, so a definition and its figures
// cannot drift apart. Pure: no I/O.

export const INDICATOR_CODES = [
  'tt_referrals',
  'community_referrals',
  'cmhc_quit_dates',
  'cmhc_quit_rate',
  'other_quit_rate',
  'quit_rate_gap',
  'co_verification_rate',
  'cmhc_reach',
  'days_to_first_contact',
  'vba_trained_staff',
  'partners_smokefree_policy',
] as const;

export type IndicatorCode = (typeof INDICATOR_CODES)[number];

/**
 * How a value is shown and compared: a count of things, a percentage (numerator over denominator times
 * 100), percentage points (a difference of two percentages) or a number of days.
 */
export type IndicatorUnit = 'count' | 'percent' | 'points' | 'days';

export type Indicator = {
  code: IndicatorCode;
  name: string;
  /** Plain English, for anyone: what the figure tells you. */
  definition: string;
  numerator: string;
  /** Null for a plain count. */
  denominator: string | null;
  source: string;
  unit: IndicatorUnit;
  /** Which way is better: a target is met when the value is at or above it (higher) or at or below it (lower). */
  better: 'higher' | 'lower';
  /**
   * How the figure is counted over a period: summed over quarters (flows such as referrals), or taken
   * at the end of the period (stocks such as trained staff), or recomputed from the period's counts.
   */
  period: 'sum' | 'end' | 'ratio';
};

export const INDICATORS: readonly Indicator[] = [
  {
    code: 'tt_referrals',
    name: 'Referrals from NHS Talking Therapies',
    definition: 'How many people NHS Talking Therapies services referred to stop smoking support.',
    numerator: 'Referrals received from NHS Talking Therapies services, by the day they were received',
    denominator: null,
    source: 'Mortar referrals',
    unit: 'count',
    better: 'higher',
    period: 'sum',
  },
  {
    code: 'community_referrals',
    name: 'Referrals from community organisations',
    definition:
      'How many people foodbanks, housing, addiction, income support and other community organisations referred.',
    numerator: 'Referrals received from community organisations, by the day they were received',
    denominator: null,
    source: 'Mortar referrals',
    unit: 'count',
    better: 'higher',
    period: 'sum',
  },
  {
    code: 'cmhc_quit_dates',
    name: 'People with depression or anxiety setting a quit date',
    definition:
      'How many people with a common mental health condition set a quit date with a stop smoking service.',
    numerator:
      'Treatment episodes with a quit date in the period where the person has depression, anxiety or both',
    denominator: null,
    source: 'Mortar treatment episodes (quarterly return)',
    unit: 'count',
    better: 'higher',
    period: 'sum',
  },
  {
    code: 'cmhc_quit_rate',
    name: 'Four-week quit rate: depression or anxiety',
    definition:
      'Of people with a common mental health condition who set a quit date, the share who had quit four weeks later.',
    numerator: 'Self-reported four-week quits among people with depression, anxiety or both',
    denominator: 'Quit dates set by people with depression, anxiety or both',
    source: 'Mortar treatment episodes (quarterly return)',
    unit: 'percent',
    better: 'higher',
    period: 'ratio',
  },
  {
    code: 'other_quit_rate',
    name: 'Four-week quit rate: everyone else',
    definition:
      'Of people without a recorded common mental health condition who set a quit date, the share who had quit four weeks later.',
    numerator: 'Self-reported four-week quits among people without a recorded common mental health condition',
    denominator: 'Quit dates set by people without a recorded common mental health condition',
    source: 'Mortar treatment episodes (quarterly return)',
    unit: 'percent',
    better: 'higher',
    period: 'ratio',
  },
  {
    code: 'quit_rate_gap',
    name: 'Quit rate gap',
    definition:
      'How far the quit rate for people with depression or anxiety is behind everyone else’s. Zero means no gap.',
    numerator:
      'Four-week quit rate for everyone else minus the rate for people with depression, anxiety or both',
    denominator: null,
    source: 'Mortar treatment episodes (quarterly return)',
    unit: 'points',
    better: 'lower',
    period: 'ratio',
  },
  {
    code: 'co_verification_rate',
    name: 'Carbon monoxide verification rate',
    definition:
      'Of people who said they had quit at four weeks, the share whose quit was confirmed by a carbon monoxide reading.',
    numerator: 'Four-week quits confirmed by a carbon monoxide reading below 10 parts per million',
    denominator: 'Self-reported four-week quits',
    source: 'Mortar treatment episodes (quarterly return)',
    unit: 'percent',
    better: 'higher',
    period: 'ratio',
  },
  {
    code: 'cmhc_reach',
    name: 'Reach among smokers with depression or anxiety',
    definition:
      'The share of the estimated number of adults with depression or anxiety who smoke that set a quit date.',
    numerator: 'Quit dates set by people with depression, anxiety or both',
    denominator: 'Estimated adults with a common mental health condition who smoke (the estimate of need)',
    source: 'Mortar treatment episodes; estimate of need from ONS population and APS smoking prevalence',
    unit: 'percent',
    better: 'higher',
    period: 'ratio',
  },
  {
    code: 'days_to_first_contact',
    name: 'Time from referral to first contact',
    definition:
      'The median number of days between a referral arriving and the service first trying to contact the person.',
    numerator:
      'Median days from a referral being received to its first contact attempt, for referrals received in the period',
    denominator: null,
    source: 'Mortar referrals and their contact attempts',
    unit: 'days',
    better: 'lower',
    period: 'ratio',
  },
  {
    code: 'vba_trained_staff',
    name: 'Staff trained in Very Brief Advice',
    definition: 'How many staff in partner organisations hold current Very Brief Advice training.',
    numerator:
      'Staff in partner organisations with Very Brief Advice training completed and not due for renewal, at the end of the period',
    denominator: null,
    source: 'Mortar training records',
    unit: 'count',
    better: 'higher',
    period: 'end',
  },
  {
    code: 'partners_smokefree_policy',
    name: 'Partners with a smokefree policy',
    definition: 'The share of active partner organisations that have adopted a smokefree policy.',
    numerator: 'Active partner organisations whose smokefree policy is adopted, at the end of the period',
    denominator: 'Active partner organisations, at the end of the period',
    source: 'Mortar partners and smokefree policies',
    unit: 'percent',
    better: 'higher',
    period: 'end',
  },
];

const BY_CODE = new Map<string, Indicator>(INDICATORS.map((i) => [i.code, i]));

export function isIndicatorCode(code: string): code is IndicatorCode {
  return BY_CODE.has(code);
}

export function indicatorOf(code: IndicatorCode): Indicator {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`No indicator ${code}`);
  return found;
}

/** Whether a value meets a target, by the indicator's direction. Null when either is unknown. */
export function meetsTarget(
  code: IndicatorCode,
  value: number | null,
  target: number | null,
): boolean | null {
  if (value === null || target === null) return null;
  return indicatorOf(code).better === 'higher' ? value >= target : value <= target;
}

/** A value as people read it: 1,234; 41.5%; 0.42%; 3.2 points; 4 days. Null shows as "No data". */
export function formatIndicatorValue(code: IndicatorCode, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'No data';
  switch (indicatorOf(code).unit) {
    case 'count':
      return Math.round(value).toLocaleString('en-GB');
    case 'percent':
      // Below 1% (reach in a quarter, say) one decimal place would make 0.42% and 0.38% look the same.
      return `${value.toLocaleString('en-GB', { maximumFractionDigits: Math.abs(value) < 1 ? 2 : 1 })}%`;
    case 'points':
      return `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} points`;
    case 'days': {
      const d = Math.round(value * 10) / 10;
      return `${d.toLocaleString('en-GB')} ${d === 1 ? 'day' : 'days'}`;
    }
  }
}
