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

import { isIsoDate, type IsoDate } from '../../platform/dates.ts';
import {
  OUTCOMES,
  countsAsQuit,
  decideFourWeekOutcome,
  isCoVerified,
  type FourWeekOutcome,
} from '../episodes/four-week-outcome.ts';
import {
  DEFAULT_SETTINGS,
  INTERVENTION_SESSION_TYPES,
  INTERVENTION_SESSION_TYPE_CODES,
} from '../episodes/programme.ts';
import {
  AGE_BAND_LIST,
  CMHC,
  CONDITION,
  ETHNIC_CATEGORIES,
  ETHNIC_GROUP_OF,
  ETHNIC_GROUPS,
  FREE_PRESCRIPTIONS,
  GENDER_SAME_AS_BIRTH,
  IN_TALKING_THERAPIES,
  NS_SEC,
  PREGNANT,
  REFERRAL_SOURCES,
  SEX,
  SEXUAL_ORIENTATION,
  ageBandAt,
  cmhcOf,
  codeList,
  isCode,
  referralSourceOf,
  type CodeList,
  type InTalkingTherapies,
  type MentalHealth,
} from '../referrals/demographics.ts';
import {
  isProvisional,
  isQuarter,
  quarterLabel,
  quarterRange,
  type Quarter,
} from '../../platform/quarters.ts';

// ---------------------------------------------------------------------------------------------- facts

/** One treatment episode, as the return needs it. Codes are as stored; unknown codes count as not known. */
export type EpisodeFact = {
  episodeId: string;
  /** The authority whose return the episode counts in: the commissioner of the service that ran it. */
  localAuthorityCode: string | null;
  serviceOrganisationId: string;
  quitDate: IsoDate | null;
  /** When the referral that led to the episode (or, failing that, any referral) reached the service. */
  referralReceivedOn: IsoDate | null;
  /** The stored four-week outcome, or the one decideFourWeekOutcome gives; 'pending' when there is none. */
  outcome: FourWeekOutcome;
  dateOfBirth: IsoDate | null;
  sex: string | null;
  genderSameAsBirth: string | null;
  ethnicCategory: string | null;
  pregnant: string | null;
  freePrescriptions: string | null;
  nsSec: string | null;
  sexualOrientation: string | null;
  /** INTERVENTION SESSION TYPE (STOP SMOKING) code, '07' to '97'. */
  interventionType: string | null;
  /** A DEFAULT_SETTINGS key. */
  setting: string | null;
  /** Every aid supplied in the episode (AIDS keys); [] when none was recorded, ['none'] for "no aid". */
  aids: readonly string[];
  mentalHealth: MentalHealth;
  inTalkingTherapies: InTalkingTherapies;
  /** A REFERRAL_SOURCES code, or what referralSourceOf maps to one (an organisation type, 'self'). */
  referralSource: string | null;
};

/** One referral received by a service, for "referrals received". */
export type ReferralFact = {
  /** The referral (so a figure can list the referrals it counts); absent in facts made up for tests. */
  referralId?: string;
  /** The service that received it. */
  serviceOrganisationId?: string;
  /** The authority whose return it counts in: the commissioner of the service that received it (counting-authority.ts). */
  localAuthorityCode: string | null;
  receivedOn: IsoDate;
  /** A REFERRAL_SOURCES code, or what referralSourceOf maps to one. */
  source: string | null;
};

// ------------------------------------------------------------------------------------------- measures

export const MEASURES = [
  'referralsReceived',
  'setQuitDate',
  'quitSelfReported',
  'quitCoVerified',
  'notQuit',
  'lostToFollowUp',
  'pending',
] as const;
export type Measure = (typeof MEASURES)[number];
export const EPISODE_MEASURES = [
  'setQuitDate',
  'quitSelfReported',
  'quitCoVerified',
  'notQuit',
  'lostToFollowUp',
  'pending',
] as const satisfies readonly Measure[];
export type EpisodeMeasure = (typeof EPISODE_MEASURES)[number];

export const MEASURE_LABELS: Readonly<Record<Measure, string>> = {
  referralsReceived: 'Referrals received',
  setQuitDate: 'Set a quit date',
  quitSelfReported: 'Quit at four weeks (self-reported, including CO-verified)',
  quitCoVerified: 'Quit at four weeks, CO-verified',
  notQuit: 'Not quit at four weeks',
  lostToFollowUp: 'Lost to follow-up',
  pending: 'Waiting for the four-week follow-up',
};

