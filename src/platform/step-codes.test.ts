import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { snomed } from './clinical-codes.ts';
import { isSnomedConceptId } from './snomed-id.ts';
import {
  codesForStep,
  referrerMaySeeStep,
  STEP_KINDS,
  STEP_LABELS,
  type ClinicalStep,
  type FourWeekOutcome,
} from './step-codes.ts';

const ids = (step: ClinicalStep) =>
  codesForStep(step).map((c) => (c.value?.kind === 'concept' ? `${c.code}=${c.value.code}` : c.code));

const outcomes: FourWeekOutcome[] = [
  'quit_co_verified',
  'quit_self_reported',
  'not_quit',
  'lost_to_follow_up',
];
const steps: fc.Arbitrary<ClinicalStep> = fc.oneof(
  fc.record({
    kind: fc.constant('smoking_status_at_referral' as const),
    smokingStatus: fc.constantFrom('1', '2', '3', '4', 'Z', '9', 'x'),
    vapingStatus: fc.constantFrom('current', 'former', 'never', 'not_known'),
  }),
  fc.constantFrom<ClinicalStep>(
    { kind: 'vba_given' },
    { kind: 'referral_made' },
    { kind: 'referral_declined' },
  ),
  fc.record({
    kind: fc.constant('smoking_status_at_assessment' as const),
    cigarettesPerDay: fc.option(fc.nat(80)),
    vapingStatus: fc.option(fc.constantFrom('current', 'former', 'never', 'not_known')),
    coPpm: fc.option(fc.nat(100)),
  }),
  fc.record({
    kind: fc.constant('quit_date_set' as const),
    quitDate: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  }),
  fc.record({
    kind: fc.constant('four_week_outcome' as const),
    outcome: fc.constantFrom(...outcomes),
    coPpm: fc.option(fc.nat(100)),
  }),
);

test('smoking status when referred: smokes, used to smoke and never smoked are coded; the rest are not', () => {
  const at = (smokingStatus: string, vapingStatus = 'never') =>
    ids({ kind: 'smoking_status_at_referral', smokingStatus, vapingStatus });
  assert.deepEqual(at('1'), ['77176002']);
  assert.deepEqual(at('2'), ['8517006']);
  assert.deepEqual(at('4'), ['266919005']);
  // History not known, did not want to say, not asked: any code would claim more than was found out.
  assert.deepEqual(at('3'), []);
  assert.deepEqual(at('Z'), []);
  assert.deepEqual(at('9'), []);
  assert.deepEqual(at('1', 'current'), ['77176002', '722499006']);
  assert.deepEqual(at('2', 'former'), ['8517006']);
});

test('advice and referral: advice given, referred, declined', () => {
  assert.deepEqual(ids({ kind: 'vba_given' }), ['225323000']);
  assert.deepEqual(ids({ kind: 'referral_made' }), ['871661000000106']);
  assert.deepEqual(ids({ kind: 'referral_declined' }), ['871641000000105']);
});

test('a quit date is the negotiated date, carried as its value', () => {
  assert.deepEqual(codesForStep({ kind: 'quit_date_set', quitDate: '2027-01-11' }), [
    {
      code: '390901002',
      display: 'Negotiated date for cessation of smoking',
      value: { kind: 'date', date: '2027-01-11' },
    },
  ]);
});

test('four-week outcomes: quit is Ex-smoker at 4 weeks, not quit is Smoker, lost to follow-up is no code', () => {
  const outcome = (o: FourWeekOutcome, coPpm: number | null = null) =>
    codesForStep({ kind: 'four_week_outcome', outcome: o, coPpm });
  assert.deepEqual(ids({ kind: 'four_week_outcome', outcome: 'quit_self_reported', coPpm: null }), [
    '390902009=8517006',
  ]);
  assert.deepEqual(ids({ kind: 'four_week_outcome', outcome: 'not_quit', coPpm: null }), [
    '390902009=77176002',
  ]);
  assert.deepEqual(outcome('lost_to_follow_up', 3), []);
  const verified = outcome('quit_co_verified', 4);
  assert.deepEqual(verified[1], {
    code: '251900003',
    display: 'Expired carbon monoxide concentration',
    value: { kind: 'quantity', value: 4, unit: 'ppm' },
  });
  // A reading of 0 is a reading, not a missing one.
  assert.equal(outcome('quit_co_verified', 0).length, 2);
  assert.equal(outcome('quit_co_verified', null).length, 1);
  // A self-reported quit never carries a reading it did not have.
  assert.equal(outcome('quit_self_reported', 4).length, 1);
});

test('at assessment only smoking now is coded, with vaping and the CO reading', () => {
  const at = (cigarettesPerDay: number | null, vapingStatus: string | null, coPpm: number | null) =>
    ids({ kind: 'smoking_status_at_assessment', cigarettesPerDay, vapingStatus, coPpm });
  assert.deepEqual(at(10, 'never', null), ['77176002']);
  assert.deepEqual(at(0, 'current', 2), ['722499006', '251900003']);
  assert.deepEqual(at(null, null, null), []);
});

test('every code any step gives is a well-formed concept from the checked list, with its term', () => {
  const known = new Map<string, string>(Object.values(snomed).map((c) => [c.code, c.display]));
  fc.assert(
    fc.property(steps, (step) => {
      for (const c of codesForStep(step)) {
        assert.ok(isSnomedConceptId(c.code));
        assert.equal(known.get(c.code), c.display, `${c.code} is not in clinical-codes.ts`);
        if (c.value?.kind === 'concept') assert.equal(known.get(c.value.code), c.value.display);
      }
    }),
  );
});

test('no step gives the same code twice, and a code with a value is always an observable entity', () => {
  const tags = new Map<string, string>(Object.values(snomed).map((c) => [c.code, c.semanticTag]));
  fc.assert(
    fc.property(steps, (step) => {
      const codes = codesForStep(step).map((c) => c.code);
      assert.equal(new Set(codes).size, codes.length);
      for (const c of codesForStep(step)) {
        assert.equal(c.value !== undefined, tags.get(c.code) === 'observable entity', c.code);
      }
    }),
  );
});

test('the referrer sees their own steps always, and the service steps only with consent', () => {
  const own = ['smoking_status_at_referral', 'vba_given', 'referral_made', 'referral_declined'];
  for (const kind of STEP_KINDS) {
    assert.equal(referrerMaySeeStep(kind, true), true, kind);
    assert.equal(referrerMaySeeStep(kind, false), own.includes(kind), kind);
    assert.ok(STEP_LABELS[kind].length > 0);
  }
});
