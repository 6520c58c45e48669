import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { toCsv } from './csv.ts';

describe('toCsv', () => {
  test('a header row, then one line per row, each ended by CRLF', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, 'y'],
        ],
      ),
      'a,b\r\n1,x\r\n2,y\r\n',
    );
  });

  test('with no rows, the header alone', () => {
    assert.equal(toCsv(['a', 'b'], []), 'a,b\r\n');
  });

  test('a comma, a quote or a line break is quoted, and a quote doubled', () => {
    assert.equal(toCsv(['h'], [['Smith, Jo']]), 'h\r\n"Smith, Jo"\r\n');
    assert.equal(toCsv(['h'], [['say "hi"']]), 'h\r\n"say ""hi"""\r\n');
    assert.equal(toCsv(['h'], [['one\ntwo']]), 'h\r\n"one\ntwo"\r\n');
    assert.equal(toCsv(['h'], [['one\rtwo']]), 'h\r\n"one\rtwo"\r\n');
    assert.equal(toCsv(['h'], [['one\r\ntwo']]), 'h\r\n"one\r\ntwo"\r\n');
  });

  test('text a spreadsheet would run as a formula is made plain text by a leading apostrophe', () => {
    assert.equal(toCsv(['h'], [['=HYPERLINK("x")']]), `h\r\n"'=HYPERLINK(""x"")"\r\n`);
    assert.equal(toCsv(['h'], [['+1']]), "h\r\n'+1\r\n");
    assert.equal(toCsv(['h'], [['-1+A1']]), "h\r\n'-1+A1\r\n");
    assert.equal(toCsv(['h'], [['@SUM(A1)']]), "h\r\n'@SUM(A1)\r\n");
    assert.equal(toCsv(['h'], [['\t=1']]), "h\r\n'\t=1\r\n");
    assert.equal(toCsv(['h'], [['\r=1']]), `h\r\n"'\r=1"\r\n`);
    assert.equal(toCsv(['=h'], []), "'=h\r\n", 'the header too');
  });

  test('text with a formula character later on is left as it is', () => {
    assert.equal(toCsv(['h'], [['Smith-Jones = 1 + 2 @ home']]), 'h\r\nSmith-Jones = 1 + 2 @ home\r\n');
  });

  test('numbers stay numbers: a negative number is a figure, not a formula', () => {
    assert.equal(toCsv(['a', 'b', 'c', 'd'], [[-3, 0, 2.5, -0.1]]), 'a,b,c,d\r\n-3,0,2.5,-0.1\r\n');
  });

  test('an empty cell: null, undefined, empty text, or a number that is not finite', () => {
    assert.equal(
      toCsv(['a', 'b', 'c', 'd', 'e'], [[null, undefined, '', Number.NaN, Infinity]]),
      'a,b,c,d,e\r\n,,,,\r\n',
    );
  });

  // The library also guards the full-width =, +, - and @, which some spreadsheets read as their ASCII twins.
  test('any text reads back as itself, apostrophe added only where it would run as a formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 4 })),
        (rows) => {
          const width = Math.max(1, ...rows.map((r) => r.length));
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
          const back = parse(toCsv(header, padded), { relax_column_count: false }) as string[][];
          assert.deepEqual(back, [
            header,
            ...padded.map((r) =>
              r.map((v) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(v) ? `'${v}` : v)),
            ),
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
