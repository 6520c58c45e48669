import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { addDays } from '../../platform/dates.ts';
import { disclose } from './disclosure.ts';
import { episode, episodeFactArb, LA, referralFactArb } from './facts.fixtures.ts';
import { CSV_COLUMNS, fileNameOf, MEASURE_NAMES, rowsToCsv, toCsv, toJson, toRows } from './csv-layout.ts';
import { fromCsv, fromJson, MAX_ERRORS, type ReadResult } from './csv-layout-reader.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS } from './return-breakdowns.ts';
import { computeReturn, emptyReturn, type QuarterlyReturn } from './return-definition.ts';
import { figuresOf } from './return-figures.ts';
import { validateReturn } from './validation.ts';

const sample = () =>
  computeReturn({
    episodes: [
      episode({ episodeId: 'a', interventionType: '07' }),
      episode({ episodeId: 'b', outcome: 'not_quit', ethnicCategory: 'H' }),
    ],
    referrals: [{ localAuthorityCode: LA, receivedOn: '2026-04-03', source: 'gp_practice' }],
    localAuthorityCode: LA,
    financialYear: 2026,
    quarter: 1,
    asOf: '2026-08-20',
  });

const HEADER = CSV_COLUMNS.join(',');
const row = (
  breakdown: string,
  category: string,
  measure: string,
  value: string | number,
  la = LA,
  fy = '2026',
  q = '1',
) => [la, fy, q, breakdown, category, measure, value].join(',');
const TOTALS = [
  'referrals_received',
  'set_quit_date',
  'quit_self_reported',
  'quit_co_verified',
  'not_quit',
  'lost_to_follow_up',
  'pending',
].map((m) => row('total', 'all', m, 0));
const file = (...rows: string[]) => [HEADER, ...TOTALS, ...rows].join('\n');
const errorsOf = (r: ReadResult) => (r.ok ? [] : r.errors);

test('the CSV: a header, then totals, then every breakdown category, one row per measure, CRLF', () => {
  const csv = toCsv(sample());
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'local_authority_code,financial_year,quarter,breakdown,category,measure,value');
  assert.deepEqual(lines.slice(1, 8), [
    'E06000001,2026,1,total,all,referrals_received,1',
    'E06000001,2026,1,total,all,set_quit_date,2',
    'E06000001,2026,1,total,all,quit_self_reported,1',
    'E06000001,2026,1,total,all,quit_co_verified,1',
    'E06000001,2026,1,total,all,not_quit,1',
    'E06000001,2026,1,total,all,lost_to_follow_up,0',
    'E06000001,2026,1,total,all,pending,0',
  ]);
  assert.equal(lines[8], 'E06000001,2026,1,sex,male,set_quit_date,0');
  assert.ok(lines.includes('E06000001,2026,1,intervention_type,07,set_quit_date,1'));
  assert.ok(lines.includes('E06000001,2026,1,referral_source,gp_practice,referrals_received,1'));
  assert.ok(!lines.some((l) => l.includes(',sex,') && l.includes('referrals_received')));
  assert.equal(lines.at(-1), '', 'ends with a line break');
  assert.equal(lines.length - 2, figuresOf(sample()).length);
});

test('a text cell a spreadsheet would run as a formula is made plain text, and a figure stays a number', () => {
  // No route lets such text into a return today (codes and categories are checked), so this guards the
  // writer itself: any text that reaches the file is inert.
  const row = { ...toRows(sample())[0]!, category: '=HYPERLINK("x")', measure: '@SUM(A1)', value: 3 };
  const [, line] = rowsToCsv([row]).split('\r\n');
  assert.equal(line, `E06000001,2026,1,total,"'=HYPERLINK(""x"")",'@SUM(A1),3`);
});

test('JSON has the same rows, as objects', () => {
  const json = toJson(sample());
  assert.deepEqual(json[0], {
    local_authority_code: LA,
    financial_year: 2026,
    quarter: 1,
    breakdown: 'total',
    category: 'all',
    measure: 'referrals_received',
    value: 1,
  });
  assert.equal(json.length, figuresOf(sample()).length);
  assert.deepEqual(fromJson(JSON.parse(JSON.stringify(json))), {
    ok: true,
    return: { ...sample(), asOf: null },
  });
});

test('a published export is disclosed; a disclosed file cannot be loaded back', () => {
  const csv = toCsv(sample(), { disclose: {} });
  assert.ok(csv.includes('E06000001,2026,1,total,all,set_quit_date,*'));
  assert.ok(csv.includes('E06000001,2026,1,total,all,lost_to_follow_up,0'));
  const result = fromCsv(csv);
  assert.equal(result.ok, false);
  assert.match(errorsOf(result)[0]!.message, /hidden \("\*"\)/);
  assert.equal(toRows(sample(), { disclose: { national: true } })[1]!.value, 2);
});

