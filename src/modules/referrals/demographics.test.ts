import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { ORGANISATION_TYPES } from '../organisations/organisation.codes.ts';
import {
  AGE_BAND_LIST,
  AGE_BANDS,
  CMHC,
  CONDITION,
  DEMOGRAPHIC_ITEMS,
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
  ageOn,
  cmhcOf,
  codeList,
  isCode,
  isRecognisedReferralSource,
  labelFor,
  referralSourceOf,
  type CodeList,
} from './demographics.ts';

const LISTS = {
  SEX,
  GENDER_SAME_AS_BIRTH,
  ETHNIC_CATEGORIES,
  ETHNIC_GROUPS,
  PREGNANT,
  FREE_PRESCRIPTIONS,
  NS_SEC,
  SEXUAL_ORIENTATION,
  AGE_BAND_LIST,
  REFERRAL_SOURCES,
  CMHC,
  CONDITION,
  IN_TALKING_THERAPIES,
};

test('every code list has unique codes, each with a label, in the order given', () => {
  for (const [name, list] of Object.entries(LISTS)) {
    assert.equal(new Set(list.codes).size, list.codes.length, name);
    assert.deepEqual(Object.keys(list.labels).sort(), [...list.codes].sort(), name);
    for (const c of list.codes)
      assert.ok((list.labels as Record<string, string>)[c]!.length > 0, `${name} ${c}`);
  }
  // Whole-number-looking codes keep their place: 99 (not known) is last, not first.
  assert.equal(ETHNIC_CATEGORIES.codes.at(-1), '99');
  assert.equal(ETHNIC_CATEGORIES.codes[0], 'A');
  assert.deepEqual(NS_SEC.codes.slice(0, 8), ['1', '2', '3', '4', '5', '6', '7', '8']);
});

test('a code list refuses a repeated code', () => {
  assert.throws(
    () =>
      codeList([
        ['a', 'A'],
        ['a', 'B'],
      ]),
    /Duplicate/,
  );
});

test('every list has a not known (or not stated) answer where the data set has one', () => {
  const lists: CodeList<string>[] = [
    SEX,
    GENDER_SAME_AS_BIRTH,
    PREGNANT,
    FREE_PRESCRIPTIONS,
    NS_SEC,
    SEXUAL_ORIENTATION,
    AGE_BAND_LIST,
  ];
  for (const list of lists) {
    assert.ok(isCode(list, 'not_known'));
  }
  const withNotStated: CodeList<string>[] = [SEX, GENDER_SAME_AS_BIRTH, SEXUAL_ORIENTATION, ETHNIC_GROUPS];
  for (const list of withNotStated) assert.ok(isCode(list, 'not_stated'));
  assert.ok(isCode(ETHNIC_CATEGORIES, 'Z') && isCode(ETHNIC_CATEGORIES, '99'));
  assert.ok(isCode(CMHC, 'not_stated'));
});

test('the episode columns accept exactly the codes in the lists (migration 0006 check constraints)', () => {
  assert.deepEqual(SEX.codes, ['male', 'female', 'not_stated', 'not_known']);
  assert.deepEqual(GENDER_SAME_AS_BIRTH.codes, ['yes', 'no', 'not_stated', 'not_known']);
  assert.deepEqual(PREGNANT.codes, ['yes', 'no', 'not_applicable', 'not_known']);
  assert.deepEqual(FREE_PRESCRIPTIONS.codes, ['yes', 'no', 'not_known']);
  assert.deepEqual(CONDITION.codes, ['depression', 'anxiety', 'both', 'other', 'none', 'not_known']);
  assert.deepEqual(Object.keys(DEMOGRAPHIC_ITEMS).sort(), [
    'ethnicCategory',
    'freePrescriptions',
    'genderSameAsBirth',
    'nsSec',
    'pregnant',
    'sex',
    'sexualOrientation',
  ]);
});

test('the 2001 ethnic categories A to S (no I, O or Q) fall into five groups', () => {
  assert.deepEqual(ETHNIC_CATEGORIES.codes.slice(0, 16).join(''), 'ABCDEFGHJKLMNPRS');
  assert.deepEqual(Object.keys(ETHNIC_GROUP_OF).sort(), [...ETHNIC_CATEGORIES.codes].sort());
  const members = (g: string) => ETHNIC_CATEGORIES.codes.filter((c) => ETHNIC_GROUP_OF[c] === g).join('');
  assert.equal(members('white'), 'ABC');
  assert.equal(members('mixed'), 'DEFG');
  assert.equal(members('asian'), 'HJKL');
  assert.equal(members('black'), 'MNP');
  assert.equal(members('other'), 'RS');
  assert.equal(members('not_stated'), 'Z');
  assert.equal(members('not_known'), '99');
  for (const g of Object.values(ETHNIC_GROUP_OF)) assert.ok(isCode(ETHNIC_GROUPS, g));
});

