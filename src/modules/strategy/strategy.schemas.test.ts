import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Period } from '../../platform/quarters.ts';
import { INDICATORS, indicatorOf, type Indicator } from './indicators.ts';
import {
  cellName,
  parseDetails,
  parsePeriodValue,
  parseTargetGrid,
  parseTargetValue,
  targetText,
  TARGET_RULES,
} from './strategy.schemas.ts';
import { describeTargetChange, diffTargets, historyLabel, historyValue } from './strategy.service.ts';
import { historyItems, quarterMonths, targetGrid, targetsSavedFlash } from './strategy.pages.ts';

const q1: Period = { financialYear: 2025, quarter: 1 };
const value = (code: Parameters<typeof indicatorOf>[0], raw: string) =>
  parseTargetValue(indicatorOf(code), q1, raw);
const ok = (v: ReturnType<typeof value>) => (v.kind === 'value' ? v.value : v.kind);

describe('a target value, checked by its indicator’s unit', () => {
  test('blank is no target', () => {
    for (const i of INDICATORS)
      for (const raw of ['', '   ', '\t']) assert.deepEqual(parseTargetValue(i, q1, raw), { kind: 'blank' });
  });

  test('counts are whole numbers from 0, thousands commas forgiven', () => {
    assert.equal(ok(value('tt_referrals', '120')), 120);
    assert.equal(ok(value('tt_referrals', ' 1,200 ')), 1200);
    assert.equal(ok(value('tt_referrals', '0')), 0);
    assert.equal(ok(value('tt_referrals', '120.0')), 120);
    assert.equal(ok(value('vba_trained_staff', '1000000')), 1_000_000);
    const half = value('tt_referrals', '12.5');
    assert.equal(half.kind, 'error');
    assert.match(
      (half as { message: string }).message,
      /Referrals from NHS Talking Therapies in 2025\/26 Q1 must be a whole number/,
    );
    assert.match((value('tt_referrals', '-1') as { message: string }).message, /must be 0 or more/);
    assert.match(
      (value('tt_referrals', '1000001') as { message: string }).message,
      /must be 1,000,000 or less/,
    );
  });

  test('percentages are 0 to 100, a % sign forgiven, at most 2 decimal places', () => {
    assert.equal(ok(value('cmhc_quit_rate', '45.5')), 45.5);
    assert.equal(ok(value('cmhc_quit_rate', '45.5%')), 45.5);
    assert.equal(ok(value('cmhc_quit_rate', '45 %')), 45);
    assert.equal(ok(value('cmhc_reach', '0.35')), 0.35);
    assert.equal(ok(value('cmhc_reach', '.5')), 0.5);
    assert.equal(ok(value('co_verification_rate', '100')), 100);
    assert.equal(ok(value('co_verification_rate', '0')), 0);
    assert.match((value('cmhc_quit_rate', '100.01') as { message: string }).message, /must be 100 or less/);
    assert.match((value('cmhc_quit_rate', '-0.5') as { message: string }).message, /must be 0 or more/);
    assert.match(
      (value('cmhc_quit_rate', '45.555') as { message: string }).message,
      /at most 2 decimal places/,
    );
  });

  test('points may be negative, from -100 to 100, a typographic minus forgiven', () => {
    assert.equal(ok(value('quit_rate_gap', '5')), 5);
    assert.equal(ok(value('quit_rate_gap', '-2.5')), -2.5);
    assert.equal(ok(value('quit_rate_gap', '\u22122.5')), -2.5);
    assert.equal(ok(value('quit_rate_gap', '+3')), 3);
    assert.equal(ok(value('quit_rate_gap', '3 points')), 3);
    assert.equal(ok(value('quit_rate_gap', '-0')), 0);
    assert.ok(Object.is(ok(value('quit_rate_gap', '-0')), 0), 'never -0');
    assert.match((value('quit_rate_gap', '-100.5') as { message: string }).message, /must be -100 or more/);
    assert.match((value('quit_rate_gap', '101') as { message: string }).message, /must be 100 or less/);
  });

  test('days are 0 to 365, one decimal place', () => {
    assert.equal(ok(value('days_to_first_contact', '2.5')), 2.5);
    assert.equal(ok(value('days_to_first_contact', '3 days')), 3);
    assert.match(
      (value('days_to_first_contact', '2.25') as { message: string }).message,
      /at most 1 decimal place$/,
    );
    assert.match((value('days_to_first_contact', '-1') as { message: string }).message, /must be 0 or more/);
    assert.match(
      (value('days_to_first_contact', '366') as { message: string }).message,
      /must be 365 or less/,
    );
  });

  test('anything that is not a number is refused with what to type instead', () => {
    for (const raw of ['soon', '1e3', '0x10', '12abc', '1.2.3', '--1', '.', 'Infinity', 'NaN', '5%%']) {
      for (const i of INDICATORS) {
        const v = parseTargetValue(i, q1, raw);
        assert.equal(v.kind, 'error', `${i.code} ${raw}`);
        if (v.kind === 'error')
          assert.match(
            v.message,
            new RegExp(
              `^(Enter the target for ${i.name.replace(/[()]/g, '.')} in 2025/26 Q1 as|The target for)`,
            ),
          );
      }
    }
    assert.equal(
      (value('tt_referrals', 'soon') as { message: string }).message,
      'Enter the target for Referrals from NHS Talking Therapies in 2025/26 Q1 as a whole number, like 120',
    );
  });

  test('every unit’s rule is sensible: min below max, and its example passes its own check', () => {
    for (const [unit, rule] of Object.entries(TARGET_RULES)) {
      assert.ok(rule.min < rule.max, unit);
      const i = INDICATORS.find((x) => x.unit === unit)!;
      assert.equal(parseTargetValue(i, q1, rule.example).kind, 'value', unit);
    }
  });
});