export type Counts = Record<Measure, number>;
export type EpisodeCounts = Record<EpisodeMeasure, number>;
/** A breakdown category's counts: referralsReceived is null where the breakdown cannot split referrals. */
export type CategoryCounts = EpisodeCounts & { referralsReceived: number | null };

export type ReturnScope = {
  localAuthorityCode: string;
  financialYear: number;
  quarter: Quarter;
  /** The day the return is generated: outcomes are as known then, and nothing later counts. */
  asOf: IsoDate;
};

function assertScope(scope: ReturnScope): { start: IsoDate; end: IsoDate } {
  if (!isIsoDate(scope.asOf))
    throw new RangeError(`asOf must be a date in the form YYYY-MM-DD: ${scope.asOf}`);
  if (!isQuarter(scope.quarter)) throw new RangeError(`Quarter must be 1, 2, 3 or 4: ${scope.quarter}`);
  if (typeof scope.localAuthorityCode !== 'string' || scope.localAuthorityCode === '')
    throw new RangeError('A return is for one local authority: localAuthorityCode is missing');
  return quarterRange(scope.financialYear, scope.quarter);
}

type Window = { localAuthorityCode: string; start: IsoDate; end: IsoDate; asOf: IsoDate };

const windowOf = (scope: ReturnScope): Window => ({
  ...assertScope(scope),
  localAuthorityCode: scope.localAuthorityCode,
  asOf: scope.asOf,
});

/** The authority's, dated in the quarter and not after asOf. ISO dates compare as text in date order. */
const inWindow = (la: string | null, d: string | null, w: Window): boolean =>
  la === w.localAuthorityCode &&
  typeof d === 'string' &&
  d >= w.start &&
  d <= w.end &&
  d <= w.asOf &&
  isIsoDate(d);

/**
 * THE rule for "set a quit date": the episode is the authority's, its quit date is in the quarter and has
 * come by `asOf`. Every other episode count is a subset of these episodes.
 */
export function countsInSetQuitDate(e: EpisodeFact, scope: ReturnScope): boolean {
  return inWindow(e.localAuthorityCode, e.quitDate, windowOf(scope));
}

/** THE rule for "referrals received": the authority's referral, received in the quarter by `asOf`. */
export function countsInReferralsReceived(r: ReferralFact, scope: ReturnScope): boolean {
  return inWindow(r.localAuthorityCode, r.receivedOn, windowOf(scope));
}

/**
 * The four-week outcome as known on `asOf`. A recorded outcome stands; a pending one is decided by the
 * national rule with no follow-up, so it is lost to follow-up only after day 42 (and pending until then).
 */
export function outcomeAsOf(e: Pick<EpisodeFact, 'outcome' | 'quitDate'>, asOf: IsoDate): FourWeekOutcome {
  if (e.outcome !== 'pending' || !isIsoDate(e.quitDate)) return e.outcome;
  return decideFourWeekOutcome({ quitDate: e.quitDate, followUp: null, today: asOf }).outcome;
}

/** THE rule for each episode count, given the outcome as known on `asOf` of an episode that set a quit date. */
export const EPISODE_MEASURE_RULES: Readonly<Record<EpisodeMeasure, (outcome: FourWeekOutcome) => boolean>> =
  {
    setQuitDate: () => true,
    quitSelfReported: countsAsQuit,
    quitCoVerified: isCoVerified,
    notQuit: (o) => o === 'not_quit',
    lostToFollowUp: (o) => o === 'lost_to_follow_up',
    pending: (o) => o === 'pending',
  };

/** Each outcome's measures, worked out once from the rules above. */
const MEASURES_BY_OUTCOME = new Map<string, readonly EpisodeMeasure[]>(
  OUTCOMES.map((o) => [o, EPISODE_MEASURES.filter((m) => EPISODE_MEASURE_RULES[m](o))]),
);

function measuresOfOutcome(outcome: FourWeekOutcome): readonly EpisodeMeasure[] {
  const measures = MEASURES_BY_OUTCOME.get(outcome);
  if (!measures) throw new RangeError(`Not a four-week outcome: ${JSON.stringify(outcome)}`);
  return measures;
}

