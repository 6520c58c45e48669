// The breakdowns of the quarterly return: each puts every counted episode in exactly one category of its
// code list, with a "not known" category for a missing or unrecognised code, so every breakdown's
// categories add up to the total for every count. Only the referral source breakdown splits referrals
// received. Part of the return's definition (return-definition.ts). Pure.

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
} from '../referrals/demographics.ts';
import {
  EPISODE_MEASURES,
  MEASURES,
  zeroCounts,
  type CategoryCounts,
  type EpisodeFact,
  type Measure,
  type ReferralFact,
} from './return-measures.ts';

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

/** A category with every count zero; referrals received null where the breakdown cannot split them. */
export function zeroCategory(key: BreakdownKey): CategoryCounts {
  const { referralsReceived, ...episodes } = zeroCounts();
  return { ...episodes, referralsReceived: BREAKDOWNS[key].referralCategoryOf ? referralsReceived : null };
}
