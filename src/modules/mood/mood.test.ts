import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ANSWER_OPTIONS,
  GAD7_ITEMS,
  PHQ9_ITEMS,
  describeMoodChange,
  gad7Band,
  isAtCaseness,
  needsSafetyResponse,
  phq9Band,
  recovery,
  unpairedMeasures,
  reliableChange,
  scoreGad7,
  scorePhq9,
} from './mood.ts';
import { DEFAULT_MOOD_THRESHOLDS, type MoodThresholds } from '../../config.ts';

/** Answers adding up to `total`, filling from the first item, each 0 to 3. */
const answersFor = (total: number, count: number) =>
  Array.from({ length: count }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));

test('the questionnaires have the published number of items and answers', () => {
  assert.equal(PHQ9_ITEMS.length, 9);
  assert.equal(GAD7_ITEMS.length, 7);
  assert.equal(
    PHQ9_ITEMS[8],
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  );
  assert.deepEqual(
    ANSWER_OPTIONS.map((o) => [o.value, o.label]),
    [
      [0, 'Not at all'],
      [1, 'Several days'],
      [2, 'More than half the days'],
      [3, 'Nearly every day'],
    ],
  );
});

test('PHQ-9 bands at every boundary', () => {
  const expected: [number, string][] = [
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ];
  for (const [total, band] of expected) {
    assert.equal(phq9Band(total), band, `total ${total}`);
    const scored = scorePhq9(answersFor(total, 9));
    assert.ok(scored.ok);
    assert.equal(scored.total, total);
    assert.equal(scored.band, band);
  }
  const top = scorePhq9(answersFor(27, 9));
  assert.ok(top.ok);
  assert.equal(top.label, 'Severe (20 to 27)');
});

test('GAD-7 bands at every boundary', () => {
  const expected: [number, string][] = [
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ];
  for (const [total, band] of expected) {
    assert.equal(gad7Band(total), band, `total ${total}`);
    const scored = scoreGad7(answersFor(total, 7));
    assert.ok(scored.ok);
    assert.equal(scored.total, total);
    assert.equal(scored.band, band);
  }
  const mild = scoreGad7(answersFor(5, 7));
  assert.ok(mild.ok);
  assert.equal(mild.label, 'Mild (5 to 9)');
});

test('a questionnaire with the wrong number of answers is not scored', () => {
  for (const items of [[], answersFor(5, 8), answersFor(5, 10)]) {
    const scored = scorePhq9(items);
    assert.equal(scored.ok, false);
    assert.ok(!scored.ok && scored.errors[0]?.startsWith('PHQ-9 needs an answer to all 9 questions'));
  }
  const gad = scoreGad7(answersFor(5, 6));
  assert.ok(!gad.ok);
  assert.deepEqual(gad.errors, ['GAD-7 needs an answer to all 7 questions (got 6)']);
  assert.equal(scoreGad7(answersFor(5, 9)).ok, false, 'a PHQ-9 is not a GAD-7');
});

test('answers must be whole numbers 0 to 3; each bad one is named', () => {
  const scored = scorePhq9([0, 1, 4, 2, -1, 1.5, Number.NaN, '2', null]);
  assert.ok(!scored.ok);
  assert.deepEqual(scored.errors, [
    'PHQ-9 question 3: the answer must be 0, 1, 2 or 3',
    'PHQ-9 question 5: the answer must be 0, 1, 2 or 3',
    'PHQ-9 question 6: the answer must be 0, 1, 2 or 3',
    'PHQ-9 question 7: the answer must be 0, 1, 2 or 3',
    'PHQ-9 question 8: the answer must be 0, 1, 2 or 3',
    'PHQ-9 question 9: the answer must be 0, 1, 2 or 3',
  ]);
  const gad = scoreGad7([0, 0, 0, 0, 0, 0, undefined]);
  assert.ok(!gad.ok);
  assert.deepEqual(gad.errors, ['GAD-7 question 7: the answer must be 0, 1, 2 or 3']);
});

test('item 9 above 0 needs a safety response whatever the total, even a total of 1', () => {
  const onlyItem9 = [0, 0, 0, 0, 0, 0, 0, 0, 1];
  const scored = scorePhq9(onlyItem9);
  assert.ok(scored.ok);
  assert.equal(scored.total, 1);
  assert.equal(scored.band, 'minimal');
  assert.equal(needsSafetyResponse(onlyItem9), true);
  for (const answer of [1, 2, 3]) assert.equal(needsSafetyResponse([3, 3, 3, 3, 3, 3, 3, 3, answer]), true);
});

