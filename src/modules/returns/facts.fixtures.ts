// Generated facts for property tests, here and in the test that checks the return's SQL against
// computeReturn: load what these generate into the database, run both, compare. Test-only (fast-check is
// a development dependency): import it from *.test.ts files only.

import fc from 'fast-check';
import { addDays, type IsoDate } from '../../platform/dates.ts';
import { OUTCOMES } from '../episodes/four-week-outcome.ts';
import { AIDS } from '../episodes/programme.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import {
  CONDITION,
  ETHNIC_CATEGORIES,
  FREE_PRESCRIPTIONS,
  GENDER_SAME_AS_BIRTH,
  IN_TALKING_THERAPIES,
  NS_SEC,
  PREGNANT,
  REFERRAL_SOURCES,
  SEX,
  SEXUAL_ORIENTATION,
  type CodeList,
} from '../referrals/demographics.ts';
import type { EpisodeFact, ReferralFact } from './return-measures.ts';
import { INTERVENTION_TYPES, SETTINGS } from './return-breakdowns.ts';

export const LA = 'E06000001';
export const OTHER_LA = 'E06000002';

export type FactOptions = {
  /** Dates are drawn from `from` plus 0 to `days` days. */
  from?: IsoDate;
  days?: number;
  localAuthorityCodes?: readonly (string | null)[];
};

const DEFAULTS = { from: '2025-12-01', days: 300, localAuthorityCodes: [LA, LA, LA, OTHER_LA, null] };

export const dateArb = (from: IsoDate, days: number) =>
  fc.integer({ min: 0, max: days }).map((n) => addDays(from, n));

/** Mostly a code from the list; sometimes null, blank or a code nobody knows. */
export const codeArb = (list: CodeList<string>) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...list.codes) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('', 'XX', 'unknown', 'Male') },
  );

const AID_CODES = Object.keys(AIDS);

export const aidsArb = fc.oneof(
  { weight: 8, arbitrary: fc.subarray(AID_CODES, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...AID_CODES, 'patch_only', ''), { maxLength: 3 }) },
);

export const referralSourceArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...REFERRAL_SOURCES.codes) },
  { weight: 2, arbitrary: fc.constantFrom(...Object.keys(ORGANISATION_TYPES)) },
  { weight: 1, arbitrary: fc.constantFrom(null, '', 'carrier_pigeon') },
);

export function episodeFactArb(options: FactOptions = {}): fc.Arbitrary<EpisodeFact> {
  const { from, days, localAuthorityCodes } = { ...DEFAULTS, ...options };
  return fc.record(
    {
      episodeId: fc.uuid(),
      localAuthorityCode: fc.constantFrom(...localAuthorityCodes),
      serviceOrganisationId: fc.constantFrom(
        '00000000-0000-4000-8000-000000000001',
        '00000000-0000-4000-8000-000000000002',
      ),
      quitDate: fc.option(dateArb(from, days), { freq: 12 }),
      referralReceivedOn: fc.option(dateArb(addDays(from, -30), days), { freq: 6 }),
      outcome: fc.constantFrom(...OUTCOMES),
      dateOfBirth: fc.option(dateArb('1930-01-01', 365 * 100), { freq: 10 }),
      sex: codeArb(SEX),
      genderSameAsBirth: codeArb(GENDER_SAME_AS_BIRTH),
      ethnicCategory: codeArb(ETHNIC_CATEGORIES),
      pregnant: codeArb(PREGNANT),
      freePrescriptions: codeArb(FREE_PRESCRIPTIONS),
      nsSec: codeArb(NS_SEC),
      sexualOrientation: codeArb(SEXUAL_ORIENTATION),
      interventionType: codeArb(INTERVENTION_TYPES),
      setting: codeArb(SETTINGS),
      aids: aidsArb,
      mentalHealth: fc.constantFrom(...CONDITION.codes),
      inTalkingTherapies: fc.constantFrom(...IN_TALKING_THERAPIES.codes),
      referralSource: referralSourceArb,
    },
    { noNullPrototype: true },
  );
}

export function referralFactArb(options: FactOptions = {}): fc.Arbitrary<ReferralFact> {
  const { from, days, localAuthorityCodes } = { ...DEFAULTS, ...options };
  return fc.record(
    {
      localAuthorityCode: fc.constantFrom(...localAuthorityCodes),
      receivedOn: dateArb(from, days),
      source: referralSourceArb,
    },
    { noNullPrototype: true },
  );
}

/** A plain episode that counts in LA's 2026/27 Q1 return, for example-based tests. */
export function episode(overrides: Partial<EpisodeFact> = {}): EpisodeFact {
  return {
    episodeId: 'e1',
    localAuthorityCode: LA,
    serviceOrganisationId: '00000000-0000-4000-8000-000000000001',
    quitDate: '2026-05-01',
    referralReceivedOn: '2026-04-20',
    outcome: 'quit_co_verified',
    dateOfBirth: '1980-06-15',
    sex: 'female',
    genderSameAsBirth: 'yes',
    ethnicCategory: 'A',
    pregnant: 'no',
    freePrescriptions: 'no',
    nsSec: '3',
    sexualOrientation: 'heterosexual',
    interventionType: '08',
    setting: 'community',
    aids: ['combination_nrt'],
    mentalHealth: 'depression',
    inTalkingTherapies: 'yes',
    referralSource: 'talking_therapies',
    ...overrides,
  };
}
