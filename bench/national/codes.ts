import { Weighted } from './random.ts';

// Code lists and the national shape of the data. Codes follow src/db/migrations and
// src/modules/episodes/programme.ts; the demographic codes follow the NHS Data Dictionary.

/** Quit dates by month of the financial year (April first): Stoptober and January peak, December dips. */
export const MONTH_WEIGHTS = [1.0, 0.95, 0.9, 0.85, 0.8, 0.95, 1.25, 1.0, 0.7, 1.35, 1.1, 1.05];

/** National quit dates in a year, relative to 240,000, for the first five years generated (then repeating). */
export const YEAR_FACTORS = [0.97, 0.99, 1.0, 1.02, 0.99];
export const NATIONAL_QUIT_DATES_PER_YEAR = 240_000;

export const INTERVENTION_TYPES = new Weighted([
  ['07', 3],
  ['08', 38],
  ['09', 30],
  ['10', 5],
  ['11', 2],
  ['12', 1],
  ['13', 9],
  ['14', 3],
  ['15', 6],
  ['97', 3],
] as const);

/** Settings (our keys, DEFAULT_SETTINGS), with a small effect on the quit rate so some settings need exception reasons. */
const SETTINGS: readonly (readonly [string, number, number])[] = [
  ['community', 46, 0.02],
  ['pharmacy', 20, -0.06],
  ['general_practice', 15, 0.0],
  ['hospital', 6, -0.05],
  ['psychiatric', 3, -0.1],
  ['dental', 0.4, 0.0],
  ['childrens_centre', 1, 0.0],
  ['educational', 1, 0.05],
  ['prison', 2, 0.1],
  ['military', 0.2, 0.1],
  ['other', 3.4, -0.02],
];
export const SETTING_CODES = new Weighted(SETTINGS.map(([c, w]) => [c, w] as const));
export const SETTING_EFFECT = new Map(SETTINGS.map(([c, , e]) => [c, e]));

/** Aids by financial year: varenicline was withdrawn from 2021 to 2023, Swap to Stop began in 2023/24, cytisine came in 2024. */
export function aidsFor(year: number): Weighted<string> {
  if (year <= 2020)
    return new Weighted([
      ['combination_nrt', 38],
      ['single_nrt', 12],
      ['varenicline', 20],
      ['bupropion', 2],
      ['e_cigarette', 14],
      ['none', 14],
    ]);
  if (year <= 2022)
    return new Weighted([
      ['combination_nrt', 45],
      ['single_nrt', 14],
      ['varenicline', year === 2021 ? 3 : 6],
      ['bupropion', 2],
      ['e_cigarette', 20],
      ['none', 16 - (year === 2021 ? 0 : 3)],
    ]);
  if (year === 2023)
    return new Weighted([
      ['combination_nrt', 36],
      ['single_nrt', 10],
      ['varenicline', 12],
      ['cytisine', 1],
      ['bupropion', 1],
      ['e_cigarette', 8],
      ['e_cigarette_swap_to_stop', 22],
      ['none', 10],
    ]);
  return new Weighted([
    ['combination_nrt', 32],
    ['single_nrt', 9],
    ['varenicline', 14],
    ['cytisine', 6],
    ['bupropion', 1],
    ['e_cigarette', 6],
    ['e_cigarette_swap_to_stop', 24],
    ['none', 8],
  ]);
}
export const SECOND_AID = new Weighted([
  ['e_cigarette', 50],
  ['single_nrt', 50],
] as const);

/**
 * Common mental health condition among people setting a quit date: about a third, this generator's
 * assumption (docs/domain.md, Who smokes, gives the smoking rate among people with depression or anxiety,
 * not this share).
 */
export const MENTAL_HEALTH = new Weighted([
  ['depression', 12],
  ['anxiety', 10],
  ['both', 11],
  ['other', 3],
  ['none', 55],
  ['not_known', 9],
] as const);

