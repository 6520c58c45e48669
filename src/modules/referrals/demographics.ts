// The code lists the quarterly return breaks every count by (docs/domain.md, Quarterly return), with the
// words people see. Pure. Every list keeps its codes in order in `codes` (never Object.keys: JavaScript lists
// keys that look like whole numbers, such as '99' or '1', before the others), and has the "not stated"
// (asked, did not want to say) and "not known" (not recorded) answers wherever the data set has them.
//
// Lists marked (check) could not be confirmed against the current national data set specification
// (docs/domain.md, Not yet confirmed, lists them): they are data, not logic, so correcting them is an edit to
// this file only.

import { ORGANISATION_TYPES, type OrganisationType } from '../organisations/organisation.codes.ts';
import { isIsoDate } from '../../platform/dates.ts';

export type CodeList<C extends string> = {
  /** Every code, in the order tables and forms show them. */
  readonly codes: readonly C[];
  /** The words people see for each code. */
  readonly labels: Readonly<Record<C, string>>;
};

/** A code list from [code, label] pairs, kept in the order given. */
export function codeList<const C extends string>(entries: readonly (readonly [C, string])[]): CodeList<C> {
  const codes = entries.map(([code]) => code);
  if (new Set(codes).size !== codes.length)
    throw new Error(`Duplicate code in a code list: ${codes.join(', ')}`);
  return { codes, labels: Object.fromEntries(entries) as Record<C, string> };
}

/** True when `value` is one of the list's codes. */
export function isCode<C extends string>(list: CodeList<C>, value: unknown): value is C {
  return typeof value === 'string' && (list.codes as readonly string[]).includes(value);
}

/** The label for a code, or the code itself when the list does not have it (so nothing shows blank). */
export function labelFor<C extends string>(list: CodeList<C>, code: string | null | undefined): string {
  return isCode(list, code) ? list.labels[code] : (code ?? '');
}

const NOT_STATED = 'Not stated (asked, did not want to say)';
const NOT_KNOWN = 'Not known (not recorded)';

/** NHS Data Dictionary PERSON STATED GENDER / sex, as the episode records it (the episodes.sex column). */
export const SEX = codeList([
  ['male', 'Male'],
  ['female', 'Female'],
  ['not_stated', NOT_STATED],
  ['not_known', NOT_KNOWN],
]);
export type Sex = (typeof SEX.codes)[number];

/** Whether the person's gender identity is the same as the sex registered at birth (episodes.gender_same_as_birth). */
export const GENDER_SAME_AS_BIRTH = codeList([
  ['yes', 'Yes, the same as the sex registered at birth'],
  ['no', 'No, different from the sex registered at birth'],
  ['not_stated', NOT_STATED],
  ['not_known', NOT_KNOWN],
]);
export type GenderSameAsBirth = (typeof GENDER_SAME_AS_BIRTH.codes)[number];

/** NHS Data Dictionary ETHNIC CATEGORY: the 2001 census categories A to S, Z not stated, 99 not known. */
export const ETHNIC_CATEGORIES = codeList([
  ['A', 'White: British'],
  ['B', 'White: Irish'],
  ['C', 'White: any other White background'],
  ['D', 'Mixed: White and Black Caribbean'],
  ['E', 'Mixed: White and Black African'],
  ['F', 'Mixed: White and Asian'],
  ['G', 'Mixed: any other mixed background'],
  ['H', 'Asian or Asian British: Indian'],
  ['J', 'Asian or Asian British: Pakistani'],
  ['K', 'Asian or Asian British: Bangladeshi'],
  ['L', 'Asian or Asian British: any other Asian background'],
  ['M', 'Black or Black British: Caribbean'],
  ['N', 'Black or Black British: African'],
  ['P', 'Black or Black British: any other Black background'],
  ['R', 'Other ethnic groups: Chinese'],
  ['S', 'Other ethnic groups: any other ethnic group'],
  ['Z', NOT_STATED],
  ['99', NOT_KNOWN],
]);
export type EthnicCategory = (typeof ETHNIC_CATEGORIES.codes)[number];

/** The five groups of the 2001 categories that the return's breakdown uses, plus not stated and not known. */
export const ETHNIC_GROUPS = codeList([
  ['white', 'White'],
  ['mixed', 'Mixed or multiple ethnic groups'],
  ['asian', 'Asian or Asian British'],
  ['black', 'Black or Black British'],
  ['other', 'Other ethnic group (including Chinese)'],
  ['not_stated', NOT_STATED],
  ['not_known', NOT_KNOWN],
]);
export type EthnicGroup = (typeof ETHNIC_GROUPS.codes)[number];

