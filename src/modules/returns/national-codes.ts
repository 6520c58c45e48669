// How each of Mortar's return figures is named in the national collection (the Local Stop Smoking
// Services quarterly data set, NHS Data Dictionary "Stop Smoking Services Quarterly Data Set"): one table
// for measures and one for breakdowns and their categories, so that correcting a code is a one-line change
// here and in NATIONAL-LAYOUT.md. Where the public specification did not let us confirm an item or a code,
// the entry says `confirmed: false` and every row written from it says so too. Pure.
import type { Measure } from './return-measures.ts';
import type { BreakdownKey } from './return-breakdowns.ts';

/** A national data element, and whether its name was confirmed against the published specification. */
export type NationalElement = { element: string; confirmed: boolean };

/**
 * Each measure's data element; null where the national collection has none ("pending" is Mortar's own:
 * the collection is made after the follow-up window has closed, when nobody should be pending).
 */
export const NATIONAL_MEASURES: Readonly<Record<Measure, NationalElement | null>> = {
  referralsReceived: { element: 'STOP SMOKING REFERRALS RECEIVED TOTAL', confirmed: false },
  setQuitDate: { element: 'STOP SMOKING SETTING QUIT DATE TOTAL', confirmed: true },
  quitSelfReported: { element: 'STOP SMOKING SUCCESSFULLY QUIT TOTAL', confirmed: true },
  quitCoVerified: {
    element: 'STOP SMOKING SUCCESSFULLY QUIT CARBON MONOXIDE VALIDATION TOTAL',
    confirmed: true,
  },
  notQuit: { element: 'STOP SMOKING NOT QUIT TOTAL', confirmed: true },
  lostToFollowUp: { element: 'STOP SMOKING LOST TO FOLLOW-UP TOTAL', confirmed: true },
  pending: null,
};

/** The written reason for a setting whose quit rate is outside the band (max 200 characters nationally). */
export const EXCEPTION_REASON_ELEMENT: NationalElement = {
  element: 'STOP SMOKING INTERVENTION SETTING TYPE REASON FOR EXCEPTION',
  confirmed: true,
};
/** The longest reason the national item takes (format max an200). */
export const EXCEPTION_REASON_MAX = 200;

/** A category's national code; null when the national collection does not collect that category. */
export type NationalCategory = { code: string; description: string; confirmed: boolean } | null;

export type NationalBreakdown =
  | {
      kind: 'national';
      /** The national data element that classifies the counts (ETHNIC CATEGORY, say). */
      item: string;
      itemConfirmed: boolean;
      categories: Readonly<Record<string, NationalCategory>>;
      /** The measures collected for this breakdown, when not every one is. */
      measures?: readonly Measure[];
      /** Added to each data element's name, as the data set names the part's elements. */
      elementSuffix?: string;
    }
  | { kind: 'mortar_only'; item: string };

const c = (code: string, description: string, confirmed: boolean): NationalCategory => ({
  code,
  description,
  confirmed,
});
/** Mortar's own key kept as the code: no national code could be confirmed for it. */
const own = (code: string, description: string): NationalCategory => c(code, description, false);