test('item 9 at 0 needs no safety response, however high the total', () => {
  assert.equal(needsSafetyResponse([3, 3, 3, 3, 3, 3, 3, 3, 0]), false);
  assert.equal(needsSafetyResponse([0, 0, 0, 0, 0, 0, 0, 0, 0]), false);
});

test('a safety response is not hidden by a form that fails validation elsewhere', () => {
  assert.equal(needsSafetyResponse([0, 9, 0, 0, 0, 0, 0, 0, 2]), true);
  assert.equal(needsSafetyResponse([null, null, null, null, null, null, null, null, 1]), true);
  assert.equal(
    needsSafetyResponse([0, 0, 0, 0, 0, 0, 0, 0, 2, 0]),
    true,
    'an extra answer does not move item 9',
  );
  assert.equal(needsSafetyResponse([0, 0, 0]), false, 'item 9 not answered');
});

test('property: the safety rule depends on item 9 alone', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (items) => {
      assert.equal(needsSafetyResponse(items), items[8]! > 0);
    }),
  );
});

test('property: any nine valid answers score their sum, in the band for that sum', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (items) => {
      const scored = scorePhq9(items);
      assert.ok(scored.ok);
      assert.equal(
        scored.total,
        items.reduce((a, b) => a + b, 0),
      );
      assert.ok(scored.total >= 0 && scored.total <= 27);
      assert.equal(scored.band, phq9Band(scored.total));
    }),
  );
});

test('caseness: PHQ-9 at least 10 or GAD-7 at least 8', () => {
  assert.equal(isAtCaseness({ phq9: 9, gad7: 7 }), false);
  assert.equal(isAtCaseness({ phq9: 10, gad7: 0 }), true);
  assert.equal(isAtCaseness({ phq9: 0, gad7: 8 }), true);
  assert.equal(isAtCaseness({ phq9: 9, gad7: null }), false);
  assert.equal(isAtCaseness({ phq9: null, gad7: 8 }), true);
  assert.equal(isAtCaseness({ phq9: null, gad7: null }), false);
});

test('caseness thresholds are configuration', () => {
  const stricter: MoodThresholds = { ...DEFAULT_MOOD_THRESHOLDS, caseness: { phq9: 12, gad7: 10 } };
  assert.equal(isAtCaseness({ phq9: 11, gad7: 9 }, stricter), false);
  assert.equal(isAtCaseness({ phq9: 12, gad7: 0 }, stricter), true);
  assert.deepEqual(DEFAULT_MOOD_THRESHOLDS, {
    caseness: { phq9: 10, gad7: 8 },
    reliableChange: { phq9: 6, gad7: 4 },
  });
});

test('reliable change: PHQ-9 by 6, GAD-7 by 4, either way', () => {
  assert.deepEqual(reliableChange({ phq9: 14, gad7: 10 }, { phq9: 8, gad7: 7 }), {
    phq9: 'improved',
    gad7: 'no_reliable_change',
    overall: 'reliable_improvement',
  });
  assert.equal(
    reliableChange({ phq9: 14, gad7: null }, { phq9: 9, gad7: null }).phq9,
    'no_reliable_change',
    'down 5',
  );
  assert.equal(reliableChange({ phq9: null, gad7: 10 }, { phq9: null, gad7: 6 }).gad7, 'improved', 'down 4');
  assert.equal(
    reliableChange({ phq9: null, gad7: 10 }, { phq9: null, gad7: 7 }).gad7,
    'no_reliable_change',
    'down 3',
  );
  assert.equal(reliableChange({ phq9: 4, gad7: 3 }, { phq9: 10, gad7: 7 }).overall, 'reliable_deterioration');
  assert.equal(reliableChange({ phq9: 4, gad7: 3 }, { phq9: 9, gad7: 6 }).overall, 'no_reliable_change');
});

test('one measure better and the other reliably worse is a reliable deterioration (Talking Therapies)', () => {
  const change = reliableChange({ phq9: 20, gad7: 2 }, { phq9: 10, gad7: 10 });
  assert.equal(change.phq9, 'improved');
  assert.equal(change.gad7, 'deteriorated');
  assert.equal(change.overall, 'reliable_deterioration');
});