describe('the grid', () => {
  const period = {
    start: { financialYear: 2025, quarter: 4 as const },
    end: { financialYear: 2026, quarter: 1 as const },
  };
  const two: Indicator[] = [indicatorOf('tt_referrals'), indicatorOf('cmhc_quit_rate')];

  test('cells not sent are left alone, blank cells remove, values set', () => {
    const r = parseTargetGrid(
      {
        't-tt_referrals-2025-4': '10',
        't-tt_referrals-2026-1': '',
        unrelated: 'x',
        't-tt_referrals-2024-4': '5',
      },
      period,
      two,
    );
    assert.ok(r.ok);
    assert.deepEqual(
      [...r.targets],
      [
        ['tt_referrals:2025:4', 10],
        ['tt_referrals:2026:1', null],
      ],
    );
  });

  test('errors in the grid’s order, each linked to its cell, with every typed value kept', () => {
    const r = parseTargetGrid(
      { 't-cmhc_quit_rate-2025-4': '200', 't-tt_referrals-2026-1': 'x', 't-tt_referrals-2025-4': '7' },
      period,
      two,
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.errors.list.map((e) => e.href),
      ['#t-tt_referrals-2026-1', '#t-cmhc_quit_rate-2025-4'],
    );
    assert.deepEqual(r.values, {
      't-tt_referrals-2025-4': '7',
      't-tt_referrals-2026-1': 'x',
      't-cmhc_quit_rate-2025-4': '200',
    });
    assert.match(
      r.errors.list[1]!.text,
      /^The target for Four-week quit rate: depression or anxiety in 2025\/26 Q4 must be 100 or less$/,
    );
    assert.deepEqual(r.errors.fields, {
      't-tt_referrals-2026-1': { text: 'Enter a whole number' },
      't-cmhc_quit_rate-2025-4': { text: 'Must be 100 or less' },
    });
  });

  test('a cell sent twice is an error, not a silent choice between the two', () => {
    const r = parseTargetGrid({ 't-tt_referrals-2025-4': ['1', '2'] }, period, two);
    assert.ok(!r.ok);
    assert.match(
      r.errors.list[0]!.text,
      /Enter one target for Referrals from NHS Talking Therapies in 2025\/26 Q4/,
    );
    assert.equal(r.errors.fields['t-tt_referrals-2025-4']!.text, 'Enter one target');
  });

  test('the page’s grid: one table per financial year, a column per quarter, stored values or what was typed', () => {
    const years = targetGrid(
      period,
      new Map([
        ['tt_referrals:2025:4', 10],
        ['cmhc_quit_rate:2026:1', 45.5],
      ]),
      { values: { 't-tt_referrals-2026-1': 'abc' }, errors: { 't-tt_referrals-2026-1': { text: 'Bad' } } },
    );
    assert.deepEqual(
      years.map((y) => [y.label, y.quarters.map((q) => q.label)]),
      [
        ['2025/26', ['Q4']],
        ['2026/27', ['Q1']],
      ],
    );
    assert.equal(years[0]!.rows.length, INDICATORS.length);
    const tt = years[0]!.rows[0]!.cells[0]!;
    assert.deepEqual(
      [tt.name, tt.value, tt.display, tt.label],
      ['t-tt_referrals-2025-4', '10', '10', 'Referrals from NHS Talking Therapies, 2025/26 Q4'],
    );
    const typed = years[1]!.rows[0]!.cells[0]!;
    assert.deepEqual([typed.value, typed.error], ['abc', { text: 'Bad' }]);
    assert.equal(years[1]!.rows[3]!.cells[0]!.display, '45.5%');
    assert.equal(years[1]!.rows[4]!.cells[0]!.display, 'No target');
    assert.equal(cellName('tt_referrals', q1), 't-tt_referrals-2025-1');
    assert.equal(targetText(45.5), '45.5');
    assert.equal(targetText(0.1 + 0.2), '0.3');
    assert.equal(targetText(undefined), '');
    assert.equal(quarterMonths({ financialYear: 2025, quarter: 4 }), 'January to March 2026');
  });
});