const measuresIn = (e: EpisodeFact, w: Window): readonly EpisodeMeasure[] =>
  inWindow(e.localAuthorityCode, e.quitDate, w) ? measuresOfOutcome(outcomeAsOf(e, w.asOf)) : [];

/** The episode counts an episode is in for the scope ([] when it does not set a quit date in it). */
export function episodeMeasures(e: EpisodeFact, scope: ReturnScope): EpisodeMeasure[] {
  return [...measuresIn(e, windowOf(scope))];
}

export function zeroCounts(): Counts {
  return {
    referralsReceived: 0,
    setQuitDate: 0,
    quitSelfReported: 0,
    quitCoVerified: 0,
    notQuit: 0,
    lostToFollowUp: 0,
    pending: 0,
  };
}

/** The return's totals for a scope: every count, each by its one rule above. */
export function countsOf(
  episodes: readonly EpisodeFact[],
  referrals: readonly ReferralFact[],
  scope: ReturnScope,
): Counts {
  const w = windowOf(scope);
  const counts = zeroCounts();
  for (const r of referrals) if (inWindow(r.localAuthorityCode, r.receivedOn, w)) counts.referralsReceived++;
  for (const e of episodes) for (const m of measuresIn(e, w)) counts[m]++;
  return counts;
}

/** One count on its own (for a test that checks one SQL expression). */
export function countOf(
  measure: Measure,
  episodes: readonly EpisodeFact[],
  referrals: readonly ReferralFact[],
  scope: ReturnScope,
): number {
  const w = windowOf(scope);
  if (measure === 'referralsReceived') {
    return referrals.filter((r) => inWindow(r.localAuthorityCode, r.receivedOn, w)).length;
  }
  return episodes.filter((e) => measuresIn(e, w).includes(measure)).length;
}

// ----------------------------------------------------------------------------------------- breakdowns

/**
 * The aid categories: one per person, whatever they were supplied during the episode. (check) against the
 * data set's aid codes. Single and combination NRT are both NRT; any e-cigarette (a Swap to Stop kit or
 * another) is an e-cigarette here, and the Swap to Stop breakdown says which came from the scheme. Someone
 * supplied more than one medicine (NRT then varenicline, say) is in "more than one medicine".
 */
export const AID_CATEGORIES = codeList([
  ['nrt_only', 'NRT only (one type or combination NRT)'],
  ['varenicline_only', 'Varenicline only'],
  ['cytisine_only', 'Cytisine only'],
  ['bupropion_only', 'Bupropion only'],
  ['more_than_one_medicine', 'More than one medicine (for example NRT, then varenicline), no e-cigarette'],
  ['e_cigarette_only', 'E-cigarette only (including Swap to Stop kits)'],
  ['nrt_and_e_cigarette', 'NRT and an e-cigarette'],
  ['other_medicine_and_e_cigarette', 'Varenicline, cytisine or bupropion, and an e-cigarette'],
  ['more_than_one_medicine_and_e_cigarette', 'More than one medicine and an e-cigarette'],
  ['none', 'No medicine or e-cigarette'],
  ['not_known', 'Not known (no aid recorded)'],
]);
export type AidCategory = (typeof AID_CATEGORIES.codes)[number];

const MEDICINE_OF: Readonly<Record<string, 'nrt' | 'varenicline' | 'cytisine' | 'bupropion'>> = {
  combination_nrt: 'nrt',
  single_nrt: 'nrt',
  varenicline: 'varenicline',
  cytisine: 'cytisine',
  bupropion: 'bupropion',
};
const E_CIGARETTES: readonly string[] = ['e_cigarette', 'e_cigarette_swap_to_stop'];

/** The one aid category for everything supplied; unrecognised codes are ignored ('none' only counts alone). */
export function aidCategoryOf(aids: readonly string[]): AidCategory {
  const medicines = new Set(aids.map((a) => MEDICINE_OF[a]).filter((m) => m !== undefined));
  const vape = aids.some((a) => E_CIGARETTES.includes(a));
  const [only] = medicines;
  if (medicines.size === 0) return vape ? 'e_cigarette_only' : aids.includes('none') ? 'none' : 'not_known';
  if (medicines.size > 1) return vape ? 'more_than_one_medicine_and_e_cigarette' : 'more_than_one_medicine';
  if (vape) return only === 'nrt' ? 'nrt_and_e_cigarette' : 'other_medicine_and_e_cigarette';
  return `${only!}_only` as AidCategory;
}

