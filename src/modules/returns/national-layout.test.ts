// The national layout's mapping: every breakdown and category of the return is either given a national
// code or listed as not collected; each national figure can be found again by its national names (no two
// of Mortar's figures share a cell); the exception reasons are written out; and NATIONAL-LAYOUT.md lists
// every code in the table, so the document and the code cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { BREAKDOWN_KEYS, BREAKDOWNS, measuresOf } from './return-breakdowns.ts';
import { MEASURES } from './return-measures.ts';
import { figuresOf } from './return-figures.ts';
import { NATIONAL_BREAKDOWNS, NATIONAL_MEASURES } from './national-codes.ts';
import { nationalRowsToCsv, toNationalRows, type NationalRow } from './national-layout.ts';
import { settingsNeedingReasons } from './return-exceptions.service.ts';
import { sampleReturn } from './return-files.fixtures.ts';

const LA = 'E08000032';

test('every breakdown and every category maps to a national code or is listed as not collected nationally', () => {
  for (const key of BREAKDOWN_KEYS) {
    const def = NATIONAL_BREAKDOWNS[key];
    assert.ok(def, `${key} has no entry`);
    if (def.kind === 'mortar_only') {
      assert.ok(BREAKDOWNS[key].mortarOnly || key === 'referral_source', `${key} is national in Mortar`);
      continue;
    }
    assert.ok(!BREAKDOWNS[key].mortarOnly, `${key} is Mortar's own but mapped as national`);
    const listed = BREAKDOWNS[key].categories.codes;
    assert.deepEqual(Object.keys(def.categories).sort(), [...listed].sort(), `${key}: categories`);
    const codes = Object.values(def.categories).flatMap((c) => (c ? [c.code] : []));
    assert.equal(new Set(codes).size, codes.length, `${key}: two categories share a national code`);
  }
  for (const m of MEASURES) assert.ok(m in NATIONAL_MEASURES, `${m} has no entry`);
  assert.equal(NATIONAL_MEASURES.pending, null, 'pending is not collected nationally');
});

test('the mental health breakdowns are kept as Mortar’s extra section, after everything national', () => {
  const rows = toNationalRows(sampleReturn(LA), []);
  const firstExtra = rows.findIndex((r) => r.data_item.startsWith('MORTAR: '));
  assert.ok(firstExtra > 0);
  assert.ok(rows.slice(firstExtra).every((r) => r.section === 'mortar_extra' && r.confirmed === 'no'));
  assert.ok(rows.slice(0, firstExtra).every((r) => r.section !== 'mortar_extra' || r.data_item === 'TOTAL'));
  const items = new Set(rows.map((r) => r.data_item));
  for (const item of ['MORTAR: COMMON MENTAL HEALTH CONDITION', 'MORTAR: MENTAL HEALTH CONDITION'])
    assert.ok(items.has(item), item);
});

/** The cell of a national row: where a person keying the national form would put its value. */
const cellOf = (r: NationalRow) => `${r.section}|${r.data_item}|${r.code}|${r.data_element}`;

test('round trip: every figure the collection has is found again, once, by its national names', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000 }), (scale) => {
      const ret = sampleReturn(LA);
      // Any counts will do for a mapping: scale them so a mix-up between two cells shows.
      for (const key of BREAKDOWN_KEYS)
        for (const [i, c] of Object.values(ret.breakdowns[key]).entries())
          for (const m of measuresOf(key)) if (c[m] !== null) c[m] = (c[m] ?? 0) * scale + i;
      const rows = toNationalRows(ret, []);
      const cells = new Map(rows.map((r) => [cellOf(r), r.value]));
      assert.equal(cells.size, rows.length, 'two figures share one national cell');
      for (const f of figuresOf(ret)) {
        const element = NATIONAL_MEASURES[f.measure];
        if (f.breakdown === 'total') {
          const cell = element
            ? `totals|TOTAL||${element.element}`
            : `mortar_extra|TOTAL||MORTAR: ${f.measure === 'pending' ? 'PENDING' : ''}`;
          assert.equal(cells.get(cell), f.value, cell);
          continue;
        }
        const def = NATIONAL_BREAKDOWNS[f.breakdown];
        if (def.kind === 'mortar_only') {
          const name = element?.element ?? `MORTAR: ${f.measure.toUpperCase()}`;
          assert.equal(cells.get(`mortar_extra|${def.item}|${f.category}|${name}`), f.value);
          continue;
        }
        const national = def.categories[f.category];
        const collected = national && element && (!def.measures || def.measures.includes(f.measure));
        const cell = `breakdown|${def.item}|${national?.code}|${element?.element}${def.elementSuffix ?? ''}`;
        assert.equal(cells.get(cell), collected ? f.value : undefined, cell);
      }
    }),
    { numRuns: 20, seed: 14 },
  );
});

