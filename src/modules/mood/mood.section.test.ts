import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SAFETY_PROTOCOL, loadConfig } from '../../config.ts';
import { buildMoodSection } from './mood.section.ts';
import { DEFAULT_MOOD_THRESHOLDS } from '../../config.ts';

const config = { moodThresholds: DEFAULT_MOOD_THRESHOLDS, safetyProtocol: DEFAULT_SAFETY_PROTOCOL };
const episode = { id: '00000000-0000-4000-8000-000000000001', given_name: 'Robin' };
let n = 0;
const M = (instrument: 'phq9' | 'gad7', taken_on: string, total: number) => ({
  id: `m${++n}`,
  instrument,
  taken_on,
  total,
  session_kind: null,
});
const task = (over: Partial<Parameters<typeof buildMoodSection>[2][number]> = {}) => ({
  id: `t${++n}`,
  raised_at: new Date('2025-01-10T10:00:00Z'),
  completed_at: null,
  action_taken: null,
  raised_by_name: 'Adam Clarke',
  completed_by_name: null,
  measure_taken_on: '2025-01-10',
  measure_items: [0, 0, 0, 0, 0, 0, 0, 0, 2],
  ...over,
});

test('no scores: nothing to compare and no chart', () => {
  const v = buildMoodSection(episode, [], [], config);
  assert.deepEqual(v.latest, []);
  assert.equal(v.change, null);
  assert.equal(v.chartSvg, '');
  assert.deepEqual(v.safety.open, []);
});

test('one score of each: latest with band and caseness, but no change yet', () => {
  const v = buildMoodSection(episode, [M('phq9', '2025-01-10', 10), M('gad7', '2025-01-10', 7)], [], config);
  assert.deepEqual(
    v.latest.map((l) => [l.name, l.total, l.band, l.casenessText, l.baseline]),
    [
      ['PHQ-9', 10, 'Moderate (10 to 14)', 'At caseness (10 or more)', null],
      ['GAD-7', 7, 'Mild (5 to 9)', 'Below caseness (under 8)', null],
    ],
  );
  assert.equal(v.change, null);
  assert.match(v.chartSvg, /role="img"/);
  assert.equal(v.rows.length, 2);
});

test('an improvement is said plainly, with reliable change and recovery from mood.ts', () => {
  const v = buildMoodSection(
    episode,
    [
      M('phq9', '2025-01-10', 15),
      M('gad7', '2025-01-10', 9),
      M('phq9', '2025-02-07', 7),
      M('gad7', '2025-02-07', 4),
    ],
    [],
    config,
  );
  assert.ok(v.change);
  assert.equal(v.change.improved, true);
  assert.equal(v.change.worse, false);
  assert.equal(v.change.reliableImprovement, true);
  assert.equal(v.change.recovered, true);
  assert.match(
    v.change.sentence,
    /^Your PHQ-9 score has gone down from 15 to 7\. That is a reliable improvement in mood\./,
  );
  assert.match(v.change.reliableChangeText ?? '', /^Reliable improvement/);
  assert.match(v.change.recoveryText ?? '', /^Recovered/);
  assert.deepEqual(v.latest[0]?.baseline, { total: 15, takenOn: '2025-01-10' });
});

test('only measures taken twice are compared: a lone GAD-7 does not count as change', () => {
  const v = buildMoodSection(
    episode,
    [M('phq9', '2025-01-10', 12), M('phq9', '2025-02-07', 12), M('gad7', '2025-02-07', 3)],
    [],
    config,
  );
  assert.ok(v.change);
  assert.equal(v.change.sentence, 'Your PHQ-9 score is the same as at the start (12).');
  assert.equal(v.change.improved, false);
  assert.equal(v.change.recoveryText, null);
  assert.match(v.change.notPairedText ?? '', /GAD-7 has not been taken at both points yet/);
});

test('the finding: PHQ-9 down and GAD-7 only at the end, at caseness, is never called recovered', () => {
  const v = buildMoodSection(
    episode,
    [M('phq9', '2025-01-10', 14), M('phq9', '2025-02-07', 6), M('gad7', '2025-02-07', 12)],
    [],
    config,
  );
  assert.ok(v.change);
  assert.equal(v.latest[1]?.casenessText, 'At caseness (8 or more)');
  assert.equal(v.change.recovered, false);
  assert.equal(v.change.recoveryText, null);
  assert.equal(v.change.reliableImprovement, false);
  assert.equal(v.change.reliableChangeText, null);
  assert.equal(
    v.change.notPairedText,
    'Recovery and reliable improvement are judged on PHQ-9 and GAD-7 both taken at the start and again later. GAD-7 has not been taken at both points yet.',
  );
});