test('age in whole years: the birthday counts from its own day', () => {
  assert.equal(ageOn('1990-05-10', '2026-05-09'), 35);
  assert.equal(ageOn('1990-05-10', '2026-05-10'), 36);
  assert.equal(ageOn('2026-05-10', '2026-05-10'), 0);
  assert.equal(ageOn('2026-05-11', '2026-05-10'), null, 'born after the date');
  assert.equal(ageOn(null, '2026-05-10'), null);
  assert.equal(ageOn('1990-02-30', '2026-05-10'), null, 'not a real date');
});

test('someone born on 29 February is a year older on 1 March in other years', () => {
  assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
  assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
  assert.equal(ageOn('2008-02-29', '2028-02-29'), 20);
});

test('age bands at the quit date, at every boundary', () => {
  const q = '2026-05-01';
  const bornYearsAgo = (n: number) => `${2026 - n}-05-01`;
  const dayAfter = (n: number) => addDays(bornYearsAgo(n), 1); // one day short of n
  assert.equal(ageBandAt(dayAfter(18), q), 'under_18');
  assert.equal(ageBandAt(bornYearsAgo(18), q), '18_34');
  assert.equal(ageBandAt(dayAfter(35), q), '18_34');
  assert.equal(ageBandAt(bornYearsAgo(35), q), '35_44');
  assert.equal(ageBandAt(dayAfter(45), q), '35_44');
  assert.equal(ageBandAt(bornYearsAgo(45), q), '45_59');
  assert.equal(ageBandAt(dayAfter(60), q), '45_59');
  assert.equal(ageBandAt(bornYearsAgo(60), q), '60_and_over');
  assert.equal(ageBandAt(bornYearsAgo(104), q), '60_and_over');
  assert.equal(ageBandAt(null, q), 'not_known');
  assert.equal(ageBandAt(bornYearsAgo(30), null), 'not_known');
  assert.equal(ageBandAt('2027-01-01', q), 'not_known');
});

test('property: the age band is the last band whose first age is at or below the age', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 3000 }), (ageDays, q) => {
      const quitDate = addDays('2024-01-01', q);
      const dob = addDays(quitDate, -ageDays);
      const age = ageOn(dob, quitDate)!;
      assert.ok(age >= 0 && Math.abs(age - ageDays / 365.25) < 1);
      const band = AGE_BANDS.find((b, i) => age >= b.from && (AGE_BANDS[i + 1]?.from ?? Infinity) > age)!;
      assert.equal(ageBandAt(dob, quitDate), band.code);
    }),
  );
});

test('every organisation type is a referral source: Talking Therapies, GP, each community kind, or other', () => {
  assert.equal(referralSourceOf('talking_therapies'), 'talking_therapies');
  assert.equal(referralSourceOf('gp_practice'), 'gp_practice');
  for (const t of [
    'community_mental_health_team',
    'pharmacy',
    'foodbank',
    'housing',
    'homelessness',
    'addiction_support',
    'family_income_support',
    'community_other',
  ]) {
    assert.equal(referralSourceOf(t), t);
  }
  for (const t of ['stop_smoking_service', 'local_authority', 'national_body', 'other'])
    assert.equal(referralSourceOf(t), 'other');
  assert.equal(referralSourceOf('self'), 'self');
  assert.equal(referralSourceOf(null), 'not_known');
  assert.equal(referralSourceOf(' '), 'not_known');
  assert.equal(referralSourceOf('carrier_pigeon'), 'not_known');
  for (const t of Object.keys(ORGANISATION_TYPES)) {
    assert.ok(isCode(REFERRAL_SOURCES, referralSourceOf(t)), t);
    assert.ok(isRecognisedReferralSource(t));
  }
  assert.equal(isRecognisedReferralSource('carrier_pigeon'), false);
  assert.equal(labelFor(REFERRAL_SOURCES, 'foodbank'), 'Foodbank');
});

test('common mental health condition: depression, anxiety or both; another condition or none is no', () => {
  assert.equal(cmhcOf('depression'), 'yes');
  assert.equal(cmhcOf('anxiety'), 'yes');
  assert.equal(cmhcOf('both'), 'yes');
  assert.equal(cmhcOf('other'), 'no');
  assert.equal(cmhcOf('none'), 'no');
  assert.equal(cmhcOf('not_known'), 'not_stated');
  assert.equal(cmhcOf(null), 'not_stated');
});

test('labelFor shows the code itself when the list does not have it', () => {
  assert.equal(labelFor(SEX, 'female'), 'Female');
  assert.equal(labelFor(SEX, 'XX'), 'XX');
  assert.equal(labelFor(SEX, null), '');
});