describe('title, aims and period', () => {
  test('reads a good form', () => {
    const r = parseDetails({ title: ' Leeds ', aims: 'Aims', start: '2025-1', end: '2026-4' });
    assert.ok(r.ok);
    assert.deepEqual(r.details, {
      title: 'Leeds',
      aims: 'Aims',
      period: { start: { financialYear: 2025, quarter: 1 }, end: { financialYear: 2026, quarter: 4 } },
    });
  });

  test('every missing field is named', () => {
    const r = parseDetails({});
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors.fields).sort(), ['aims', 'end', 'start', 'title']);
  });

  test('the end cannot be before the start, and a strategy is at most 20 quarters', () => {
    const before = parseDetails({ title: 'x', aims: 'y', start: '2026-1', end: '2025-4' });
    assert.ok(!before.ok);
    assert.match(before.errors.fields.end!.text, /same as the first quarter or after it/);
    assert.ok(parseDetails({ title: 'x', aims: 'y', start: '2025-1', end: '2029-4' }).ok, '20 quarters');
    const long = parseDetails({ title: 'x', aims: 'y', start: '2025-1', end: '2030-1' });
    assert.ok(!long.ok);
    assert.match(long.errors.fields.end!.text, /at most 5 years \(20 quarters\)/);
  });

  test('a quarter in the select boxes is "year-quarter" and nothing else', () => {
    assert.deepEqual(parsePeriodValue('2025-3'), { financialYear: 2025, quarter: 3 });
    for (const v of ['2025-5', '2025-0', '1999-1', '2100-1', '2025', '2025/26 Q1', '', undefined, 2025])
      assert.equal(parsePeriodValue(v), null, String(v));
  });
});

