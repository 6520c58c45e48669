import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loinc, snomed, snomedCoding, SNOMED_CT_SYSTEM, unconfirmedConcepts } from './clinical-codes.ts';
import { isSnomedConceptId, sctidPartition, verhoeffValid } from './snomed-id.ts';

const concepts = Object.entries(snomed);

test('every SNOMED CT id has a valid check digit and a concept partition (a typo fails here)', () => {
  for (const [key, c] of concepts) {
    assert.ok(isSnomedConceptId(c.code), `${key} ${c.code} is not a well-formed concept id`);
  }
});

test('the partition says which edition a concept comes from: short form international, long form UK', () => {
  for (const [key, c] of concepts) {
    const partition = sctidPartition(c.code);
    assert.equal(partition?.format, c.edition === 'international' ? 'short' : 'long', key);
    if (c.edition === 'uk') assert.match(c.code, /1000000\d{3}$/, `${key}: the UK namespace is 1000000`);
  }
});

test('every concept and LOINC code says where it was checked, and is active', () => {
  for (const [key, c] of [...concepts, ...Object.entries(loinc)]) {
    assert.ok(c.source.trim().length > 10, `${key} has no source`);
    assert.ok(c.display.trim().length > 0, `${key} has no term`);
  }
  for (const [key, c] of concepts) {
    assert.equal(c.active, true, `${key} is inactive: do not offer it`);
    assert.ok(c.semanticTag.length > 0, `${key} has no semantic tag`);
    assert.ok(['published', 'gp-records', 'public-code'].includes(c.evidence), key);
  }
});

test('no concept id is used twice, and nothing unconfirmed carries a code', () => {
  const codes = concepts.map(([, c]) => c.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const [key, u] of Object.entries(unconfirmedConcepts)) {
    assert.ok(!('code' in u), key);
    assert.ok(u.note.length > 20, `${key} says why no code is offered`);
  }
});

test('LOINC codes carry their mod-10 check digit', () => {
  // LOINC's check digit is the Luhn-style mod 10 of the part before the hyphen.
  const mod10 = (part: string) => {
    let sum = 0;
    [...part].reverse().forEach((d, i) => {
      const n = Number(d) * (i % 2 === 0 ? 2 : 1);
      sum += n > 9 ? n - 9 : n;
    });
    return (10 - (sum % 10)) % 10;
  };
  for (const [key, l] of Object.entries(loinc)) {
    const [part, check] = l.code.split('-');
    assert.equal(mod10(part!), Number(check), `${key} ${l.code}`);
  }
});

test('a single changed or swapped digit always fails the Verhoeff check', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...concepts.map(([, c]) => c.code)),
      fc.nat(),
      fc.integer({ min: 1, max: 9 }),
      (code, at, by) => {
        const i = at % code.length;
        const changed = code.slice(0, i) + ((Number(code[i]) + by) % 10) + code.slice(i + 1);
        assert.equal(verhoeffValid(changed), false, changed);
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          assert.equal(verhoeffValid(swapped), false, swapped);
        }
      },
    ),
  );
});

test('known identifiers: concepts pass, descriptions and malformed ids do not', () => {
  assert.ok(isSnomedConceptId('138875005')); // SNOMED CT root concept
  assert.ok(isSnomedConceptId('999000011000000103')); // the UK clinical extension's module, long form
  // A description id (partition 01) with a right check digit is still not a concept.
  const description = [...'0123456789'].map((d) => `1234501${d}`).find(verhoeffValid)!;
  assert.deepEqual(sctidPartition(description), { format: 'short', kind: 'description' });
  assert.equal(isSnomedConceptId(description), false);
  assert.equal(isSnomedConceptId('077176002'), false);
  assert.equal(isSnomedConceptId('77176003'), false);
  assert.equal(isSnomedConceptId('12345'), false);
  assert.equal(isSnomedConceptId('1000000100'), false); // long form too short for a namespace
});

test('a FHIR Coding names the SNOMED CT system', () => {
  assert.deepEqual(snomedCoding(snomed.smoker), {
    system: SNOMED_CT_SYSTEM,
    code: '77176002',
    display: 'Smoker',
  });
});
