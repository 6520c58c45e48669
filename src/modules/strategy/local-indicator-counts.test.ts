import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  COUNT_CODES,
  COUNTS,
  countOf,
  denominatorsFor,
  isCountCode,
  pairingProblem,
  type CountCode,
  type Trait,
} from './local-indicator-counts.ts';

// A local indicator divides one count by another. The pairing rule must accept a pair exactly when every
// record the numerator counts is also counted by the denominator, so its rate is a share of people and
// never passes 100%. The records below are what the counts are about, with what each trait means.

type Referral = { base: 'referrals'; source: 'tt' | 'community' | 'other'; contacted: boolean };
type Episode = {
  base: 'episodes';
  cmhc: boolean;
  outcome: 'quit_co_verified' | 'quit_self_reported' | 'not_quit' | 'lost_to_follow_up' | 'pending';
};
type Item = Referral | Episode;

const HAS: Record<Trait, (r: Item) => boolean> = {
  tt: (r) => r.base === 'referrals' && r.source === 'tt',
  community: (r) => r.base === 'referrals' && r.source === 'community',
  contacted: (r) => r.base === 'referrals' && r.contacted,
  cmhc: (r) => r.base === 'episodes' && r.cmhc,
  not_cmhc: (r) => r.base === 'episodes' && !r.cmhc,
  quit: (r) =>
    r.base === 'episodes' && (r.outcome === 'quit_co_verified' || r.outcome === 'quit_self_reported'),
  co: (r) => r.base === 'episodes' && r.outcome === 'quit_co_verified',
  pending: (r) => r.base === 'episodes' && r.outcome === 'pending',
};

const counted = (code: CountCode, r: Item) => {
  const c = countOf(code);
  return c.base === r.base && c.traits.every((t) => HAS[t](r));
};

// Every kind of record there can be.
const EVERY_ITEM: Item[] = [
  ...(['tt', 'community', 'other'] as const).flatMap((source) =>
    [true, false].map((contacted): Item => ({ base: 'referrals', source, contacted })),
  ),
  ...[true, false].flatMap((cmhc) =>
    (['quit_co_verified', 'quit_self_reported', 'not_quit', 'lost_to_follow_up', 'pending'] as const).map(
      (outcome): Item => ({ base: 'episodes', cmhc, outcome }),
    ),
  ),
];

const itemArb: fc.Arbitrary<Item> = fc.constantFrom(...EVERY_ITEM);
const codeArb = fc.constantFrom(...COUNT_CODES);

describe('the list of counts', () => {
  test('each count once, with a label and a plain-English description, in the order of COUNT_CODES', () => {
    assert.deepEqual(
      COUNTS.map((c) => c.code),
      [...COUNT_CODES],
    );
    assert.equal(new Set(COUNTS.map((c) => c.label)).size, COUNTS.length, 'labels are distinct');
    for (const c of COUNTS) {
      assert.ok(c.label.length > 5 && c.description.length > 20, c.code);
      assert.ok(c.description.includes('quarter'), `${c.code} says which quarter it counts in`);
    }
    assert.ok(isCountCode('quits_cmhc'));
    assert.ok(!isCountCode('cmhc_quit_rate'), 'a national indicator is not a count');
    assert.ok(!isCountCode(undefined));
  });

  test('no two counts count the same records (else a pair of them would be a rate of 100% always)', () => {
    for (const a of COUNT_CODES)
      for (const b of COUNT_CODES) {
        if (a === b) continue;
        assert.ok(
          EVERY_ITEM.some((r) => counted(a, r) !== counted(b, r)),
          `${a} and ${b} count the same records`,
        );
      }
  });

  test('every count counts some record', () => {
    for (const code of COUNT_CODES)
      assert.ok(
        EVERY_ITEM.some((r) => counted(code, r)),
        code,
      );
  });
});

describe('the pairing rule', () => {
  test('accepts a pair exactly when every record in the numerator is in the denominator', () => {
    for (const n of COUNT_CODES)
      for (const d of COUNT_CODES) {
        const subset = EVERY_ITEM.every((r) => !counted(n, r) || counted(d, r));
        const accepted = pairingProblem(n, d) === null;
        assert.equal(accepted, n !== d && subset, `${n} over ${d}`);
      }
  });

  test('on any records, an accepted pair gives a numerator no larger than its denominator', () => {
    fc.assert(
      fc.property(codeArb, codeArb, fc.array(itemArb, { maxLength: 60 }), (n, d, items) => {
        fc.pre(pairingProblem(n, d) === null);
        const top = items.filter((r) => counted(n, r)).length;
        const bottom = items.filter((r) => counted(d, r)).length;
        assert.ok(top <= bottom, `${n} ${top} over ${d} ${bottom}`);
      }),
      { seed: 20260428, numRuns: 400 },
    );
  });

  test('a refused pair has records that would put its rate above 100%, or counts different people', () => {
    fc.assert(
      fc.property(codeArb, codeArb, (n, d) => {
        const problem = pairingProblem(n, d);
        fc.pre(problem !== null && n !== d);
        assert.equal(problem!.field, 'denominator');
        const witness = EVERY_ITEM.find((r) => counted(n, r) && !counted(d, r));
        assert.ok(witness, `${n} over ${d} was refused with no record to show why`);
      }),
      { seed: 20260429, numRuns: 300 },
    );
  });

  test('the same count twice is refused with its own message', () => {
    assert.deepEqual(pairingProblem('quits', 'quits'), {
      field: 'denominator',
      message: 'Choose a denominator that is different from the numerator',
    });
  });

  test('messages say why in plain words', () => {
    assert.match(pairingProblem('quits', 'referrals')!.message, /not the same people/);
    assert.match(
      pairingProblem('quits_cmhc', 'quits_other')!.message,
      /Not everyone counted in quit at four weeks: depression or anxiety is counted in/,
    );
  });

  test('the rates the national indicators are built from are all allowed', () => {
    assert.equal(pairingProblem('quits_cmhc', 'quit_dates_cmhc'), null);
    assert.equal(pairingProblem('quits_other', 'quit_dates_other'), null);
    assert.equal(pairingProblem('co_verified', 'quits'), null);
    assert.deepEqual(denominatorsFor('co_verified_cmhc'), [
      'quit_dates',
      'quit_dates_cmhc',
      'quits',
      'quits_cmhc',
      'co_verified',
    ]);
    assert.deepEqual(denominatorsFor('referrals'), []);
  });
});