test('thresholds come from configuration', () => {
  const strict = {
    ...config,
    moodThresholds: { caseness: { phq9: 5, gad7: 5 }, reliableChange: { phq9: 2, gad7: 2 } },
  };
  const v = buildMoodSection(
    episode,
    [
      M('phq9', '2025-01-10', 8),
      M('gad7', '2025-01-10', 4),
      M('phq9', '2025-02-07', 5),
      M('gad7', '2025-02-07', 4),
    ],
    [],
    strict,
  );
  assert.equal(v.latest[0]?.casenessText, 'At caseness (5 or more)');
  assert.equal(v.change?.reliableImprovement, true);
  assert.match(v.change?.recoveryText ?? '', /^Not yet recovered/, 'PHQ-9 5 is at caseness at 5');
  assert.equal(v.thresholds, strict.moodThresholds);
});

test('property: the section never says two things that contradict each other', () => {
  const measure = fc.record({
    instrument: fc.constantFrom('phq9' as const, 'gad7' as const),
    day: fc.integer({ min: 1, max: 28 }),
    total: fc.integer({ min: 0, max: 21 }),
  });
  fc.assert(
    fc.property(fc.array(measure, { maxLength: 6 }), (list) => {
      const sorted = [...list].sort((a, b) => a.day - b.day);
      const v = buildMoodSection(
        episode,
        sorted.map((m) => M(m.instrument, `2025-02-${String(m.day).padStart(2, '0')}`, m.total)),
        [],
        config,
      );
      if (!v.change) return;
      const atCaseness = v.latest.filter((l) => l.atCaseness);
      if (v.change.recovered) {
        assert.equal(atCaseness.length, 0, 'recovered, yet a latest score is at caseness');
        assert.equal(v.latest.length, 2);
        assert.ok(
          v.latest.every((l) => l.baseline !== null),
          'recovered without both paired',
        );
      }
      if (v.change.recoveryText?.startsWith('Not yet recovered')) assert.ok(atCaseness.length > 0);
      if (v.change.notPairedText) {
        assert.equal(v.change.recoveryText, null);
        assert.equal(v.change.reliableImprovement, false);
      }
      assert.equal(v.change.recoveryText === null, v.change.notPairedText !== null);
    }),
  );
});

test('open safety tasks are kept apart from completed ones, with the item 9 answer in words', () => {
  const open = task();
  const done = task({
    completed_at: new Date('2025-01-10T12:00:00Z'),
    completed_by_name: 'Mina Hussain',
    action_taken: 'Asked directly.\n\nWho was contacted: GP',
  });
  const unsaved = task({ measure_taken_on: null, measure_items: null });
  const v = buildMoodSection(episode, [], [open, done, unsaved], config);
  assert.deepEqual(
    v.safety.open.map((t) => [t.id, t.item9Answer, t.measureTakenOn]),
    [
      [open.id, 'More than half the days', '10 January 2025'],
      [unsaved.id, null, null],
    ],
  );
  assert.deepEqual(
    v.safety.completed.map((t) => [t.id, t.completedBy, t.actionTaken]),
    [[done.id, 'Mina Hussain', ['Asked directly.', 'Who was contacted: GP']]],
  );
  assert.equal(v.safety.protocol, DEFAULT_SAFETY_PROTOCOL);
});

test('configuration: thresholds and protocol from the environment, with defaults, and bad values named', () => {
  const defaults = loadConfig({ NODE_ENV: 'test' });
  assert.deepEqual(defaults.moodThresholds, {
    caseness: { phq9: 10, gad7: 8 },
    reliableChange: { phq9: 6, gad7: 4 },
  });
  assert.deepEqual(defaults.safetyProtocol, DEFAULT_SAFETY_PROTOCOL);
  assert.ok(DEFAULT_SAFETY_PROTOCOL.some((s) => s.includes('999') && s.includes('A&E')));
  assert.ok(DEFAULT_SAFETY_PROTOCOL.some((s) => s.includes('NHS 111') && s.includes('option 2')));
  assert.ok(DEFAULT_SAFETY_PROTOCOL.some((s) => s.includes('Talking Therapies therapist')));
  const set = loadConfig({
    NODE_ENV: 'test',
    MOOD_CASENESS_PHQ9: '12',
    MOOD_CASENESS_GAD7: '10',
    MOOD_RELIABLE_CHANGE_PHQ9: '5',
    MOOD_RELIABLE_CHANGE_GAD7: '3',
    MOOD_SAFETY_PROTOCOL: 'Ask today. | Call the duty worker on 0113 000 0000. |',
  });
  assert.deepEqual(set.moodThresholds, {
    caseness: { phq9: 12, gad7: 10 },
    reliableChange: { phq9: 5, gad7: 3 },
  });
  assert.deepEqual(set.safetyProtocol, ['Ask today.', 'Call the duty worker on 0113 000 0000.']);
  for (const [name, value] of [
    ['MOOD_CASENESS_PHQ9', '28'],
    ['MOOD_CASENESS_GAD7', '0'],
    ['MOOD_RELIABLE_CHANGE_PHQ9', 'six'],
    ['MOOD_RELIABLE_CHANGE_GAD7', '2.5'],
  ]) {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', [name!]: value }), new RegExp(name!));
  }
});