test('the written exception reasons go out with the rate, and a reason too long for the national item says so', () => {
  const ret = sampleReturn(LA);
  const reasons = { pharmacy: 'A new pharmacy scheme started in August.', general_practice: 'x'.repeat(201) };
  const rows = toNationalRows(ret, settingsNeedingReasons({ data: ret, reasons }));
  const exceptions = rows.filter((r) => r.section === 'exception_reason');
  assert.deepEqual(
    exceptions.map((r) => [r.code, r.description, r.value, r.note === '' ? '' : 'note']),
    [
      ['pharmacy', 'Pharmacy: 0 of 3 quit (0%)', 'A new pharmacy scheme started in August.', ''],
      ['general_practice', 'GP practice: 1 of 1 quit (100%)', 'x'.repeat(201), 'note'],
    ],
  );
  assert.match(exceptions[1]!.note, /201 characters; the national item takes 200/);
  assert.ok(
    exceptions.every((r) => r.data_element === 'STOP SMOKING INTERVENTION SETTING TYPE REASON FOR EXCEPTION'),
  );
  const csv = nationalRowsToCsv(
    toNationalRows(ret, settingsNeedingReasons({ data: ret, reasons: { pharmacy: '=HYPERLINK("x")' } })),
  );
  assert.ok(csv.includes(`"'=HYPERLINK(""x"")"`), 'a reason a spreadsheet would run is defused');
});

test('only the parts the national data set collects: pregnant people, free prescriptions with two counts', () => {
  const rows = toNationalRows(sampleReturn(LA), []);
  const pregnant = rows.filter((r) => r.data_item === 'PREGNANT');
  assert.deepEqual(new Set(pregnant.map((r) => r.code)), new Set(['Y']));
  assert.ok(pregnant.every((r) => r.data_element.endsWith(' (PREGNANT)')));
  const free = rows.filter((r) => r.data_item === 'FREE PRESCRIPTION');
  assert.deepEqual(
    free.map((r) => r.data_element),
    [
      'STOP SMOKING SETTING QUIT DATE TOTAL (FREE PRESCRIPTION)',
      'STOP SMOKING SUCCESSFULLY QUIT TOTAL (FREE PRESCRIPTION)',
    ],
  );
  const sessions = rows.filter((r) => r.data_item === 'INTERVENTION SESSION TYPE (STOP SMOKING)');
  assert.ok(sessions.filter((r) => r.code !== 'not_known').every((r) => r.confirmed === 'yes'));
});

test('NATIONAL-LAYOUT.md lists every national item and code of the mapping', () => {
  const doc = readFileSync(new URL('./NATIONAL-LAYOUT.md', import.meta.url), 'utf8');
  for (const [key, def] of Object.entries(NATIONAL_BREAKDOWNS)) {
    assert.ok(doc.includes(`\`${key}\``), `${key} is not in the document`);
    assert.ok(doc.includes(def.item), `${def.item} is not in the document`);
    if (def.kind !== 'national') continue;
    for (const [category, c] of Object.entries(def.categories)) {
      const line = doc
        .split('\n')
        .find((l) => l.startsWith(`| \`${key}\` `) && l.includes(`| \`${category}\` `));
      assert.ok(line, `${key} ${category} has no line in the table`);
      assert.ok(
        c ? line.includes(`| \`${c.code}\` `) : line.includes('not collected'),
        `${key} ${category}: ${line}`,
      );
    }
  }
  for (const e of Object.values(NATIONAL_MEASURES)) if (e) assert.ok(doc.includes(e.element), e.element);
});
