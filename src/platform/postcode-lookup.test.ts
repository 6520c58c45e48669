import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PostcodeLookup } from './postcode-lookup.ts';

const E = 'E92000001';
const S = 'S92000003';
const W = 'W92000004';

// A tiny table in the shipped format: sector, country, default LA, units, exceptions.
const tiny = [
  '#postcodes-v1\tsector\tcountry\tla\tunits\texceptions',
  `LS6 1\t${E}\tE08000035\tAAABANAP`,
  `CH4 9\t${E}\tE06000050\tAADEDFPA\tAA=W06000005,PA=W06000005,DF=`,
  `AB43 1\t${S}\t\tAJANAP\tAP=S12000034`,
  `TD9 9\t${E}\tE06000001\tAAAB\tAB=/${W}`,
  '',
];

test('tiny table: default LA, exceptions and country rules', () => {
  const table = PostcodeLookup.fromLines(tiny);
  assert.equal(table.size, 4 + 4 + 3 + 2);
  assert.equal(table.sectorCount, 4);

  assert.deepEqual(table.lookup('LS6 1AN'), {
    postcode: 'LS6 1AN',
    localAuthorityCode: 'E08000035',
    countryCode: E,
  });
  assert.deepEqual(table.lookup(' ls61ap '), {
    postcode: 'LS6 1AP',
    localAuthorityCode: 'E08000035',
    countryCode: E,
  });
  // Exception with a Welsh LA in a mostly English sector: the country follows the LA.
  assert.deepEqual(table.lookup('CH4 9AA'), {
    postcode: 'CH4 9AA',
    localAuthorityCode: 'W06000005',
    countryCode: W,
  });
  assert.deepEqual(table.lookup('CH4 9PA'), {
    postcode: 'CH4 9PA',
    localAuthorityCode: 'W06000005',
    countryCode: W,
  });
  assert.deepEqual(table.lookup('CH4 9DE'), {
    postcode: 'CH4 9DE',
    localAuthorityCode: 'E06000050',
    countryCode: E,
  });
  // Exception with no LA: null LA, sector country.
  assert.deepEqual(table.lookup('CH4 9DF'), {
    postcode: 'CH4 9DF',
    localAuthorityCode: null,
    countryCode: E,
  });
  // Sector whose default is "no LA".
  assert.deepEqual(table.lookup('AB43 1AJ'), {
    postcode: 'AB43 1AJ',
    localAuthorityCode: null,
    countryCode: S,
  });
  assert.deepEqual(table.lookup('AB43 1AP'), {
    postcode: 'AB43 1AP',
    localAuthorityCode: 'S12000034',
    countryCode: S,
  });
  // Explicit country override.
  assert.equal(table.lookup('TD9 9AA')?.countryCode, E);
  assert.deepEqual(table.lookup('TD9 9AB'), {
    postcode: 'TD9 9AB',
    localAuthorityCode: null,
    countryCode: W,
  });
});

test('tiny table: misses', () => {
  const table = PostcodeLookup.fromLines(tiny);
  assert.equal(table.lookup('LS6 1AD'), null); // unit missing between two present ones
  assert.equal(table.lookup('LS6 1ZZ'), null); // after the last unit
  assert.equal(table.lookup('LS6 2AA'), null); // sector missing
  assert.equal(table.lookup('M1 1AE'), null);
  assert.equal(table.lookup(''), null);
  assert.equal(table.lookup('LS6'), null);
  assert.equal(table.lookup('<script>LS61AN</script>'), null);
});