describe('what history says about a change of targets', () => {
  test('only cells whose value differs are changes, counted as set, changed and removed', () => {
    const stored = new Map([
      ['a:2025:1', 10],
      ['a:2025:2', 20],
      ['a:2025:3', 30],
    ]);
    const wanted = new Map<string, number | null>([
      ['a:2025:1', 10],
      ['a:2025:2', 25],
      ['a:2025:3', null],
      ['a:2025:4', 40],
      ['a:2026:1', null],
    ]);
    const d = diffTargets(stored, wanted);
    assert.deepEqual(d.before, { 'a:2025:2': 20, 'a:2025:3': 30, 'a:2025:4': null });
    assert.deepEqual(d.after, { 'a:2025:2': 25, 'a:2025:3': null, 'a:2025:4': 40 });
    assert.deepEqual([d.set, d.changed, d.removed], [1, 1, 1]);
    assert.equal(describeTargetChange(d), 'Set 1 target, changed 1 and removed 1');
  });

  test('in words', () => {
    assert.equal(describeTargetChange({ set: 0, changed: 0, removed: 0 }), 'No targets changed');
    assert.equal(describeTargetChange({ set: 88, changed: 0, removed: 0 }), 'Set 88 targets');
    assert.equal(describeTargetChange({ set: 0, changed: 1, removed: 0 }), 'Changed 1 target');
    assert.equal(describeTargetChange({ set: 0, changed: 2, removed: 3 }), 'Changed 2 targets and removed 3');
    assert.equal(describeTargetChange({ set: 0, changed: 0, removed: 1 }), 'Removed 1 target');
  });

  test('what the person is told after a save follows whether anything changed, never the summary’s words', () => {
    assert.equal(targetsSavedFlash({ changed: false }), 'No targets changed');
    assert.equal(
      targetsSavedFlash({ changed: true, summary: 'Set 1 target' }),
      'The targets have been saved: set 1 target',
    );
    // A real change whose summary happened to read like "nothing changed" is still reported as saved.
    for (const summary of ['No targets changed', 'Nothing changed', ''])
      assert.match(targetsSavedFlash({ changed: true, summary }), /^The targets have been saved/, summary);
  });

  test('labels and values as people read them', () => {
    assert.equal(historyLabel('title'), 'Title');
    assert.equal(historyLabel('tt_referrals:2026:3'), 'Referrals from NHS Talking Therapies, 2026/27 Q3');
    assert.equal(historyLabel('retired_code:2026:3'), 'retired_code, 2026/27 Q3');
    assert.equal(historyValue('cmhc_quit_rate:2025:1', 46.5), '46.5%');
    assert.equal(historyValue('quit_rate_gap:2025:1', null), 'No target');
    assert.equal(historyValue('aims', ''), 'None');
    assert.equal(historyValue('period', '2025/26 Q1 to 2026/27 Q4'), '2025/26 Q1 to 2026/27 Q4');
  });
});

describe('the history page', () => {
  test('rows in the order of the pages: details first, then targets as the grid lists them, quarter by quarter', () => {
    const [item] = historyItems([
      {
        id: 1,
        occurredAt: new Date('2026-01-01T10:00:00Z'),
        actorName: null,
        summary: 'Changed the period',
        before: {
          'cmhc_quit_rate:2026:1': 45,
          'tt_referrals:2026:2': 20,
          period: 'a',
          'tt_referrals:2025:4': 10,
          title: 'Old',
        },
        after: {
          'cmhc_quit_rate:2026:1': null,
          'tt_referrals:2026:2': null,
          period: 'b',
          'tt_referrals:2025:4': null,
          title: 'New',
        },
      },
    ]);
    assert.deepEqual(
      item!.rows.map((r) => r.label),
      [
        'Title',
        'Period',
        'Referrals from NHS Talking Therapies, 2025/26 Q4',
        'Referrals from NHS Talking Therapies, 2026/27 Q2',
        'Four-week quit rate: depression or anxiety, 2026/27 Q1',
      ],
    );
    assert.deepEqual(item!.rows[4], {
      label: 'Four-week quit rate: depression or anxiety, 2026/27 Q1',
      before: '45%',
      after: 'No target',
    });
    assert.equal(item!.actorName, 'Mortar', 'a change with no person recorded is Mortar’s');
    assert.equal(item!.created, false);
  });
});