/**
 * Which group each category belongs to. Chinese (R) is in "Other ethnic groups" in the 2001 categories the
 * NHS code list still uses (the 2011 and 2021 censuses moved it into Asian). (check) against the data set.
 */
export const ETHNIC_GROUP_OF: Readonly<Record<EthnicCategory, EthnicGroup>> = {
  A: 'white',
  B: 'white',
  C: 'white',
  D: 'mixed',
  E: 'mixed',
  F: 'mixed',
  G: 'mixed',
  H: 'asian',
  J: 'asian',
  K: 'asian',
  L: 'asian',
  M: 'black',
  N: 'black',
  P: 'black',
  R: 'other',
  S: 'other',
  Z: 'not_stated',
  '99': 'not_known',
};

/** Whether the person was pregnant at the start of the episode (episodes.pregnant). */
export const PREGNANT = codeList([
  ['yes', 'Pregnant'],
  ['no', 'Not pregnant'],
  ['not_applicable', 'Not applicable'],
  ['not_known', NOT_KNOWN],
]);
export type Pregnant = (typeof PREGNANT.codes)[number];

/** Whether the person is entitled to free prescriptions (episodes.free_prescriptions). */
export const FREE_PRESCRIPTIONS = codeList([
  ['yes', 'Gets free prescriptions'],
  ['no', 'Pays for prescriptions'],
  ['not_known', NOT_KNOWN],
]);
export type FreePrescriptions = (typeof FREE_PRESCRIPTIONS.codes)[number];

/**
 * National Statistics Socio-economic Classification (ONS NS-SEC), the eight analytic classes (class 8 is
 * "never worked and long-term unemployed") plus the two groups the ONS leaves out of the classes (full-time
 * students, L15; not classifiable, L16 and L17) and not known. (check) The old stop smoking services
 * monitoring return used a shorter occupational list (managerial and professional, intermediate, routine
 * and manual, plus retired, home carers, sick or disabled, prisoners, students, never worked); if the
 * current data set still does, replace this list and the breakdown follows.
 */
export const NS_SEC = codeList([
  ['1', 'Higher managerial, administrative and professional occupations'],
  ['2', 'Lower managerial, administrative and professional occupations'],
  ['3', 'Intermediate occupations'],
  ['4', 'Small employers and own account workers'],
  ['5', 'Lower supervisory and technical occupations'],
  ['6', 'Semi-routine occupations'],
  ['7', 'Routine occupations'],
  ['8', 'Never worked and long-term unemployed'],
  ['students', 'Full-time students'],
  [
    'not_classified',
    'Not classified (occupation not stated, not described well enough, or not classifiable)',
  ],
  ['not_known', NOT_KNOWN],
]);
export type NsSec = (typeof NS_SEC.codes)[number];

/**
 * NHS Data Dictionary SEXUAL ORIENTATION CODE (the 2015 information standard): 1 heterosexual, 2 gay or
 * lesbian, 3 bisexual, 4 other, U not sure, Z not stated, 9 not known. The standard has "not sure" as an
 * answer of its own; (check) whether the stop smoking data set keeps it apart or folds it into other.
 */
export const SEXUAL_ORIENTATION = codeList([
  ['heterosexual', 'Heterosexual or straight'],
  ['gay_or_lesbian', 'Gay or lesbian'],
  ['bisexual', 'Bisexual'],
  ['other', 'Another sexual orientation'],
  ['not_sure', 'Not sure'],
  ['not_stated', NOT_STATED],
  ['not_known', NOT_KNOWN],
]);
export type SexualOrientation = (typeof SEXUAL_ORIENTATION.codes)[number];

/**
 * Age bands at the quit date, the bands the stop smoking services return has long used. (check) against the
 * current data set. `from` is the first age in the band; each band runs to the age before the next one's.
 */
export const AGE_BANDS = [
  { code: 'under_18', label: 'Under 18', from: 0 },
  { code: '18_34', label: '18 to 34', from: 18 },
  { code: '35_44', label: '35 to 44', from: 35 },
  { code: '45_59', label: '45 to 59', from: 45 },
  { code: '60_and_over', label: '60 and over', from: 60 },
] as const;
export const AGE_BAND_LIST = codeList([
  ...AGE_BANDS.map((b) => [b.code, b.label] as const),
  ['not_known', 'Not known (no date of birth, or one after the quit date)'],
]);
export type AgeBand = (typeof AGE_BAND_LIST.codes)[number];

/**
 * Age in whole years on `on`: the birthday counts from its day, so someone born on 29 February turns a
 * year older on 1 March in years without one. Null when either date is not a real date or `on` is before
 * the birth.
 */