test('round trip: the file reads back as the same return (with no generation date)', () => {
  const r = sample();
  assert.deepEqual(fromCsv(toCsv(r)), { ok: true, return: { ...r, asOf: null } });
});

test('the template for an authority not using Mortar is an empty return: every row, at 0', () => {
  const template = toCsv(emptyReturn('E08000035', 2026, 2));
  const read = fromCsv(template);
  assert.ok(read.ok);
  assert.equal(read.return.localAuthorityCode, 'E08000035');
  assert.equal(read.return.period.label, '2026/27 Q2');
  assert.equal(fileNameOf(read.return), 'mortar-return-E08000035-2026-27-Q2.csv');
  assert.equal(fileNameOf(read.return, 'json'), 'mortar-return-E08000035-2026-27-Q2.json');
});

test('forgiving where it is safe: column order, case, spaces, BOM, blank lines, quoted fields, and 7 for 07', () => {
  const text =
    '\uFEFFValue, Measure ,category,breakdown,quarter,financial_year,local_authority_code\r\n' +
    [
      'referrals_received',
      'set_quit_date',
      'quit_self_reported',
      'quit_co_verified',
      'not_quit',
      'lost_to_follow_up',
      'pending',
    ]
      .map((m) => `${m === 'set_quit_date' ? 3 : 0},${m},ALL,Total,1,2026,e06000001`)
      .join('\r\n') +
    '\r\n\r\n"3", set_quit_date ,7,intervention_type,1,2026,E06000001\r\n' +
    '3,set_quit_date,White,ethnic_group,1,2026,E06000001\r\n';
  const read = fromCsv(text);
  assert.ok(read.ok, JSON.stringify(errorsOf(read)));
  assert.equal(read.return.totals.setQuitDate, 3);
  assert.equal(read.return.breakdowns.intervention_type['07']!.setQuitDate, 3);
  assert.equal(read.return.breakdowns.ethnic_group.white!.setQuitDate, 3);
  // Categories left out are 0; validation shows the breakdowns that then do not add up.
  assert.equal(read.return.breakdowns.sex.female!.setQuitDate, 0);
  const issues = validateReturn({ ret: read.return });
  assert.ok(issues.some((i) => i.code === 'breakdown_does_not_add_up' && i.where.breakdown === 'sex'));
  assert.ok(
    !issues.some((i) => i.code === 'breakdown_does_not_add_up' && i.where.breakdown === 'ethnic_group'),
  );
});

test('row-level errors: unknown breakdown, category and measure, each with its row and column', () => {
  const result = fromCsv(
    file(
      row('shoe_size', 'large', 'set_quit_date', 1), // row 9
      row('sex', 'other', 'set_quit_date', 1), // row 10
      row('sex', 'female', 'quitters', 1), // row 11
      row('sex', 'female', 'referrals_received', 1), // row 12
      row('total', 'female', 'set_quit_date', 1), // row 13
    ),
  );
  assert.deepEqual(errorsOf(result), [
    {
      row: 9,
      column: 'breakdown',
      message: '"shoe_size" is not a breakdown in the layout (see CSV-LAYOUT.md)',
    },
    {
      row: 10,
      column: 'category',
      message: '"other" is not a category of the sex breakdown (see CSV-LAYOUT.md)',
    },
    { row: 11, column: 'measure', message: '"quitters" is not a measure in the layout (see CSV-LAYOUT.md)' },
    {
      row: 12,
      column: 'measure',
      message: 'Referrals received are broken down by referral source only, not by sex',
    },
    { row: 13, column: 'category', message: 'The category of a total row must be "all", not "female"' },
  ]);
});

test('row-level errors: values that are not whole numbers of 0 or more', () => {
  const result = fromCsv(
    file(
      row('sex', 'male', 'set_quit_date', '12.5'),
      row('sex', 'male', 'not_quit', '-3'),
      row('sex', 'male', 'pending', ''),
      row('sex', 'male', 'quit_self_reported', 'twelve'),
      row('sex', 'male', 'quit_co_verified', '1e3'),
      row('sex', 'male', 'lost_to_follow_up', '99999999999999999999'),
    ),
  );
  assert.deepEqual(
    errorsOf(result).map((e) => [e.row, e.column, e.message]),
    [
      [9, 'value', '"12.5" is not a whole number'],
      [10, 'value', '"-3" is negative: a count cannot be below 0'],
      [11, 'value', 'The value is empty: write 0 for none'],
      [12, 'value', '"twelve" is not a whole number'],
      [13, 'value', '"1e3" is not a whole number'],
      [14, 'value', '"99999999999999999999" is too large to be a count'],
    ],
  );
});

