// The counts a commissioner may build a local indicator from (issue 12), and the rule for pairing them.
// Pure: no I/O. Each count is described as a set of records: its base (referrals, counted in the quarter
// they arrived, or quit attempts, counted in the quarter of the quit date) and the traits a record must
// have to be in it. Traits are written closed under what they imply (a CO-verified quit is also a quit),
// so "the numerator is a subset of the denominator" is exactly "same base, and the numerator asks for
// every trait the denominator asks for". dashboards/local-indicator-values.ts gives each count's figure
// from the dashboard's own counts, so a local indicator and a national one cannot count differently.

export const COUNT_CODES = [
  'referrals',
  'tt_referrals',
  'community_referrals',
  'referrals_contacted',
  'quit_dates',
  'quit_dates_cmhc',
  'quit_dates_other',
  'quits',
  'quits_cmhc',
  'quits_other',
  'co_verified',
  'co_verified_cmhc',
  'pending',
] as const;

export type CountCode = (typeof COUNT_CODES)[number];

export type CountBase = 'referrals' | 'episodes';

/**
 * What a record must be to be counted. Referrals: from NHS Talking Therapies, from a community
 * organisation, tried at least once. Quit attempts: the person has depression or anxiety (or not), quit
 * at four weeks (self-reported, CO-verified included), quit confirmed by carbon monoxide, still waiting.
 */
export type Trait = 'tt' | 'community' | 'contacted' | 'cmhc' | 'not_cmhc' | 'quit' | 'co' | 'pending';

export type CountDefinition = {
  code: CountCode;
  /** Short, for a select box and a table heading. */
  label: string;
  /** Plain English: who is counted and in which quarter. */
  description: string;
  base: CountBase;
  traits: readonly Trait[];
};

const REFERRAL_QUARTER = 'in the quarter they arrived';
const QUIT_QUARTER = 'with a quit date in the quarter';

export const COUNTS: readonly CountDefinition[] = [
  {
    code: 'referrals',
    label: 'Referrals received',
    description: `Referrals received from any source, ${REFERRAL_QUARTER}`,
    base: 'referrals',
    traits: [],
  },
  {
    code: 'tt_referrals',
    label: 'Referrals from NHS Talking Therapies',
    description: `Referrals received from NHS Talking Therapies services, ${REFERRAL_QUARTER}`,
    base: 'referrals',
    traits: ['tt'],
  },
  {
    code: 'community_referrals',
    label: 'Referrals from community organisations',
    description: `Referrals received from foodbanks, housing, addiction, income support and other community organisations, ${REFERRAL_QUARTER}`,
    base: 'referrals',
    traits: ['community'],
  },
  {
    code: 'referrals_contacted',
    label: 'Referrals with a contact attempt',
    description: `Referrals the service has tried to contact at least once, ${REFERRAL_QUARTER}`,
    base: 'referrals',
    traits: ['contacted'],
  },
  {
    code: 'quit_dates',
    label: 'Quit dates set',
    description: `People who set a quit date, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: [],
  },
  {
    code: 'quit_dates_cmhc',
    label: 'Quit dates set: depression or anxiety',
    description: `People with depression, anxiety or both who set a quit date, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['cmhc'],
  },
  {
    code: 'quit_dates_other',
    label: 'Quit dates set: everyone else',
    description: `People without a recorded common mental health condition who set a quit date, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['not_cmhc'],
  },
  {
    code: 'quits',
    label: 'Quit at four weeks',
    description: `People who had quit four weeks after their quit date (self-reported, CO-verified included), ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['quit'],
  },
  {
    code: 'quits_cmhc',
    label: 'Quit at four weeks: depression or anxiety',
    description: `People with depression, anxiety or both who had quit at four weeks, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['quit', 'cmhc'],
  },
  {
    code: 'quits_other',
    label: 'Quit at four weeks: everyone else',
    description: `People without a recorded common mental health condition who had quit at four weeks, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['quit', 'not_cmhc'],
  },
  {
    code: 'co_verified',
    label: 'Quits confirmed by carbon monoxide',
    description: `Four-week quits confirmed by a carbon monoxide reading below 10 parts per million, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['quit', 'co'],
  },
  {
    code: 'co_verified_cmhc',
    label: 'Quits confirmed by carbon monoxide: depression or anxiety',
    description: `Four-week quits confirmed by carbon monoxide among people with depression, anxiety or both, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['quit', 'co', 'cmhc'],
  },
  {
    code: 'pending',
    label: 'Waiting for the four-week follow-up',
    description: `People whose four-week outcome is not known yet and can still be recorded, ${QUIT_QUARTER}`,
    base: 'episodes',
    traits: ['pending'],
  },
];

const BY_CODE = new Map<string, CountDefinition>(COUNTS.map((c) => [c.code, c]));

export function isCountCode(code: unknown): code is CountCode {
  return typeof code === 'string' && BY_CODE.has(code);
}

export function countOf(code: CountCode): CountDefinition {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`No count ${code}`);
  return found;
}

/** Where the problem with a pair is: the field the error summary links to. */
export type PairingProblem = { field: 'numerator' | 'denominator'; message: string };

/**
 * Whether `numerator` over `denominator` is a share of people: null when it is, otherwise why not. The
 * numerator must count only records the denominator counts, so a rate can never pass 100% or mean
 * something else (quits over referrals counts different people in different quarters).
 */
export function pairingProblem(numerator: CountCode, denominator: CountCode): PairingProblem | null {
  const n = countOf(numerator);
  const d = countOf(denominator);
  if (n.code === d.code)
    return { field: 'denominator', message: 'Choose a denominator that is different from the numerator' };
  if (n.base !== d.base) {
    const when = (c: CountDefinition) =>
      c.base === 'referrals'
        ? 'referrals, in the quarter they arrived'
        : 'quit dates, in the quarter of the quit date';
    return {
      field: 'denominator',
      message: `${n.label} counts ${when(n)}; ${d.label.toLowerCase()} counts ${when(d)}. They are not the same people, so choose a denominator that counts ${n.base === 'referrals' ? 'referrals' : 'quit dates'}`,
    };
  }
  if (!d.traits.every((t) => n.traits.includes(t)))
    return {
      field: 'denominator',
      message: `Not everyone counted in ${n.label.toLowerCase()} is counted in ${d.label.toLowerCase()}. Choose a denominator that includes everyone in the numerator`,
    };
  return null;
}

/** The denominators a numerator may be paired with, in list order (for hints and tests). */
export const denominatorsFor = (numerator: CountCode): CountCode[] =>
  COUNT_CODES.filter((d) => pairingProblem(numerator, d) === null);
