import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays } from '../../platform/dates.ts';
import { addYears } from '../partners/training.ts';
import { markCheck, PASS_MARK, QUESTIONS, trainingOfferOn, type Question } from './vba-check.ts';

const RIGHT = Object.fromEntries(QUESTIONS.map((q) => [q.id, q.answer]));
const wrongOf = (q: Question) => q.options.find((o) => o.value !== q.answer)!.value;

test('the check has five questions, each with one right answer among its options and an explanation', () => {
  assert.equal(QUESTIONS.length, 5);
  assert.equal(new Set(QUESTIONS.map((q) => q.id)).size, QUESTIONS.length, 'question ids are unique');
  for (const q of QUESTIONS) {
    assert.ok(q.options.length >= 3, `${q.id} offers at least three answers`);
    assert.equal(new Set(q.options.map((o) => o.value)).size, q.options.length, `${q.id} values unique`);
    assert.equal(q.options.filter((o) => o.value === q.answer).length, 1, `${q.id} has its answer`);
    assert.ok(q.explanation.length > 40, `${q.id} explains its answer`);
  }
  assert.equal(PASS_MARK, 4);
});

test('the answer key: the right answers score 5 of 5 and pass', () => {
  assert.deepEqual(markCheck(RIGHT), {
    kind: 'marked',
    score: 5,
    total: 5,
    passed: true,
    marks: QUESTIONS.map((q) => ({ id: q.id, chosen: q.answer, right: true })),
  });
  // The key itself, so a change to an answer is a deliberate change here too.
  assert.deepEqual(RIGHT, {
    steps: 'ask-advise-act',
    readiness: 'advise-all',
    calms: 'better',
    low: 'kindly',
    refer: 'mortar',
  });
});

test('four right passes; three right fails; every wrong answer is marked wrong', () => {
  const oneWrong = { ...RIGHT, calms: 'worse' };
  const r4 = markCheck(oneWrong);
  assert.ok(r4.kind === 'marked' && r4.score === 4 && r4.passed);
  assert.deepEqual(
    r4.marks.filter((m) => !m.right),
    [{ id: 'calms', chosen: 'worse', right: false }],
  );
  const r3 = markCheck({ ...oneWrong, low: 'wait' });
  assert.ok(r3.kind === 'marked' && r3.score === 3 && !r3.passed);
  const r0 = markCheck(Object.fromEntries(QUESTIONS.map((q) => [q.id, wrongOf(q)])));
  assert.ok(r0.kind === 'marked' && r0.score === 0 && !r0.passed);
});

test('an attempt with a question left out, or an answer that is not one of its options, is not marked', () => {
  assert.deepEqual(markCheck({}), { kind: 'unanswered', missing: QUESTIONS.map((q) => q.id) });
  const { low: _low, ...noLow } = RIGHT;
  assert.deepEqual(markCheck(noLow), { kind: 'unanswered', missing: ['low'] });
  // Another question's value, an empty string, an array (a tampered form) and a number count as unanswered.
  for (const bad of ['mortar', '', ['kindly', 'wait'], 3, null])
    assert.deepEqual(markCheck({ ...RIGHT, low: bad }), { kind: 'unanswered', missing: ['low'] });
  // Values sent for questions that do not exist are ignored.
  const extra = markCheck({ ...RIGHT, other: 'x', __proto__: 'y' });
  assert.ok(extra.kind === 'marked' && extra.score === 5);
});

test('property: the score is the count of right answers, and it passes exactly when it reaches the mark', () => {
  const attempt = fc.tuple(...QUESTIONS.map((q) => fc.constantFrom(...q.options.map((o) => o.value))));
  fc.assert(
    fc.property(attempt, fc.integer({ min: 0, max: QUESTIONS.length }), (values, mark) => {
      const answers = Object.fromEntries(QUESTIONS.map((q, i) => [q.id, values[i]]));
      const r = markCheck(answers, QUESTIONS, mark);
      assert.equal(r.kind, 'marked');
      if (r.kind !== 'marked') return;
      const right = QUESTIONS.filter((q, i) => values[i] === q.answer).length;
      assert.equal(r.score, right);
      assert.equal(r.total, QUESTIONS.length);
      assert.equal(r.passed, right >= mark);
      assert.deepEqual(
        r.marks.map((m) => m.chosen),
        values,
      );
    }),
  );
});

test('property: changing one answer from wrong to right raises the score by one and never turns a pass into a fail', () => {
  const attempt = fc.tuple(...QUESTIONS.map((q) => fc.constantFrom(...q.options.map((o) => o.value))));
  fc.assert(
    fc.property(attempt, fc.nat({ max: QUESTIONS.length - 1 }), (values, i) => {
      const q = QUESTIONS[i]!;
      fc.pre(values[i] !== q.answer);
      const before = markCheck(Object.fromEntries(QUESTIONS.map((x, j) => [x.id, values[j]])));
      const after = markCheck(
        Object.fromEntries(QUESTIONS.map((x, j) => [x.id, j === i ? q.answer : values[j]])),
      );
      assert.ok(before.kind === 'marked' && after.kind === 'marked');
      assert.equal(after.score, before.score + 1);
      assert.ok(!before.passed || after.passed);
    }),
  );
});

test('the offer: take it when never passed; nothing while the pass is current; renew once it lapses', () => {
  const today = '2026-03-10';
  assert.equal(trainingOfferOn(null, today), 'take');
  assert.equal(trainingOfferOn(today, today), null, 'passed today');
  assert.equal(trainingOfferOn(addDays(addYears(today, -2), 1), today), null, 'a day short of two years');
  assert.equal(trainingOfferOn(addYears(today, -2), today), 'renew', 'two years ago: due today');
  assert.equal(trainingOfferOn('2020-01-01', today), 'renew');
  // 29 February: renewal is due on 28 February two years on, as the workforce counts it.
  assert.equal(trainingOfferOn('2024-02-29', '2026-02-27'), null);
  assert.equal(trainingOfferOn('2024-02-29', '2026-02-28'), 'renew');
});