test('row-level errors: duplicates, and a file mixing authorities or quarters', () => {
  const result = fromCsv(
    file(
      row('sex', 'male', 'set_quit_date', 1), // 9
      row('sex', 'MALE', 'set_quit_date', 2), // 10: the same row again
      row('sex', 'female', 'set_quit_date', 1, 'E06000002'), // 11
      row('sex', 'female', 'not_quit', 1, LA, '2025'), // 12
      row('sex', 'female', 'pending', 1, LA, '2026', '2'), // 13
    ),
  );
  assert.deepEqual(
    errorsOf(result).map((e) => [e.row, e.column, e.message]),
    [
      [10, null, 'This row repeats row 9 (sex, male, set_quit_date)'],
      [
        11,
        'local_authority_code',
        "This row is for E06000002, but row 2 is for E06000001: a file holds one authority's return",
      ],
      [
        12,
        'financial_year',
        'This row is for financial year 2025, but row 2 is for 2026: a file holds one quarter',
      ],
      [13, 'quarter', 'This row is for quarter 2, but row 2 is for quarter 1: a file holds one quarter'],
    ],
  );
});

test('row-level errors: the authority, year and quarter themselves, and what the file is loaded for', () => {
  const result = fromCsv(file(row('sex', 'male', 'set_quit_date', 1, 'Leeds', '2026/27', 'Q1')), {
    expect: { localAuthorityCode: 'E08000035' },
  });
  const errors = errorsOf(result);
  assert.deepEqual(
    errors.filter((e) => e.row === 9).map((e) => e.column),
    ['local_authority_code', 'financial_year', 'quarter'],
  );
  assert.match(
    errors.find((e) => e.column === 'financial_year')!.message,
    /write the year it starts in, such as 2026 for 2026\/27/,
  );
  assert.match(
    errors.find((e) => e.row === 2)!.message,
    /This row is for E06000001, but the file is being loaded for E08000035/,
  );
  const wrongQuarter = fromCsv(file(), {
    expect: { localAuthorityCode: LA, financialYear: 2026, quarter: 2 },
  });
  assert.equal(errorsOf(wrongQuarter).length, 7, 'every total row is for quarter 1');
  assert.equal(
    fromCsv(file(), { expect: { localAuthorityCode: LA, financialYear: 2026, quarter: 1 } }).ok,
    true,
  );
});

test('whole-file errors: empty, not CSV, wrong header, missing totals, rows of the wrong length', () => {
  assert.deepEqual(errorsOf(fromCsv('')), [
    {
      row: 1,
      column: null,
      message: `The file is empty: its first row must be the header ${CSV_COLUMNS.join(',')}`,
    },
  ]);
  assert.deepEqual(errorsOf(fromCsv(`${HEADER}\n`)), [
    { row: null, column: null, message: 'The file has no rows under its header' },
  ]);
  assert.match(errorsOf(fromCsv(`${HEADER}\n"unclosed,1`))[0]!.message, /^The file is not valid CSV/);
  const header = errorsOf(
    fromCsv('local_authority_code,financial_year,quarter,breakdown,category,measure,amount,value,value\n'),
  );
  assert.deepEqual(
    header.map((e) => [e.row, e.column]),
    [
      [1, 'amount'],
      [1, 'value'],
    ],
  );
  assert.match(header[1]!.message, /appears twice/);
  const missingColumn = errorsOf(
    fromCsv('local_authority_code,financial_year,quarter,breakdown,category,measure\n'),
  );
  assert.deepEqual(missingColumn, [{ row: 1, column: 'value', message: 'The header has no value column' }]);
  const noTotals = errorsOf(fromCsv([HEADER, row('sex', 'male', 'set_quit_date', 1)].join('\n')));
  assert.equal(noTotals.length, 7);
  assert.deepEqual(noTotals[0], {
    row: null,
    column: null,
    message: 'The file has no total row for referrals_received (breakdown "total", category "all")',
  });
  const short = errorsOf(fromCsv(file('E06000001,2026,1,sex,male')));
  assert.deepEqual(short, [
    { row: 9, column: null, message: 'This row has 5 values, but the header has 7 columns' },
  ]);
});

test('a wrong file stops at a bounded number of errors', () => {
  const rows = Array.from({ length: 500 }, () => row('nonsense', 'x', 'y', 'z'));
  assert.equal(errorsOf(fromCsv(file(...rows))).length, MAX_ERRORS);
});

