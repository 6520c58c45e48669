// An uploaded return file: CSV or JSON by its name, declared type and content, which must agree; text
// that is not UTF-8 refused with the row it goes wrong on; Mortar's own JSON export read back; and the
// same figures whichever way the file comes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv, toJson } from './csv-layout.ts';
import { figuresOf } from './return-figures.ts';
import { declaredFormat, readUploadedReturn, sniffFormat } from './return-upload.ts';
import { sampleReturn } from './return-files.fixtures.ts';

const LA = 'E08000032';
const ret = sampleReturn(LA);
const expect = { localAuthorityCode: LA, financialYear: 2025, quarter: 2 };
const bytes = (text: string) => new TextEncoder().encode(text);
const read = (filename: string, contentType: string, content: string | Uint8Array) =>
  readUploadedReturn(
    { filename, contentType, bytes: typeof content === 'string' ? bytes(content) : content },
    { expect },
  );
const messages = (r: ReturnType<typeof read>) => (r.ok ? [] : r.errors.map((e) => [e.row, e.message]));

test('the format is read from the name, then the declared type; Excel’s type for a .csv says nothing', () => {
  assert.equal(declaredFormat('return.CSV', 'application/vnd.ms-excel'), 'csv');
  assert.equal(declaredFormat('return.json', 'text/plain'), 'json');
  assert.equal(declaredFormat('return.txt', 'application/json'), 'json');
  assert.equal(declaredFormat('return', 'application/vnd.ms-excel'), null);
  assert.equal(sniffFormat('\uFEFF  [{"a":1}]'), 'json');
  assert.equal(sniffFormat('local_authority_code,financial_year'), 'csv');
});

test('CSV, JSON rows and Mortar’s own JSON export all read to the same figures', () => {
  const csv = read('return.csv', 'text/csv', toCsv(ret));
  const rows = read('return.json', 'application/json', JSON.stringify(toJson(ret)));
  const exported = read(
    'return.json',
    '',
    JSON.stringify({ layoutVersion: 1, published: false, rows: toJson(ret) }),
  );
  const unnamed = read('return', 'application/octet-stream', `\uFEFF${toCsv(ret)}`);
  for (const r of [csv, rows, exported, unnamed]) {
    assert.ok(r.ok, JSON.stringify(messages(r)));
    assert.deepEqual(figuresOf(r.return), figuresOf(ret));
  }
});

test('a file that is not what it says, or not text, is refused before any row is read', () => {
  const cases: [string, string, string | Uint8Array, RegExp][] = [
    ['return.xlsx', '', 'PK\u0003\u0004', /Excel workbook: save it as "CSV UTF-8/],
    ['return.pdf', 'application/pdf', '%PDF', /a PDF/],
    ['return.png', 'image/png', 'x', /must be a CSV or JSON file, not \.png/],
    ['return.csv', 'text/csv', '', /is empty/],
    ['return.csv', 'text/csv', ' \r\n ', /is empty/],
    ['return.csv', 'text/csv', JSON.stringify(toJson(ret)), /called return\.csv but holds JSON/],
    [
      'return.json',
      'application/json',
      toCsv(ret),
      /called return\.json but holds something other than JSON/,
    ],
    ['return.csv', 'text/csv', new Uint8Array([0xff, 0xfe, 0x6c, 0x00]), /UTF-16/],
    ['return.csv', 'text/csv', new Uint8Array([0x61, 0x00, 0x62]), /not a text file/],
  ];
  for (const [name, type, content, pattern] of cases) {
    const r = read(name, type, content);
    assert.equal(r.ok, false, name);
    assert.match(String(messages(r)[0]?.[1]), pattern, `${name}: ${JSON.stringify(messages(r))}`);
  }
});

test('a character that is not UTF-8 is named by its row', () => {
  const lines = toCsv(ret).split('\r\n');
  const encoded = [
    ...lines.slice(0, 3).map((l) => bytes(`${l}\r\n`)),
    new Uint8Array([0x45, 0xa3, 0x0d, 0x0a]),
  ];
  const all = Buffer.concat(encoded);
  const r = read('return.csv', 'text/csv', all);
  assert.deepEqual(
    messages(r).map(([row]) => row),
    [4],
  );
  assert.match(String(messages(r)[0]![1]), /not UTF-8 text/);
});

test('JSON errors: a syntax error by line and column; a published export refused; bad rows by position', () => {
  const broken = read(
    'return.json',
    'application/json',
    '[\n  {"local_authority_code": "E08000032",\n  }\n]',
  );
  assert.match(String(messages(broken)[0]![1]), /not valid JSON at line 3, column 3/);
  const published = read('r.json', '', JSON.stringify({ published: true, rows: toJson(ret) }));
  assert.match(String(messages(published)[0]![1]), /published file/);
  const rows = toJson(ret).map((r) => ({ ...r }));
  rows[2]!.value = -4;
  const bad = read('r.json', '', JSON.stringify(rows));
  assert.deepEqual(messages(bad), [[3, '"-4" is negative: a count cannot be below 0']]);
  assert.match(String(messages(read('r.json', '', '{"a":1}'))[0]![1]), /array of rows/);
});