test('reliable improvement needs both questionnaires paired; a reliable rise on one pair is enough to say deterioration', () => {
  // PHQ-9 fell by 8, GAD-7 was never taken twice: the GAD-7 may have risen, so improvement cannot be said.
  assert.deepEqual(reliableChange({ phq9: 14, gad7: null }, { phq9: 6, gad7: 12 }), {
    phq9: 'improved',
    gad7: null,
    overall: 'not_enough_data',
  });
  assert.equal(reliableChange({ phq9: 14, gad7: null }, { phq9: 6, gad7: null }).overall, 'not_enough_data');
  assert.equal(
    reliableChange({ phq9: 4, gad7: null }, { phq9: 12, gad7: 3 }).overall,
    'reliable_deterioration',
  );
  assert.equal(
    reliableChange({ phq9: null, gad7: 2 }, { phq9: 20, gad7: 9 }).overall,
    'reliable_deterioration',
  );
});

test('change needs the same measure at both points', () => {
  assert.deepEqual(reliableChange({ phq9: 20, gad7: null }, { phq9: null, gad7: 2 }), {
    phq9: null,
    gad7: null,
    overall: 'not_enough_data',
  });
  assert.equal(recovery({ phq9: 20, gad7: null }, { phq9: null, gad7: 2 }), 'not_enough_data');
  assert.equal(
    describeMoodChange({ phq9: 20, gad7: null }, { phq9: null, gad7: 2 }),
    'There are not yet two scores to compare.',
  );
});

test('reliable change thresholds are configuration', () => {
  const t: MoodThresholds = { ...DEFAULT_MOOD_THRESHOLDS, reliableChange: { phq9: 5, gad7: 5 } };
  assert.equal(reliableChange({ phq9: 14, gad7: 10 }, { phq9: 9, gad7: 6 }, t).phq9, 'improved');
  assert.equal(reliableChange({ phq9: 14, gad7: 10 }, { phq9: 9, gad7: 6 }, t).gad7, 'no_reliable_change');
  assert.equal(
    reliableChange({ phq9: 14, gad7: 10 }, { phq9: 9, gad7: 6 }, t).overall,
    'reliable_improvement',
  );
  assert.equal(
    reliableChange({ phq9: 14, gad7: 10 }, { phq9: 10, gad7: 6 }, t).overall,
    'no_reliable_change',
  );
});

test('recovery: at caseness on either at the start, below caseness on both at the latest', () => {
  assert.equal(recovery({ phq9: 14, gad7: 9 }, { phq9: 9, gad7: 7 }), 'recovered');
  assert.equal(recovery({ phq9: 14, gad7: 9 }, { phq9: 9, gad7: 8 }), 'not_recovered', 'GAD-7 still at 8');
  assert.equal(recovery({ phq9: 14, gad7: 9 }, { phq9: 10, gad7: 2 }), 'not_recovered', 'PHQ-9 still at 10');
  assert.equal(recovery({ phq9: 3, gad7: 2 }, { phq9: 3, gad7: 9 }), 'not_at_caseness_at_start');
  assert.equal(recovery({ phq9: 9, gad7: 7 }, { phq9: 2, gad7: 1 }), 'not_at_caseness_at_start');
  assert.equal(
    recovery({ phq9: 4, gad7: 8 }, { phq9: 4, gad7: 7 }),
    'recovered',
    'at caseness on GAD-7 only',
  );
});

test('recovery needs both questionnaires at the start and at the latest point (the paired rule)', () => {
  // The finding: PHQ-9 14 then 6, GAD-7 only at the end, 12. That is no recovery: GAD-7 is at caseness now.
  assert.equal(recovery({ phq9: 14, gad7: null }, { phq9: 6, gad7: 12 }), 'not_enough_data');
  // Nor can a GAD-7 taken only at the start be ignored.
  assert.equal(recovery({ phq9: 12, gad7: 15 }, { phq9: 6, gad7: null }), 'not_enough_data');
  assert.equal(recovery({ phq9: 10, gad7: null }, { phq9: 9, gad7: null }), 'not_enough_data');
  assert.deepEqual(unpairedMeasures({ phq9: 14, gad7: null }, { phq9: 6, gad7: 12 }), ['GAD-7']);
  assert.deepEqual(unpairedMeasures({ phq9: null, gad7: null }, { phq9: 6, gad7: 12 }), ['PHQ-9', 'GAD-7']);
  assert.deepEqual(unpairedMeasures({ phq9: 1, gad7: 2 }, { phq9: 6, gad7: 12 }), []);
});

