import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePostcode, postcodeSector } from './postcode.ts';

test('normalises case and spacing for every outward-code shape', () => {
  const cases: Array<[string, string]> = [
    ['ls61an', 'LS6 1AN'], // AA9
    ['LS6 1AN', 'LS6 1AN'],
    ['  ls6   1an  ', 'LS6 1AN'],
    ['m11ae', 'M1 1AE'], // A9
    ['M1 1AE', 'M1 1AE'],
    ['b338th', 'B33 8TH'], // A99
    ['cr2 6xh', 'CR2 6XH'], // AA99
    ['dn551pt', 'DN55 1PT'],
    ['l56 1an', 'L56 1AN'], // well-formed shape (A99) even though no such postcode exists
    ['w1a0ax', 'W1A 0AX'], // A9A
    ['sw1a1aa', 'SW1A 1AA'], // AA9A
    ['EC1A1BB', 'EC1A 1BB'],
    ['ec1a 1bb', 'EC1A 1BB'],
    ['S W 1 A 1 A A', 'SW1A 1AA'],
    ['\tLS6\u00a01AN\n', 'LS6 1AN'], // tabs, newlines and non-breaking spaces are whitespace
    ['gir0aa', 'GIR 0AA'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(normalisePostcode(input), expected, JSON.stringify(input));
  }
});

test('rejects input that is not shaped like a postcode', () => {
  const bad = [
    '',
    '   ',
    'LS6',
    'LS6 1',
    'LS61A',
    '1AN',
    'LS6 1ANX',
    'LS66 61AN',
    'LS6-1AN',
    'LS6.1AN',
    'LS6 1A1',
    '<script>alert(1)</script>',
    '<b>LS61AN</b>',
    "LS6 1AN'; DROP TABLE referrals;--",
    'LS6 1AN'.repeat(3),
    'x'.repeat(10_000),
    ' '.repeat(20) + 'LS6 1AN', // over-long raw input is refused before any work
    'AAA 1AA',
    '12 3AB',
    'A 1AA',
    'SW1AA 1AA',
  ];
  for (const input of bad) {
    assert.equal(normalisePostcode(input), null, JSON.stringify(input.slice(0, 40)));
  }
});

test('applies the letter rules of the postcode standard', () => {
  // First letter never Q, V or X; second letter never I, J or Z.
  assert.equal(normalisePostcode('QA1 1AA'), null);
  assert.equal(normalisePostcode('VA1 1AA'), null);
  assert.equal(normalisePostcode('XA1 1AA'), null);
  assert.equal(normalisePostcode('AI1 1AA'), null);
  assert.equal(normalisePostcode('AZ1 1AA'), null);
  // Inward letters never C, I, K, M, O or V.
  for (const letter of 'CIKMOV') {
    assert.equal(normalisePostcode(`LS6 1A${letter}`), null, letter);
    assert.equal(normalisePostcode(`LS6 1${letter}A`), null, letter);
  }
  // Letter after the district digit: A9A allows ABCDEFGHJKPSTUW, AA9A allows ABEHMNPRVWXY.
  assert.equal(normalisePostcode('W1W 7AA'), 'W1W 7AA');
  assert.equal(normalisePostcode('W1Z 7AA'), null);
  assert.equal(normalisePostcode('EC1M 7AA'), 'EC1M 7AA');
  assert.equal(normalisePostcode('EC1C 7AA'), null);
  // Zero and letter O are not interchangeable.
  assert.equal(normalisePostcode('LS6 IAN'), null);
  assert.equal(normalisePostcode('LSO 1AN'), null);
});

test('refuses non-ASCII look-alikes that upper-case to ASCII', () => {
  assert.equal(normalisePostcode('ls6 1an'), 'LS6 1AN');
  assert.equal(normalisePostcode('ſw1a 1aa'), null); // long s upper-cases to S
  assert.equal(normalisePostcode('ıp1 1aa'), null); // dotless i upper-cases to I
  assert.equal(normalisePostcode('ＬＳ６ １ＡＮ'), null); // full-width
  assert.equal(normalisePostcode('LS6 1AN\u200b'), null); // zero-width space is not whitespace
});

test('postcodeSector', () => {
  assert.equal(postcodeSector('LS6 1AN'), 'LS6 1');
  assert.equal(postcodeSector('ls61an'), 'LS6 1');
  assert.equal(postcodeSector('SW1A 1AA'), 'SW1A 1');
  assert.equal(postcodeSector('M1 1AE'), 'M1 1');
  assert.equal(postcodeSector('not a postcode'), null);
  assert.equal(postcodeSector('LS6'), null);
});