/** Every breakdown: its national item and each category's code, or Mortar's own section. */
export const NATIONAL_BREAKDOWNS: Readonly<Record<BreakdownKey, NationalBreakdown>> = {
  // Mortar records sex, not the gender a person states: 3 (non-binary) and 4 (other) cannot be filled.
  sex: {
    kind: 'national',
    item: 'GENDER IDENTITY CODE',
    itemConfirmed: true,
    categories: {
      male: c('1', 'Male (including trans man)', false),
      female: c('2', 'Female (including trans woman)', false),
      not_stated: c('Z', 'Not stated (person asked but declined to provide a response)', true),
      not_known: c('X', 'Not known (not recorded)', true),
    },
  },
  gender_identity: {
    kind: 'national',
    item: 'GENDER IDENTITY SAME AT BIRTH INDICATOR',
    itemConfirmed: false,
    categories: {
      yes: own('Y', 'Yes, the same as at birth'),
      no: own('N', 'No, different from at birth'),
      not_stated: own('Z', 'Not stated'),
      not_known: own('X', 'Not known'),
    },
  },
  age_band: {
    kind: 'national',
    item: 'AGE BAND AT SMOKING QUIT DATE',
    itemConfirmed: true,
    categories: {
      under_18: own('under_18', 'Under 18'),
      '18_34': own('18_34', '18 to 34'),
      '35_44': own('35_44', '35 to 44'),
      '45_59': own('45_59', '45 to 59'),
      '60_and_over': own('60_and_over', '60 and over'),
      not_known: own('not_known', 'Not known'),
    },
  },
  // The data set collects each ETHNIC CATEGORY code; Mortar's return keeps the five groups.
  ethnic_group: {
    kind: 'national',
    item: 'ETHNIC CATEGORY',
    itemConfirmed: true,
    categories: {
      white: own('A-C', 'White (A, B, C)'),
      mixed: own('D-G', 'Mixed (D, E, F, G)'),
      asian: own('H-L', 'Asian or Asian British (H, J, K, L)'),
      black: own('M-P', 'Black or Black British (M, N, P)'),
      other: own('R-S', 'Other ethnic groups (R, S)'),
      not_stated: c('Z', 'Not stated', true),
      not_known: c('99', 'Not known', true),
    },
  },
  // Part 1C counts pregnant people only, with the part's own elements.
  pregnant: {
    kind: 'national',
    item: 'PREGNANT',
    itemConfirmed: true,
    elementSuffix: ' (PREGNANT)',
    categories: { yes: c('Y', 'Pregnant', true), no: null, not_applicable: null, not_known: null },
  },
  // Part 1D: people who get free prescriptions, set a quit date and quit only.
  free_prescriptions: {
    kind: 'national',
    item: 'FREE PRESCRIPTION',
    itemConfirmed: true,
    elementSuffix: ' (FREE PRESCRIPTION)',
    measures: ['setQuitDate', 'quitSelfReported'],
    categories: { yes: c('Y', 'Receives free prescriptions', true), no: null, not_known: null },
  },
  ns_sec: {
    kind: 'national',
    item: 'SOCIO-ECONOMIC CLASSIFICATION (NS-SEC)',
    itemConfirmed: false,
    categories: {
      '1': own('1', 'Higher managerial, administrative and professional occupations'),
      '2': own('2', 'Lower managerial, administrative and professional occupations'),
      '3': own('3', 'Intermediate occupations'),
      '4': own('4', 'Small employers and own account workers'),
      '5': own('5', 'Lower supervisory and technical occupations'),
      '6': own('6', 'Semi-routine occupations'),
      '7': own('7', 'Routine occupations'),
      '8': own('8', 'Never worked and long-term unemployed'),
      students: own('students', 'Full-time students'),
      not_classified: own('not_classified', 'Not classified'),
      not_known: own('not_known', 'Not known'),
    },
  },
  sexual_orientation: {
    kind: 'national',
    item: 'SEXUAL ORIENTATION CODE',
    itemConfirmed: false,
    categories: {
      heterosexual: own('1', 'Heterosexual or straight'),
      gay_or_lesbian: own('2', 'Gay or lesbian'),
      bisexual: own('3', 'Bisexual'),
      other: own('4', 'Other sexual orientation not listed'),
      not_sure: own('U', 'Person asked and does not know or is not sure'),
      not_stated: own('Z', 'Not stated'),
      not_known: own('9', 'Not known (not recorded)'),
    },
  },
  intervention_type: {
    kind: 'national',
    item: 'INTERVENTION SESSION TYPE (STOP SMOKING)',
    itemConfirmed: true,
    categories: {
      '07': c('07', 'Group support in person only', true),
      '08': c('08', 'One to one multi-session support in person only', true),
      '09': c('09', 'One to one multi-session telephone support only', true),
      '10': c('10', 'One to one multi-session support via remote video link/online only', true),
      '11': c('11', 'Single support session', true),
      '12': c('12', 'Group support via remote video link/online', true),
      '13': c('13', 'Combination of in person and telephone or remote/online support', true),
      '14': c('14', 'Digital support via stop smoking mobile application alone', true),
      '15': c('15', 'Combination of one-to-one support and a mobile application', true),
      '97': c('97', 'Other (not listed)', true),
      not_known: own('not_known', 'Not known (not recorded)'),
    },
  },
  setting: {
    kind: 'national',
    item: 'INTERVENTION SETTING TYPE (STOP SMOKING)',
    itemConfirmed: false,
    categories: {
      community: own('community', 'Community'),
      psychiatric: own('psychiatric', 'Mental health (psychiatric) service'),
      hospital: own('hospital', 'Hospital'),
      pharmacy: own('pharmacy', 'Pharmacy'),
      dental: own('dental', 'Dental practice'),
      general_practice: own('general_practice', 'GP practice'),
      maternity: own('maternity', 'Maternity service'),
      childrens_centre: own('childrens_centre', "Children's centre"),
      educational: own('educational', 'School, college or university'),
      prison: own('prison', 'Prison'),
      military: own('military', 'Military base'),
      other: own('other', 'Other'),
      not_known: own('not_known', 'Not known (not recorded)'),
    },
  },
  aid: {
    kind: 'national',
    item: 'STOP SMOKING AID',
    itemConfirmed: false,
    categories: {
      nrt_only: own('nrt_only', 'NRT only'),
      varenicline_only: own('varenicline_only', 'Varenicline only'),
      cytisine_only: own('cytisine_only', 'Cytisine only'),
      bupropion_only: own('bupropion_only', 'Bupropion only'),
      more_than_one_medicine: own('more_than_one_medicine', 'More than one medicine, no e-cigarette'),
      e_cigarette_only: own('e_cigarette_only', 'E-cigarette only'),
      nrt_and_e_cigarette: own('nrt_and_e_cigarette', 'NRT and an e-cigarette'),
      other_medicine_and_e_cigarette: own(
        'other_medicine_and_e_cigarette',
        'Varenicline, cytisine or bupropion, and an e-cigarette',
      ),
      more_than_one_medicine_and_e_cigarette: own(
        'more_than_one_medicine_and_e_cigarette',
        'More than one medicine and an e-cigarette',
      ),
      none: own('none', 'No medicine or e-cigarette'),
      not_known: own('not_known', 'Not known'),
    },
  },
  swap_to_stop: {
    kind: 'national',
    item: 'SWAP TO STOP',
    itemConfirmed: false,
    categories: {
      yes: own('yes', 'Had a Swap to Stop kit'),
      no: own('no', 'No Swap to Stop kit'),
      not_known: own('not_known', 'Not known'),
    },
  },
  // The mental health breakdown and referral source: no national item. Kept as Mortar's extra section.
  cmhc: { kind: 'mortar_only', item: 'MORTAR: COMMON MENTAL HEALTH CONDITION' },
  condition: { kind: 'mortar_only', item: 'MORTAR: MENTAL HEALTH CONDITION' },
  in_talking_therapies: { kind: 'mortar_only', item: 'MORTAR: IN NHS TALKING THERAPIES' },
  referral_source: { kind: 'mortar_only', item: 'MORTAR: REFERRAL SOURCE' },
};