const score = (max: number) => fc.option(fc.integer({ min: 0, max }), { nil: null });
const scores = fc.record({ phq9: score(27), gad7: score(21) });

test('property: recovery is said only with both paired, and never beside a latest score at caseness', () => {
  fc.assert(
    fc.property(scores, scores, (start, now) => {
      const r = recovery(start, now);
      const both = start.phq9 !== null && start.gad7 !== null && now.phq9 !== null && now.gad7 !== null;
      assert.equal(r === 'not_enough_data', !both);
      if (r === 'recovered') {
        assert.ok(isAtCaseness(start), 'at caseness at the start');
        assert.equal(isAtCaseness(now), false, 'below caseness on both now');
      }
      if (r === 'not_recovered') assert.ok(isAtCaseness(start) && isAtCaseness(now));
      if (r === 'not_at_caseness_at_start') assert.equal(isAtCaseness(start), false);
    }),
  );
});

test('property: reliable improvement and deterioration never contradict the measures', () => {
  fc.assert(
    fc.property(scores, scores, (start, now) => {
      const c = reliableChange(start, now);
      const per = [c.phq9, c.gad7];
      if (c.overall === 'reliable_improvement') {
        assert.ok(per.includes('improved') && !per.includes('deteriorated') && !per.includes(null));
      }
      assert.equal(c.overall === 'reliable_deterioration', per.includes('deteriorated'));
      if (c.overall === 'no_reliable_change')
        assert.deepEqual(per, ['no_reliable_change', 'no_reliable_change']);
    }),
  );
});

test('describing a reliable improvement', () => {
  assert.equal(
    describeMoodChange({ phq9: 14, gad7: null }, { phq9: 6, gad7: null }),
    'Your PHQ-9 score has gone down from 14 to 6. That is a reliable improvement in mood.',
  );
  assert.equal(
    describeMoodChange({ phq9: null, gad7: 12 }, { phq9: null, gad7: 8 }),
    'Your GAD-7 score has gone down from 12 to 8. That is a reliable improvement in anxiety.',
  );
});

test('describing a small fall, no change and a rise, kindly', () => {
  assert.match(
    describeMoodChange({ phq9: 14, gad7: null }, { phq9: 11, gad7: null }),
    /^Your PHQ-9 score has gone down from 14 to 11\. That is a step in the right direction/,
  );
  assert.equal(
    describeMoodChange({ phq9: 8, gad7: null }, { phq9: 8, gad7: null }),
    'Your PHQ-9 score is the same as at the start (8).',
  );
  assert.equal(
    describeMoodChange({ phq9: 8, gad7: null }, { phq9: 10, gad7: null }),
    'Your PHQ-9 score has gone up from 8 to 10. That is a small change, within the usual ups and downs.',
  );
  const worse = describeMoodChange({ phq9: null, gad7: 5 }, { phq9: null, gad7: 9 });
  assert.match(worse, /^Your GAD-7 score has gone up from 5 to 9\. /);
  assert.match(worse, /talking through with your adviser: there is support that can help\.$/);
});

test('both measures are described, PHQ-9 first', () => {
  assert.equal(
    describeMoodChange({ phq9: 14, gad7: 10 }, { phq9: 6, gad7: 10 }),
    'Your PHQ-9 score has gone down from 14 to 6. That is a reliable improvement in mood. Your GAD-7 score is the same as at the start (10).',
  );
});

test('property: sentences never label the person', () => {
  fc.assert(
    fc.property(score(27), score(21), score(27), score(21), (p1, g1, p2, g2) => {
      const text = describeMoodChange({ phq9: p1, gad7: g1 }, { phq9: p2, gad7: g2 });
      assert.doesNotMatch(text, /depressed|anxious|severe|disorder|fail|worse|bad/i);
      assert.ok(text.endsWith('.'));
    }),
  );
});