export const SWAP_TO_STOP = codeList([
  ['yes', 'Had a Swap to Stop e-cigarette kit'],
  ['no', 'No Swap to Stop kit'],
  ['not_known', 'Not known (no aid recorded)'],
]);

/** Swap to Stop: whether a kit from the scheme was among the aids; not known when no aid was recorded. */
export function swapToStopOf(aids: readonly string[]): 'yes' | 'no' | 'not_known' {
  if (aids.includes('e_cigarette_swap_to_stop')) return 'yes';
  return aids.length === 0 ? 'not_known' : 'no';
}

export const INTERVENTION_TYPES = codeList([
  ...INTERVENTION_SESSION_TYPE_CODES.map((c) => [c, INTERVENTION_SESSION_TYPES[c]] as const),
  ['not_known', 'Not known (not recorded)'],
]);

/**
 * Settings: the published fallback list (DEFAULT_SETTINGS, (check) against the data set's codes) and not
 * known. A service's own setting that is not on the list counts as not known, and validation says so.
 */
export const SETTINGS = codeList([
  ...(Object.keys(DEFAULT_SETTINGS) as (keyof typeof DEFAULT_SETTINGS)[]).map(
    (k) => [k as string, DEFAULT_SETTINGS[k] as string] as const,
  ),
  ['not_known', 'Not known (not recorded)'],
]);

export const BREAKDOWN_KEYS = [
  'sex',
  'gender_identity',
  'age_band',
  'ethnic_group',
  'pregnant',
  'free_prescriptions',
  'ns_sec',
  'sexual_orientation',
  'intervention_type',
  'setting',
  'aid',
  'swap_to_stop',
  'cmhc',
  'condition',
  'in_talking_therapies',
  'referral_source',
] as const;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

export type BreakdownDefinition = {
  key: BreakdownKey;
  label: string;
  categories: CodeList<string>;
  /** The one category an episode is in. */
  categoryOf: (e: EpisodeFact) => string;
  /** The episode item the breakdown is read from (for "missing data" and links to fix it). */
  item: keyof EpisodeFact;
  /** The category a referral is in, for the one breakdown that splits referrals received. */
  referralCategoryOf?: (r: ReferralFact) => string;
  /** True when the breakdown is new: no national return has it yet (the mental health breakdown). */
  mortarOnly?: boolean;
};

/** The list's code, or `fallback` when the value is missing or not on the list. */
const codeOr =
  <C extends string>(list: CodeList<C>, fallback: C) =>
  (value: string | null | undefined): C =>
    isCode(list, value) ? value : fallback;

const sexOf = codeOr(SEX, 'not_known');
const genderOf = codeOr(GENDER_SAME_AS_BIRTH, 'not_known');
const pregnantOf = codeOr(PREGNANT, 'not_known');
const freePrescriptionsOf = codeOr(FREE_PRESCRIPTIONS, 'not_known');
const nsSecOf = codeOr(NS_SEC, 'not_known');
const orientationOf = codeOr(SEXUAL_ORIENTATION, 'not_known');
const interventionOf = codeOr(INTERVENTION_TYPES, 'not_known');
const settingOf = codeOr(SETTINGS, 'not_known');
const conditionOf = codeOr(CONDITION, 'not_known');
const talkingTherapiesOf = codeOr(IN_TALKING_THERAPIES, 'not_known');

export function ethnicGroupOf(category: string | null | undefined): string {
  return isCode(ETHNIC_CATEGORIES, category) ? ETHNIC_GROUP_OF[category] : 'not_known';
}

const define = (d: BreakdownDefinition) => d;