test('fromLines rejects malformed tables', () => {
  const bad: Array<[string, RegExp]> = [
    [`LS6 1\t${E}\tE08000035`, /4 or 5 tab-separated fields/],
    [`ls6 1\t${E}\tE08000035\tAA`, /bad sector/],
    [`LS6 1\tEngland\tE08000035\tAA`, /bad country/],
    [`LS6 1\t${E}\tLeeds\tAA`, /bad LA/],
    [`LS6 1\t${E}\tE08000035\tAAA`, /pairs/],
    [`LS6 1\t${E}\tE08000035\tABAA`, /sorted/],
    [`LS6 1\t${E}\tE08000035\tAAAA`, /sorted/],
    [`LS6 1\t${E}\tE08000035\taaab`, /upper-case/],
    [`LS6 1\t${E}\tE08000035\tAAAB\tAC=E06000001`, /unknown unit/],
    [`LS6 1\t${E}\tE08000035\tAAAB\tAA=E06000001,AA=`, /duplicate exception/],
    [`LS6 1\t${E}\tE08000035\tAAAB\tAAE06000001`, /bad exception/],
    [`LS6 1\t${E}\tE08000035\tAAAB\tAA=E0600000`, /bad exception LA/],
    [`LS6 1\t${E}\tE08000035\tAAAB\tAA=/Wales`, /bad exception country/],
  ];
  for (const [line, message] of bad) {
    assert.throws(() => PostcodeLookup.fromLines(['#header', line]), message, line);
  }
  assert.throws(
    () => PostcodeLookup.fromLines([`LS6 1\t${E}\tE08000035\tAA`, `LS6 1\t${E}\tE08000035\tAB`]),
    /line 2: duplicate sector/,
  );
});

test('the shipped table (data/reference/postcodes.tsv.gz)', async (t) => {
  const started = performance.now();
  const table = await PostcodeLookup.load();
  t.diagnostic(`loaded ${table.size} postcodes in ${Math.round(performance.now() - started)} ms`);
  assert.equal(table.size, 1_745_849);
  assert.equal(table.sectorCount, 10_879);

  const la = (pc: string) => table.lookup(pc)?.localAuthorityCode;
  assert.deepEqual(table.lookup('LS6 1AN'), {
    postcode: 'LS6 1AN',
    localAuthorityCode: 'E08000035',
    countryCode: E,
  }); // Leeds
  assert.deepEqual(table.lookup('ls61an'), table.lookup('LS6 1AN'));
  assert.deepEqual(table.lookup('M1 1AE'), {
    postcode: 'M1 1AE',
    localAuthorityCode: 'E08000003',
    countryCode: E,
  }); // Manchester
  assert.equal(la('S1 2HE'), 'E08000039'); // Sheffield (new 2024 code, was E08000019)
  assert.deepEqual(table.lookup('EH1 1YZ'), {
    postcode: 'EH1 1YZ',
    localAuthorityCode: 'S12000036',
    countryCode: S,
  }); // Edinburgh
  assert.deepEqual(table.lookup('CF10 1AA'), {
    postcode: 'CF10 1AA',
    localAuthorityCode: 'W06000015',
    countryCode: W,
  }); // Cardiff
  assert.equal(la('LA1 1AA'), 'E10000017'); // Lancaster district -> Lancashire county (upper tier)

  // Well-formed but absent: the sector LS6 9 exists (3 units), LS6 9ZZ does not; LS6 8 has no units at all.
  assert.equal(table.lookup('LS6 9ZZ'), null);
  assert.equal(table.lookup('LS6 8AA'), null);
  assert.equal(table.lookup('BT1 1AA'), null); // Northern Ireland is not in Code-Point Open
  assert.equal(table.lookup('not a postcode'), null);

  // Units that differ from their sector default, checked against the source CSV:
  // CH4 9 is 120 units Cheshire West and Chester (E06000050), 52 Flintshire (W06000005).
  assert.deepEqual(table.lookup('CH4 9DE'), {
    postcode: 'CH4 9DE',
    localAuthorityCode: 'E06000050',
    countryCode: E,
  });
  assert.deepEqual(table.lookup('CH4 9AA'), {
    postcode: 'CH4 9AA',
    localAuthorityCode: 'W06000005',
    countryCode: W,
  });
  // SY10 7JE is Powys (W06000023) in a Shropshire (E06000051) sector.
  assert.deepEqual(table.lookup('SY10 7JE'), {
    postcode: 'SY10 7JE',
    localAuthorityCode: 'W06000023',
    countryCode: W,
  });
  // B29 6XE has no LA code in Code-Point (its sector is Birmingham, E08000025).
  assert.equal(la('B29 6AE'), 'E08000025');
  assert.deepEqual(table.lookup('B29 6XE'), {
    postcode: 'B29 6XE',
    localAuthorityCode: null,
    countryCode: E,
  });
});