export function ageOn(dateOfBirth: string | null | undefined, on: string | null | undefined): number | null {
  // ISO dates compare as text in date order.
  if (!isIsoDate(dateOfBirth) || !isIsoDate(on) || on < dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** The age band at the quit date; not known without both dates or with a birth after the quit date. */
export function ageBandAt(
  dateOfBirth: string | null | undefined,
  quitDate: string | null | undefined,
): AgeBand {
  const age = ageOn(dateOfBirth, quitDate);
  if (age === null) return 'not_known';
  let band: AgeBand = 'not_known';
  for (const b of AGE_BANDS) if (age >= b.from) band = b.code;
  return band;
}

/**
 * Organisation types that are not a source of their own in the return: another stop smoking service, a
 * local authority's public health team or a national body referring someone counts as "other".
 */
const REFERRAL_SOURCE_OTHER: readonly OrganisationType[] = [
  'stop_smoking_service',
  'local_authority',
  'national_body',
];

/**
 * Where the referral behind an episode came from: NHS Talking Therapies, a GP practice, each kind of
 * community organisation (every ORGANISATION_TYPES entry except those in REFERRAL_SOURCE_OTHER, so a new
 * community type becomes a category of its own), the person themself, or other.
 */
export const REFERRAL_SOURCES = codeList([
  ...(Object.keys(ORGANISATION_TYPES) as OrganisationType[])
    .filter((t) => !REFERRAL_SOURCE_OTHER.includes(t))
    .map((t) => [t as string, ORGANISATION_TYPES[t] as string] as const),
  ['self', 'Referred themself'],
  ['other', 'Another source (another stop smoking service, a local authority or a national body)'],
  ['not_known', 'Not known (no referral recorded)'],
]);
export type ReferralSource = string;

/**
 * The referral source for what the database knows of a referral: 'self' for a self-referral, or the
 * referring organisation's type. Accepts a referral source code unchanged. Null, blank or a code that is
 * neither gives 'not_known' (validation reports unrecognised codes).
 */
export function referralSourceOf(kind: string | null | undefined): ReferralSource {
  if (typeof kind !== 'string' || kind.trim() === '') return 'not_known';
  if (isCode(REFERRAL_SOURCES, kind)) return kind;
  if ((REFERRAL_SOURCE_OTHER as readonly string[]).includes(kind)) return 'other';
  return 'not_known';
}

/** True when referralSourceOf understands the value (a referral source code or an organisation type). */
export function isRecognisedReferralSource(kind: string | null | undefined): boolean {
  return typeof kind === 'string' && (isCode(REFERRAL_SOURCES, kind) || kind in ORGANISATION_TYPES);
}

/** Common mental health condition (depression or anxiety): the breakdown no national return has yet. */
export const CMHC = codeList([
  ['yes', 'Has depression or anxiety, or both'],
  ['no', 'No depression or anxiety (including people with another mental health condition only)'],
  ['not_stated', 'Not stated or not known'],
]);
export type Cmhc = (typeof CMHC.codes)[number];

/** The condition, as the episode records it (episodes.mental_health). */
export const CONDITION = codeList([
  ['depression', 'Depression'],
  ['anxiety', 'Anxiety'],
  ['both', 'Depression and anxiety'],
  ['other', 'Another mental health condition'],
  ['none', 'No anxiety or depression (they told us)'],
  ['not_known', NOT_KNOWN],
]);
export type MentalHealth = (typeof CONDITION.codes)[number];

/**
 * Depression and anxiety disorders are the common mental health conditions. "Another mental health
 * condition" is recorded instead of them, so it counts as no CMHC. (check) whether a future national
 * definition wants it apart.
 */
export function cmhcOf(mentalHealth: string | null | undefined): Cmhc {
  switch (mentalHealth) {
    case 'depression':
    case 'anxiety':
    case 'both':
      return 'yes';
    case 'other':
    case 'none':
      return 'no';
    default:
      return 'not_stated';
  }
}

export const IN_TALKING_THERAPIES = codeList([
  ['yes', 'In NHS Talking Therapies'],
  ['no', 'Not in NHS Talking Therapies'],
  ['not_known', NOT_KNOWN],
]);
export type InTalkingTherapies = (typeof IN_TALKING_THERAPIES.codes)[number];

/** The list a code is checked against for each coded demographic item on the episode. */
export const DEMOGRAPHIC_ITEMS = {
  sex: SEX,
  genderSameAsBirth: GENDER_SAME_AS_BIRTH,
  ethnicCategory: ETHNIC_CATEGORIES,
  pregnant: PREGNANT,
  freePrescriptions: FREE_PRESCRIPTIONS,
  nsSec: NS_SEC,
  sexualOrientation: SEXUAL_ORIENTATION,
} as const;