export const BREAKDOWNS: Readonly<Record<BreakdownKey, BreakdownDefinition>> = {
  sex: define({ key: 'sex', label: 'Sex', categories: SEX, item: 'sex', categoryOf: (e) => sexOf(e.sex) }),
  gender_identity: define({
    key: 'gender_identity',
    label: 'Gender identity the same as the sex registered at birth',
    categories: GENDER_SAME_AS_BIRTH,
    item: 'genderSameAsBirth',
    categoryOf: (e) => genderOf(e.genderSameAsBirth),
  }),
  age_band: define({
    key: 'age_band',
    label: 'Age at the quit date',
    categories: AGE_BAND_LIST,
    item: 'dateOfBirth',
    categoryOf: (e) => ageBandAt(e.dateOfBirth, e.quitDate),
  }),
  ethnic_group: define({
    key: 'ethnic_group',
    label: 'Ethnic group',
    categories: ETHNIC_GROUPS,
    item: 'ethnicCategory',
    categoryOf: (e) => ethnicGroupOf(e.ethnicCategory),
  }),
  pregnant: define({
    key: 'pregnant',
    label: 'Pregnancy',
    categories: PREGNANT,
    item: 'pregnant',
    categoryOf: (e) => pregnantOf(e.pregnant),
  }),
  free_prescriptions: define({
    key: 'free_prescriptions',
    label: 'Free prescriptions',
    categories: FREE_PRESCRIPTIONS,
    item: 'freePrescriptions',
    categoryOf: (e) => freePrescriptionsOf(e.freePrescriptions),
  }),
  ns_sec: define({
    key: 'ns_sec',
    label: 'Socio-economic class (NS-SEC)',
    categories: NS_SEC,
    item: 'nsSec',
    categoryOf: (e) => nsSecOf(e.nsSec),
  }),
  sexual_orientation: define({
    key: 'sexual_orientation',
    label: 'Sexual orientation',
    categories: SEXUAL_ORIENTATION,
    item: 'sexualOrientation',
    categoryOf: (e) => orientationOf(e.sexualOrientation),
  }),
  intervention_type: define({
    key: 'intervention_type',
    label: 'Intervention type',
    categories: INTERVENTION_TYPES,
    item: 'interventionType',
    categoryOf: (e) => interventionOf(e.interventionType),
  }),
  setting: define({
    key: 'setting',
    label: 'Intervention setting',
    categories: SETTINGS,
    item: 'setting',
    categoryOf: (e) => settingOf(e.setting),
  }),
  aid: define({
    key: 'aid',
    label: 'Stop smoking aid used',
    categories: AID_CATEGORIES,
    item: 'aids',
    categoryOf: (e) => aidCategoryOf(e.aids),
  }),
  swap_to_stop: define({
    key: 'swap_to_stop',
    label: 'Swap to Stop',
    categories: SWAP_TO_STOP,
    item: 'aids',
    categoryOf: (e) => swapToStopOf(e.aids),
  }),
  cmhc: define({
    key: 'cmhc',
    label: 'Common mental health condition (depression or anxiety)',
    categories: CMHC,
    item: 'mentalHealth',
    categoryOf: (e) => cmhcOf(e.mentalHealth),
    mortarOnly: true,
  }),
  condition: define({
    key: 'condition',
    label: 'Mental health condition',
    categories: CONDITION,
    item: 'mentalHealth',
    categoryOf: (e) => conditionOf(e.mentalHealth),
    mortarOnly: true,
  }),
  in_talking_therapies: define({
    key: 'in_talking_therapies',
    label: 'In NHS Talking Therapies',
    categories: IN_TALKING_THERAPIES,
    item: 'inTalkingTherapies',
    categoryOf: (e) => talkingTherapiesOf(e.inTalkingTherapies),
    mortarOnly: true,
  }),
  referral_source: define({
    key: 'referral_source',
    label: 'Referral source',
    categories: REFERRAL_SOURCES,
    item: 'referralSource',
    categoryOf: (e) => referralSourceOf(e.referralSource),
    referralCategoryOf: (r) => referralSourceOf(r.source),
    mortarOnly: true,
  }),
};

/** The measures a breakdown carries: all of them for referral source, the episode counts for the rest. */
export function measuresOf(breakdown: BreakdownKey | 'total'): readonly Measure[] {
  return breakdown === 'total' || BREAKDOWNS[breakdown].referralCategoryOf ? MEASURES : EPISODE_MEASURES;
}

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

