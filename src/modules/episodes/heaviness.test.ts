import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  HEAVINESS_LABELS,
  TIME_TO_FIRST_CIGARETTE,
  cigarettesPerDayScore,
  heavinessLevel,
  heavinessOfSmokingIndex,
  timeToFirstCigaretteCode,
  timeToFirstCigaretteScore,
  type TimeToFirstCigarette,
} from './heaviness.ts';

test('cigarettes a day at every boundary', () => {
  const expected: [number, number][] = [
    [0, 0],
    [1, 0],
    [10, 0],
    [11, 1],
    [20, 1],
    [21, 2],
    [30, 2],
    [31, 3],
    [60, 3],
  ];
  for (const [cpd, score] of expected) assert.equal(cigarettesPerDayScore(cpd), score, `${cpd} a day`);
});

test('time to first cigarette: codes, labels and scores', () => {
  assert.deepEqual(Object.keys(TIME_TO_FIRST_CIGARETTE), ['within_5', '6_to_30', '31_to_60', 'after_60']);
  assert.equal(TIME_TO_FIRST_CIGARETTE.within_5, 'Within 5 minutes');
  assert.equal(TIME_TO_FIRST_CIGARETTE.after_60, 'After 60 minutes');
  assert.equal(timeToFirstCigaretteScore('within_5'), 3);
  assert.equal(timeToFirstCigaretteScore('6_to_30'), 2);
  assert.equal(timeToFirstCigaretteScore('31_to_60'), 1);
  assert.equal(timeToFirstCigaretteScore('after_60'), 0);
});

test('minutes to a time band at every boundary', () => {
  const expected: [number, TimeToFirstCigarette][] = [
    [0, 'within_5'],
    [5, 'within_5'],
    [6, '6_to_30'],
    [30, '6_to_30'],
    [31, '31_to_60'],
    [60, '31_to_60'],
    [61, 'after_60'],
    [240, 'after_60'],
  ];
  for (const [minutes, code] of expected)
    assert.equal(timeToFirstCigaretteCode(minutes), code, `${minutes} minutes`);
});

test('index levels at every boundary', () => {
  const expected: [number, string][] = [
    [0, 'low'],
    [1, 'low'],
    [2, 'moderate'],
    [4, 'moderate'],
    [5, 'high'],
    [6, 'high'],
  ];
  for (const [score, level] of expected) assert.equal(heavinessLevel(score), level, `score ${score}`);
  assert.equal(HEAVINESS_LABELS.moderate, 'Moderate (2 to 4)');
});

test('the index adds the two scores', () => {
  assert.deepEqual(heavinessOfSmokingIndex({ cigarettesPerDay: 10, timeToFirstCigarette: 'after_60' }), {
    ok: true,
    score: 0,
    cigarettesScore: 0,
    timeScore: 0,
    level: 'low',
    label: 'Low (0 to 1)',
  });
  const r = heavinessOfSmokingIndex({ cigarettesPerDay: 11, timeToFirstCigarette: '31_to_60' });
  assert.ok(r.ok);
  assert.equal(r.score, 2);
  assert.equal(r.level, 'moderate');
  const top = heavinessOfSmokingIndex({ cigarettesPerDay: 31, timeToFirstCigarette: 'within_5' });
  assert.ok(top.ok);
  assert.equal(top.score, 6);
  assert.equal(top.level, 'high');
  const five = heavinessOfSmokingIndex({ cigarettesPerDay: 21, timeToFirstCigarette: 'within_5' });
  assert.ok(five.ok && five.score === 5 && five.level === 'high');
  const four = heavinessOfSmokingIndex({ cigarettesPerDay: 20, timeToFirstCigarette: 'within_5' });
  assert.ok(four.ok && four.score === 4 && four.level === 'moderate');
});

test('answers that cannot be scored are refused with plain reasons, each naming its question', () => {
  for (const cpd of [-1, 2.5, Number.NaN, '20', null, 201]) {
    const r = heavinessOfSmokingIndex({ cigarettesPerDay: cpd, timeToFirstCigarette: 'within_5' });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors,
      [{ field: 'cigarettesPerDay', message: 'Cigarettes a day must be a whole number from 0 to 200' }],
      String(cpd),
    );
  }
  const both = heavinessOfSmokingIndex({ cigarettesPerDay: -3, timeToFirstCigarette: '5' });
  assert.ok(!both.ok);
  assert.deepEqual(
    both.errors.map((e) => e.field),
    ['cigarettesPerDay', 'timeToFirstCigarette'],
  );
  assert.equal(both.errors[1]?.message, 'Choose how soon after waking the person has their first cigarette');
  assert.equal(heavinessOfSmokingIndex({ cigarettesPerDay: 5, timeToFirstCigarette: 'toString' }).ok, false);
});

test('property: the index is 0 to 6 and never falls as smoking gets heavier', () => {
  const codes = Object.keys(TIME_TO_FIRST_CIGARETTE) as TimeToFirstCigarette[];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 199 }), fc.integer({ min: 0, max: 3 }), (cpd, i) => {
      const code = codes[i]!;
      const r = heavinessOfSmokingIndex({ cigarettesPerDay: cpd, timeToFirstCigarette: code });
      const more = heavinessOfSmokingIndex({ cigarettesPerDay: cpd + 1, timeToFirstCigarette: code });
      assert.ok(r.ok && more.ok);
      assert.ok(r.score >= 0 && r.score <= 6);
      assert.ok(more.score >= r.score);
      if (i > 0) {
        const sooner = heavinessOfSmokingIndex({
          cigarettesPerDay: cpd,
          timeToFirstCigarette: codes[i - 1]!,
        });
        assert.ok(sooner.ok && sooner.score > r.score);
      }
    }),
  );
});