test('JSON reading: the same checks, with the row as the position in the array', () => {
  assert.deepEqual(errorsOf(fromJson({})), [
    { row: null, column: null, message: 'The JSON must be an array of rows' },
  ]);
  const rows = toJson(emptyReturn(LA, 2026, 1));
  const bad = [
    ...rows.slice(0, 7),
    { ...rows[8]!, value: -1 },
    { ...rows[9]!, value: null },
    { ...rows[10]!, colour: 'red' },
    'a row',
    { local_authority_code: LA },
  ];
  const errors = errorsOf(fromJson(bad));
  assert.deepEqual(
    errors.map((e) => [e.row, e.column]),
    [
      [8, 'value'],
      [9, 'value'],
      [10, 'colour'],
      [11, null],
      [12, 'financial_year'],
      [12, 'quarter'],
      [12, 'breakdown'],
      [12, 'category'],
      [12, 'measure'],
      [12, 'value'],
    ],
  );
  assert.equal(errors[0]!.message, '"-1" is negative: a count cannot be below 0');
  assert.equal(errors[1]!.message, 'The value must be text or a number');
});

test('CSV-LAYOUT.md documents every column, measure, breakdown and category, in the order the code uses', () => {
  const doc = readFileSync(new URL('./CSV-LAYOUT.md', import.meta.url), 'utf8');
  for (const c of CSV_COLUMNS) assert.match(doc, new RegExp(`^\\| \`${c}\` +\\|`, 'm'), c);
  for (const m of Object.values(MEASURE_NAMES)) assert.match(doc, new RegExp(`^\\| \`${m}\` +\\|`, 'm'), m);
  const sections = doc.split(/^### /m);
  const headings = sections.map((s) => /^`([a-z_]+)`/.exec(s)?.[1]).filter((k) => k !== undefined);
  assert.deepEqual(headings, [...BREAKDOWN_KEYS]);
  for (const key of BREAKDOWN_KEYS) {
    const section = sections.find((s) => s.startsWith(`\`${key}\``))!;
    const documented = [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]);
    assert.deepEqual(documented, [...BREAKDOWNS[key].categories.codes], key);
  }
});

// ------------------------------------------------------------------------------------------- properties

const returnArb: fc.Arbitrary<QuarterlyReturn> = fc
  .record({
    episodes: fc.array(episodeFactArb({ from: '2026-03-01', days: 160 }), { maxLength: 40 }),
    referrals: fc.array(referralFactArb({ from: '2026-03-01', days: 160 }), { maxLength: 20 }),
    asOf: fc.integer({ min: 30, max: 200 }).map((n) => addDays('2026-03-01', n)),
  })
  .map(({ episodes, referrals, asOf }) =>
    computeReturn({ episodes, referrals, localAuthorityCode: LA, financialYear: 2026, quarter: 1, asOf }),
  );

test('property: every return survives CSV and JSON round trips, and the file is stable', () => {
  fc.assert(
    fc.property(returnArb, (r) => {
      const csv = toCsv(r);
      const back = fromCsv(csv);
      assert.deepEqual(back, { ok: true, return: { ...r, asOf: null } });
      assert.equal(toCsv(back.ok ? back.return : r), csv);
      assert.deepEqual(fromJson(JSON.parse(JSON.stringify(toJson(r)))), back);
    }),
    { numRuns: 100 },
  );
});

test('property: rows in any order read back as the same return', () => {
  fc.assert(
    fc.property(returnArb, fc.integer(), (r, seed) => {
      const [header, ...rows] = toCsv(r).trimEnd().split('\r\n');
      const shuffled = fc.sample(
        fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
        { seed, numRuns: 1 },
      )[0]!;
      assert.deepEqual(fromCsv([header, ...shuffled].join('\n')), { ok: true, return: { ...r, asOf: null } });
    }),
    { numRuns: 30 },
  );
});

test('property: a row repeated anywhere is reported as a duplicate at its row', () => {
  fc.assert(
    fc.property(returnArb, fc.nat(), (r, n) => {
      const [header, ...rows] = toCsv(r).trimEnd().split('\r\n');
      const i = n % rows.length;
      const result = fromCsv([header, ...rows, rows[i]].join('\n'));
      assert.deepEqual(errorsOf(result), [
        { row: rows.length + 2, column: null, message: errorsOf(result)[0]?.message ?? '' },
      ]);
      assert.match(errorsOf(result)[0]!.message, new RegExp(`^This row repeats row ${i + 2} `));
    }),
    { numRuns: 50 },
  );
});

test('property: a published file holds each figure disclosed by the one rule, and nothing else', () => {
  fc.assert(
    fc.property(returnArb, fc.boolean(), (r, national) => {
      const raw = toRows(r);
      const published = toRows(r, { disclose: { national } });
      assert.equal(published.length, raw.length);
      published.forEach((row, i) => {
        assert.deepEqual({ ...row, value: 0 }, { ...raw[i]!, value: 0 });
        assert.equal(row.value, disclose(raw[i]!.value as number, { exact: national }));
      });
    }),
    { numRuns: 50 },
  );
});