function zeroCategory(key: BreakdownKey): CategoryCounts {
  const { referralsReceived, ...episodes } = zeroCounts();
  return { ...episodes, referralsReceived: BREAKDOWNS[key].referralCategoryOf ? referralsReceived : null };
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

// --------------------------------------------------------------------------------- figures and changes

/**
 * A breakdown's categories with their counts, in the code list's order, then any the list does not have
 * (from a return made with an older list), in the order the table has them.
 */
export function categoriesInOrder<T>(
  key: BreakdownKey,
  table: Readonly<Record<string, T>> | undefined,
): [string, T][] {
  if (!table) return [];
  const listed = BREAKDOWNS[key].categories.codes;
  const order = [
    ...listed.filter((c) => c in table),
    ...Object.keys(table).filter((c) => !listed.includes(c)),
  ];
  return order.map((c) => [c, table[c]!]);
}

/** One figure of a return: the total of a measure ('total', 'all') or one breakdown category's. */
export type Figure = { breakdown: BreakdownKey | 'total'; category: string; measure: Measure; value: number };

export const TOTAL_CATEGORY = 'all';

/**
 * Every figure of a return in a fixed order: totals, then each breakdown in BREAKDOWN_KEYS order, its
 * categories in list order, each with its measures in MEASURES order. Categories that the code lists do not
 * have (from an older list) come after the listed ones. Null cells (referrals in a breakdown that cannot
 * split them) are not figures.
 */
export function figuresOf(ret: QuarterlyReturn): Figure[] {
  const out: Figure[] = MEASURES.map((measure) => ({
    breakdown: 'total' as const,
    category: TOTAL_CATEGORY,
    measure,
    value: ret.totals[measure],
  }));
  for (const key of BREAKDOWN_KEYS) {
    for (const [category, counts] of categoriesInOrder(key, ret.breakdowns[key])) {
      for (const measure of MEASURES) {
        const value = counts[measure];
        if (value !== null && value !== undefined) out.push({ breakdown: key, category, measure, value });
      }
    }
  }
  return out;
}

export type FigureChange = {
  breakdown: BreakdownKey | 'total';
  category: string;
  measure: Measure;
  /** Null when the figure was not in that version. */
  previous: number | null;
  current: number | null;
};

/** Every figure that differs between two versions of the same return, in figuresOf order. */
export function diffReturns(previous: QuarterlyReturn, current: QuarterlyReturn): FigureChange[] {
  if (
    previous.localAuthorityCode !== current.localAuthorityCode ||
    previous.period.financialYear !== current.period.financialYear ||
    previous.period.quarter !== current.period.quarter
  ) {
    throw new RangeError(
      `Only versions of the same return can be compared: ${previous.localAuthorityCode} ${previous.period.label} ` +
        `and ${current.localAuthorityCode} ${current.period.label}`,
    );
  }
  const key = (f: Omit<Figure, 'value'>) => `${f.breakdown}\u0000${f.category}\u0000${f.measure}`;
  const before = new Map(figuresOf(previous).map((f) => [key(f), f]));
  const after = figuresOf(current);
  const changes: FigureChange[] = [];
  const seen = new Set<string>();
  for (const f of after) {
    const k = key(f);
    seen.add(k);
    const old = before.get(k);
    if (!old || old.value !== f.value) {
      changes.push({
        breakdown: f.breakdown,
        category: f.category,
        measure: f.measure,
        previous: old?.value ?? null,
        current: f.value,
      });
    }
  }
  for (const [k, f] of before) {
    if (!seen.has(k))
      changes.push({
        breakdown: f.breakdown,
        category: f.category,
        measure: f.measure,
        previous: f.value,
        current: null,
      });
  }
  return changes;
}

/**
 * Adds returns up for an area (England, a region): every figure summed. All must be for the same quarter.
 * The result's asOf is the latest of theirs (null if none has one).
 */
export function sumReturns(
  areaCode: string,
  financialYear: number,
  quarter: Quarter,
  returns: readonly QuarterlyReturn[],
): QuarterlyReturn {
  const sum = emptyReturn(areaCode, financialYear, quarter);
  for (const r of returns) {
    if (r.period.financialYear !== financialYear || r.period.quarter !== quarter) {
      throw new RangeError(
        `Cannot add ${r.localAuthorityCode} ${r.period.label} to a ${sum.period.label} total`,
      );
    }
    if (r.asOf !== null && (sum.asOf === null || r.asOf > sum.asOf)) sum.asOf = r.asOf;
    for (const f of figuresOf(r)) {
      if (f.breakdown === 'total') {
        sum.totals[f.measure] += f.value;
        continue;
      }
      const table = sum.breakdowns[f.breakdown];
      const c = (table[f.category] ??= zeroCategory(f.breakdown));
      c[f.measure] = (c[f.measure] ?? 0) + f.value;
    }
  }
  return sum;
}
