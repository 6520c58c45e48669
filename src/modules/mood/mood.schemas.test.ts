import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionTakenText,
  answerRadios,
  answersOf,
  bandLabel,
  instrumentOf,
  readAnswer,
  readMoodForm,
  SafetyCompletionSchema,
} from './mood.schemas.ts';

const TODAY = '2025-06-15';
const date = { 'takenOn-day': '15', 'takenOn-month': '6', 'takenOn-year': '2025' };
const items = (values: readonly unknown[]) => Object.fromEntries(values.map((v, i) => [`item${i + 1}`, v]));
const opts = { today: TODAY, sessionIds: ['11111111-1111-4111-8111-111111111111'] };

test('answers are read as numbers when they are whole numbers, and kept as given otherwise', () => {
  assert.equal(readAnswer('2'), 2);
  assert.equal(readAnswer(' 0 '), 0);
  assert.equal(readAnswer('4'), 4, 'out of range is for the scorer to refuse');
  assert.equal(readAnswer(''), undefined);
  assert.equal(readAnswer(undefined), undefined);
  assert.equal(readAnswer('often'), 'often');
  assert.equal(readAnswer('1.5'), '1.5');
  assert.deepEqual(readAnswer(['1', '2']), ['1', '2'], 'two answers to one question is not an answer');
  assert.deepEqual(answersOf('gad7', items(['1', '', 'x'])), [
    1,
    undefined,
    'x',
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

test('a complete form is scored by mood.ts and keeps its date and session', () => {
  const r = readMoodForm(
    'phq9',
    { ...items(['0', '0', '0', '0', '0', '0', '0', '0', '1']), ...date, sessionId: opts.sessionIds[0] },
    opts,
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    instrument: 'phq9',
    items: [0, 0, 0, 0, 0, 0, 0, 0, 1],
    total: 1,
    takenOn: '2025-06-15',
    sessionId: opts.sessionIds[0],
  });
  const g = readMoodForm(
    'gad7',
    { ...items(['3', '3', '3', '3', '3', '3', '3']), ...date, sessionId: '' },
    opts,
  );
  assert.ok(g.ok);
  assert.equal(g.value.total, 21);
  assert.equal(g.value.sessionId, null);
});

test('each wrong answer gets its own message, linked to its question', () => {
  const r = readMoodForm(
    'phq9',
    { ...items(['4', '', 'often', '1', '1', '1', '1', '1', '-1']), ...date },
    opts,
  );
  assert.ok(!r.ok);
  assert.deepEqual(r.errors.list, [
    { text: 'PHQ-9 question 1: the answer must be 0, 1, 2 or 3', href: '#item1' },
    { text: 'Select an answer to PHQ-9 question 2', href: '#item2' },
    { text: 'PHQ-9 question 3: the answer must be 0, 1, 2 or 3', href: '#item3' },
    { text: 'PHQ-9 question 9: the answer must be 0, 1, 2 or 3', href: '#item9' },
  ]);
  assert.ok(r.errors.fields.item2);
});

test('the date must be given, real and not in the future; a session must be one of the episode’s', () => {
  const all = items(['1', '1', '1', '1', '1', '1', '1']);
  const msg = (body: Record<string, unknown>) => {
    const r = readMoodForm('gad7', body, opts);
    return r.ok ? null : r.errors.list.map((e) => `${e.href} ${e.text}`);
  };
  assert.deepEqual(msg(all), ['#takenOn-day Enter the date the questionnaire was completed']);
  assert.deepEqual(msg({ ...all, 'takenOn-day': '31', 'takenOn-month': '2', 'takenOn-year': '2025' }), [
    '#takenOn-day The date the questionnaire was completed must be a real date',
  ]);
  assert.deepEqual(msg({ ...all, 'takenOn-day': '16', 'takenOn-month': '6', 'takenOn-year': '2025' }), [
    '#takenOn-day The date the questionnaire was completed cannot be in the future',
  ]);
  assert.deepEqual(msg({ ...all, 'takenOn-day': '1', 'takenOn-month': '1', 'takenOn-year': '25' }), [
    '#takenOn-day The date the questionnaire was completed must be a real date',
  ]);
  assert.deepEqual(msg({ ...all, ...date, sessionId: 'not-one-of-ours' }), [
    '#sessionId Select one of this episode’s sessions, or none',
  ]);
  assert.equal(msg({ ...all, ...date }), null);
});

test('radios keep the answer given, and an empty answer never reads as "Not at all"', () => {
  assert.deepEqual(
    answerRadios('2').map((r) => r.checked),
    [false, false, true, false],
  );
  assert.deepEqual(
    answerRadios('').map((r) => r.checked),
    [false, false, false, false],
  );
  assert.deepEqual(
    answerRadios(undefined).map((r) => r.checked),
    [false, false, false, false],
  );
  assert.deepEqual(
    answerRadios('4').map((r) => r.checked),
    [false, false, false, false],
  );
  assert.deepEqual(answerRadios('0').map((r) => [r.value, r.text, r.checked])[0], ['0', 'Not at all', true]);
});

test('instruments and bands', () => {
  assert.equal(instrumentOf('phq9'), 'phq9');
  assert.equal(instrumentOf('gad7'), 'gad7');
  assert.equal(instrumentOf(['phq9']), undefined);
  assert.equal(instrumentOf('PHQ9'), undefined);
  assert.equal(bandLabel('phq9', 10), 'Moderate (10 to 14)');
  assert.equal(bandLabel('gad7', 15), 'Severe (15 to 21)');
});

test('completing a safety task needs both answers, each 2000 characters or fewer', () => {
  const r = SafetyCompletionSchema.safeParse({ actionTaken: '   ', contacted: undefined });
  assert.ok(!r.success);
  assert.deepEqual(
    r.error.issues.map((i) => i.path[0]),
    ['actionTaken', 'contacted'],
  );
  assert.ok(!SafetyCompletionSchema.safeParse({ actionTaken: 'x'.repeat(2001), contacted: 'GP' }).success);
  const ok = SafetyCompletionSchema.parse({ actionTaken: ' Asked directly. ', contacted: 'GP' });
  assert.equal(actionTakenText(ok), 'Asked directly.\n\nWho was contacted: GP');
});