export const SEX = new Weighted([
  ['female', 52],
  ['male', 47],
  ['not_stated', 0.7],
  ['not_known', 0.3],
] as const);
export const GENDER_SAME = new Weighted([
  ['yes', 93],
  ['no', 1],
  ['not_stated', 3],
  ['not_known', 3],
] as const);
/** Age at quit date, by band: [lowest age, highest age, weight]. */
export const AGE_BANDS = new Weighted([
  [[16, 17], 0.5],
  [[18, 24], 7],
  [[25, 34], 20],
  [[35, 44], 22],
  [[45, 54], 22],
  [[55, 64], 17.5],
  [[65, 90], 11],
] as const);
/** NHS Data Dictionary ETHNIC CATEGORY (2001 census codes), Z not stated, 99 not known. */
export const ETHNIC_OUTSIDE_LONDON = new Weighted([
  ['A', 80],
  ['B', 1],
  ['C', 4],
  ['D', 0.8],
  ['E', 0.3],
  ['F', 0.5],
  ['G', 0.5],
  ['H', 1.5],
  ['J', 2],
  ['K', 0.7],
  ['L', 0.7],
  ['M', 0.8],
  ['N', 1],
  ['P', 0.3],
  ['R', 0.2],
  ['S', 0.7],
  ['Z', 3],
  ['99', 2],
] as const);
export const ETHNIC_LONDON = new Weighted([
  ['A', 44],
  ['B', 2.5],
  ['C', 12],
  ['D', 2],
  ['E', 1],
  ['F', 1],
  ['G', 1.5],
  ['H', 4],
  ['J', 2.5],
  ['K', 3.5],
  ['L', 3.5],
  ['M', 5],
  ['N', 6],
  ['P', 1.5],
  ['R', 0.8],
  ['S', 3],
  ['Z', 4],
  ['99', 2.7],
] as const);
/** NS-SEC analytic classes 1 to 8, students, not classified, not known (src/modules/referrals/demographics.ts). */
export const NS_SEC = new Weighted([
  ['1', 4],
  ['2', 9],
  ['3', 9],
  ['4', 6],
  ['5', 6],
  ['6', 17],
  ['7', 20],
  ['8', 13],
  ['students', 2],
  ['not_classified', 8],
  ['not_known', 6],
] as const);
/** Sexual orientation (the 2015 standard's answers, as src/modules/referrals/demographics.ts codes them). */
export const SEXUAL_ORIENTATION = new Weighted([
  ['heterosexual', 84],
  ['gay_or_lesbian', 2.2],
  ['bisexual', 1.8],
  ['other', 0.5],
  ['not_sure', 0.5],
  ['not_stated', 5],
  ['not_known', 6],
] as const);

/** Who referred the people who set a quit date; 'none' means met directly, with no referral. */
const REFERRAL_SOURCES = [
  ['self', 28],
  ['gp_practice', 26],
  ['talking_therapies', 6],
  ['community_mental_health_team', 2.5],
  ['pharmacy', 8],
  ['foodbank', 1.5],
  ['housing', 2.5],
  ['homelessness', 1.2],
  ['addiction_support', 2.3],
  ['family_income_support', 1.2],
  ['community_other', 3.3],
  ['local_authority', 2.5],
  ['none', 13],
] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number][0];
export const SOURCE_NO_CMHC = new Weighted(REFERRAL_SOURCES);
/** People with depression or anxiety come more often from Talking Therapies and mental health teams. */
export const SOURCE_CMHC = new Weighted(
  REFERRAL_SOURCES.map(([s, w]) =>
    s === 'talking_therapies'
      ? ([s, 16] as const)
      : s === 'community_mental_health_team'
        ? ([s, 5] as const)
        : [s, w],
  ),
);
/** The referrer organisations every authority has, and how many of each (GP practices: several). */
export const REFERRER_ORGS: readonly (readonly [Exclude<ReferralSource, 'self' | 'none'>, number, string])[] =
  [
    ['talking_therapies', 1, 'NHS Talking Therapies'],
    ['gp_practice', 4, 'GP practice'],
    ['community_mental_health_team', 1, 'Community Mental Health Team'],
    ['pharmacy', 2, 'Community Pharmacy'],
    ['foodbank', 1, 'Foodbank'],
    ['housing', 1, 'Housing Options'],
    ['homelessness', 1, 'Homelessness Outreach'],
    ['addiction_support', 1, 'Drug and Alcohol Service'],
    ['family_income_support', 1, 'Family Hub'],
    ['community_other', 1, 'Community Wellbeing Centre'],
    ['local_authority', 1, 'Public Health Team'],
  ];

export const GIVEN = (
  'Olivia Amelia Isla Ava Mia Sophia Grace Lily Freya Emily Chloe Sarah Emma Jessica Lauren Hannah ' +
  'Rebecca Amy Laura Gemma Priya Aisha Fatima Zara Joanne Karen Susan Julie Tracey Michelle Noah ' +
  'Oliver George Leo Harry Jack Jacob Charlie Thomas Oscar James William Daniel Joshua Ryan Liam ' +
  'Connor Callum Mohammed Ali Adam Omar Kwame Tomasz Piotr David Paul Mark Steven Gary Darren Lee ' +
  'Alex Sam Jordan Robin Casey Jamie'
).split(' ');
export const FAMILY = (
  'Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans ' +
  'Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper ' +
  'Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis ' +
  'Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell ' +
  'Collins Morgan Kelly Begum Miller Cox Marshall Ahmed Simpson Anderson Ellis Adams Wilkinson ' +
  'Hussain Nowak Kowalski Mensah Okafor Murphy Ashworth Fletcher Shah Chen Nguyen'
).split(' ');
