import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decideMedicineName,
  describeMatch,
  editDistance,
  KEEP_AS_TYPED,
  listedCodes,
  medicineVocabulary,
  nameKey,
  recogniseMedicineName,
} from './medicine-names.ts';
import { OTHER_MEDICINES } from './medicine-names.vocabulary.ts';
import { DEFAULT_AFFECTED_MEDICINES } from './medicines.defaults.ts';
import { ISSUE_10_NAMES } from './medicines.fixtures.ts';

const LIST = DEFAULT_AFFECTED_MEDICINES;
const vocabulary = medicineVocabulary(LIST);
const recognise = (text: string) => recogniseMedicineName(text, vocabulary);
const codes = (text: string) => listedCodes(recognise(text));

/** Common medicines for mental health that are not on the list: they must never raise an alert. */
const COMMON_NOT_LISTED = [
  'quetiapine',
  'fluoxetine',
  'sertraline',
  'citalopram',
  'escitalopram',
  'venlafaxine',
  'mirtazapine',
  'aripiprazole',
  'lithium',
  'risperidone',
  'paroxetine',
  'trazodone',
  'lamotrigine',
  'valproate',
  'pregabalin',
  'diazepam',
  'lorazepam',
  'promethazine',
  'zopiclone',
  'vortioxetine',
  'amisulpride',
  'paliperidone',
  'lurasidone',
  'dosulepin',
  'lofepramine',
  'trimipramine',
  'perphenazine',
  'prochlorperazine',
  'buprenorphine',
  'methadone',
  'varenicline',
  'bupropion',
  'nicotine',
];

test('editDistance counts inserted, deleted, changed and swapped letters', () => {
  assert.equal(editDistance('clozapine', 'clozapine'), 0);
  assert.equal(editDistance('clozapin', 'clozapine'), 1);
  assert.equal(editDistance('clozepine', 'clozapine'), 1);
  assert.equal(editDistance('clozpaine', 'clozapine'), 1, 'a swap of neighbours is one');
  assert.equal(editDistance('fluoxetine', 'duloxetine'), 2);
  assert.equal(editDistance('olanzapine', 'clozapine'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('fluoxetine', 'fluvoxamine', 1), 2, 'stops past the limit it is given');
});

test('property: editDistance is symmetric, zero only for the same word, and bounded by the longer length', () => {
  const word = fc.string({ unit: fc.constantFrom(...'abcdeilnoprtz'), maxLength: 12 });
  fc.assert(
    fc.property(word, word, (a, b) => {
      const d = editDistance(a, b);
      assert.equal(d, editDistance(b, a));
      assert.equal(d === 0, a === b);
      assert.ok(d <= Math.max(a.length, b.length));
      assert.equal(editDistance(a, b, 2), Math.min(d, 3));
    }),
  );
});

test('names are compared on their words, without strengths, forms, salts or punctuation', () => {
  assert.equal(nameKey('Slo-Phyllin'), 'slophyllin');
  assert.equal(nameKey('Uniphyllin Continus'), 'uniphyllin');
  assert.equal(nameKey('Flupentixol decanoate 40mg/2ml depot injection'), 'flupentixol');
  assert.equal(nameKey('CLOZAPINE100MG'), 'clozapine');
});

test('every example from issue 10 is recognised as the generic on the list', () => {
  const examples = [...ISSUE_10_NAMES, ['Zaponex 100mg', 'clozapine', 'clozapine (brand Zaponex)']] as const;
  for (const [text, code, described] of examples) {
    const r = recognise(text);
    assert.deepEqual(listedCodes(r), [code], text);
    assert.equal(describeMatch(r.matches[0]!), described, text);
  }
});

test('salts, depots, modified release and strengths around or run into the name', () => {
  const cases: [string, string][] = [
    ['Zuclopenthixol decanoate 200mg/ml depot injection', 'zuclopenthixol'],
    ['Clopixol Acuphase 50mg/ml', 'zuclopenthixol'],
    ['Flupenthixol decanoate', 'flupentixol'],
    ['Fluphenazine decanoate (Modecate) 25mg', 'fluphenazine'],
    ['Olanzapine pamoate monohydrate 300mg', 'olanzapine'],
    ['olanzapine embonate', 'olanzapine'],
    ['Clomipramine hydrochloride 25mg capsules', 'clomipramine'],
    ['Theophylline M/R 200mg', 'theophylline'],
    ['Uniphyllin Continus 400mg modified-release tablets', 'theophylline'],
    ['Slo Phyllin 125mg', 'theophylline'],
    ['Ropinirole XL 8mg', 'ropinirole'],
    ['Melatonin 2mg prolonged release (Circadin)', 'melatonin'],
    ['Clozapine100mg', 'clozapine'],
    ['clozapinetablets', 'clozapine'],
    ['Haloperidol 5mg/ml injection', 'haloperidol'],
    ['WARFARIN 3MG', 'warfarin'],
  ];
  for (const [text, code] of cases) assert.deepEqual(codes(text), [code], text);
});

test('a name with two listed medicines gives both; a medicine and its brand give one', () => {
  assert.deepEqual(codes('Clozapine 300mg and olanzapine 5mg'), ['clozapine', 'olanzapine']);
  assert.deepEqual(codes('Olanzapine (Zyprexa) 10mg'), ['olanzapine']);
});

test('near spellings of medicines not on the list are never taken for listed ones', () => {
  for (const text of [
    'Quetiapine 50mg',
    'quetiapin',
    'Fluoxetine 20mg',
    'fluoxetin',
    'Sertraline',
    'Mirtazapine 15mg',
    'mirtazepine',
    'Citalopram',
    'Escitalopram',
    'Venlafaxine XL',
    'Aripiprazole',
    'Lithium carbonate 400mg',
    'Trimipramine',
    'Promazine',
    'Perphenazine',
    'Xclozapinex',
    'Hydroclozapinex',
  ])
    assert.deepEqual(codes(text), [], text);
  assert.deepEqual(
    recognise('quetiapin 25mg').matches.map((m) => m.name),
    ['quetiapine'],
    'recognised as not on the list',
  );
});

test('a spelling as close to two medicines is not guessed', () => {
  // One letter from fluoxetine (swap) and one from duloxetine (f for d).
  assert.equal(editDistance('fuloxetine', 'fluoxetine'), 1);
  assert.equal(editDistance('fuloxetine', 'duloxetine'), 1);
  const r = recognise('fuloxetine 20mg');
  assert.deepEqual(r.matches, []);
  assert.ok(r.suggestions.includes('duloxetine'), 'offered as a suggestion instead');
});

test('a near spelling must be strictly closer to the listed name than to any other name, even one matched only exactly', () => {
  const clozapine = LIST.find((m) => m.code === 'clozapine')!;
  // "Clozapin" as another medicine's brand: 8 letters, so matched only as spelled, but still a rival.
  const v = medicineVocabulary([clozapine], [{ name: 'zotepine', brands: ['Clozapin'] }], []);
  assert.equal(editDistance('clozapinx', 'clozapine'), 1);
  assert.equal(editDistance('clozapinx', 'clozapin'), 1);
  assert.deepEqual(recogniseMedicineName('clozapinx', v).matches, []);
  assert.deepEqual(listedCodes(recogniseMedicineName('clozapine', v)), ['clozapine']);
});

test('short brand names match only as spelled: an everyday word one letter away does not', () => {
  assert.deepEqual(codes('Modecate'), ['fluphenazine']);
  assert.deepEqual(codes('moderate'), []);
  assert.deepEqual(codes('Haldol'), ['haloperidol']);
  assert.deepEqual(codes('Handol'), []);
});

test('an unrecognised name has no matches and suggests the closest listed entries', () => {
  const r = recognise('Clozipene 25mg');
  assert.deepEqual(r.matches, []);
  assert.equal(r.suggestions[0], 'clozapine');
  assert.deepEqual(recognise('Zapclo 25mg'), { matches: [], suggestions: [] });
  assert.deepEqual(recognise('100mg tablets'), { matches: [], suggestions: [] });
});

test('the list as administrators keep it: an added brand matches, an inactive entry is known but not listed', () => {
  const edited = LIST.filter((m) => m.code !== 'haloperidol').map((m) =>
    m.code === 'fluvoxamine' ? { ...m, alsoKnownAs: ['Zapwell'] } : m,
  );
  const v = medicineVocabulary(edited);
  assert.deepEqual(listedCodes(recogniseMedicineName('Zapwell 50mg', v)), ['fluvoxamine']);
  const halo = recogniseMedicineName('Haloperidol 5mg', v);
  assert.deepEqual(listedCodes(halo), []);
  assert.deepEqual(
    halo.matches.map((m) => m.name),
    ['haloperidol'],
  );
  // A medicine of the vocabulary an administrator puts on the list is that entry, brands included.
  const withCitalopram = medicineVocabulary([
    ...LIST,
    { ...LIST[0]!, code: 'citalopram', name: 'Citalopram', alsoKnownAs: [] },
  ]);
  assert.deepEqual(listedCodes(recogniseMedicineName('Cipramil 20mg', withCitalopram)), ['citalopram']);
});

test('adding a medicine: recognised names are recorded, unknown ones are asked about until answered', () => {
  const recorded = decideMedicineName('Clozepine 100mg', LIST);
  assert.equal(recorded.kind, 'record');
  assert.ok(recorded.kind === 'record' && recorded.code === 'clozapine' && recorded.nameCheck === 'near');
  const other = decideMedicineName('Sertraline 50mg', LIST);
  assert.ok(other.kind === 'record' && other.code === null && other.nameCheck === 'other');

  const asked = decideMedicineName('Clzp 100mg', LIST);
  assert.deepEqual(asked, { kind: 'ask', suggestions: [] });
  assert.deepEqual(
    decideMedicineName('Clzp 100mg', LIST, { checkedName: 'Clzp 100mg' }),
    {
      kind: 'ask',
      suggestions: [],
      error: 'Select the medicine on the list it is, or keep the name as typed',
    },
    'answered with nothing',
  );
  const picked = decideMedicineName('Clzp 100mg', LIST, { checkedName: 'Clzp 100mg', confirm: 'clozapine' });
  assert.ok(picked.kind === 'record' && picked.code === 'clozapine' && picked.nameCheck === 'picked');
  const kept = decideMedicineName('Clzp 100mg', LIST, { checkedName: 'Clzp 100mg', confirm: KEEP_AS_TYPED });
  assert.ok(kept.kind === 'record' && kept.code === null && kept.nameCheck === 'as_typed');
  assert.equal(
    decideMedicineName('Clzp 50mg', LIST, { checkedName: 'Clzp 100mg', confirm: KEEP_AS_TYPED }).kind,
    'ask',
    'an answer about another name does not count',
  );
  assert.equal(
    decideMedicineName('Clzp', LIST, { checkedName: 'Clzp', confirm: 'no-such-code' }).kind,
    'ask',
  );
});

// Property-based tests ---------------------------------------------------------------------------------

const STRENGTHS = ['100mg', '5 mg', '2.5mg', '25 micrograms', '10mg/5ml', '200 mg/ml', '1.5 MG', '50mg'];
const AFTER = [
  'tablets',
  'tabs',
  'ODT',
  'orodispersible tablets',
  'depot',
  'depot injection',
  'modified release',
  'MR',
  'XL',
  'oral solution',
  'capsules',
  'hydrochloride',
  'decanoate',
  'pamoate',
  'maleate',
  'embonate',
  'once daily',
  'at night',
  '(generic)',
  '- sugar free',
];
const GLUED = ['tablets', 'tabs', 'ODT', 'MR', 'XL'];

/** A name as an adviser might type it: any case, a strength before or after, forms and salts after. */
const decorated = (name: string) =>
  fc
    .record({
      flips: fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      before: fc.option(fc.constantFrom(...STRENGTHS), { nil: undefined }),
      glued: fc.option(fc.constantFrom(...STRENGTHS, ...GLUED), { nil: undefined }),
      after: fc.array(fc.constantFrom(...STRENGTHS, ...AFTER), { maxLength: 3 }),
      spaces: fc.constantFrom(' ', '  ', ' - ', ', '),
    })
    .map(({ flips, before, glued, after, spaces }) => {
      const cased = [...name].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join('');
      return [before, cased + (glued ?? ''), ...after].filter((x) => x !== undefined).join(spaces);
    });

const LISTED_NAMES = LIST.flatMap((m) => [m.name, ...m.alsoKnownAs].map((n) => [n, m.code] as const));

test('property: every listed name and brand, with any strength, form, salt and case around it, is that medicine only', () => {
  for (const [name, code] of LISTED_NAMES) {
    fc.assert(
      fc.property(decorated(name), (text) => {
        assert.deepEqual(codes(text), [code], text);
      }),
      { numRuns: 40 },
    );
  }
});

const NOT_LISTED = OTHER_MEDICINES.flatMap((m) => [m.name, ...(m.brands ?? [])]);

test('property: no common medicine that is not on the list, however it is written, ever matches the list', () => {
  for (const name of COMMON_NOT_LISTED) assert.ok(NOT_LISTED.includes(name), `${name} is in the vocabulary`);
  for (const name of NOT_LISTED) {
    fc.assert(
      fc.property(decorated(name), (text) => {
        assert.deepEqual(codes(text), [], text);
      }),
      { numRuns: 15 },
    );
  }
});

/** One letter deleted, inserted, changed, or swapped with the next. */
const oneEdit = (word: string) =>
  fc
    .record({
      kind: fc.constantFrom('delete', 'insert', 'change', 'swap'),
      at: fc.nat({ max: word.length - 1 }),
      letter: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
    })
    .map(({ kind, at, letter }) => {
      if (kind === 'delete') return word.slice(0, at) + word.slice(at + 1);
      if (kind === 'insert') return word.slice(0, at) + letter + word.slice(at);
      if (kind === 'change') return word.slice(0, at) + letter + word.slice(at + 1);
      return at + 1 < word.length ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2) : word;
    });

const exactKeys = new Set(vocabulary.keys.map((k) => k.letters));

test('property: a one-letter slip in a listed generic name is that medicine or nothing, never another on the list', () => {
  for (const m of LIST) {
    const word = m.name.toLowerCase();
    fc.assert(
      fc.property(
        oneEdit(word),
        decorated('').map((d) => d.trim()),
        (typo, around) => {
          const found = codes(`${typo} ${around}`);
          if (exactKeys.has(typo)) return; // the slip spelled another name exactly
          assert.ok(found.length === 0 || (found.length === 1 && found[0] === m.code), `${typo}: ${found}`);
          // Names long enough to allow a near spelling are recognised unless the slip is as close to another.
          if (word.length >= 6 && found.length === 0) {
            const rivals = vocabulary.keys.filter(
              (k) => vocabulary.medicines[k.medicine]!.code !== m.code && editDistance(typo, k.letters) <= 1,
            );
            assert.ok(rivals.length > 0, `${typo} should be recognised as ${m.code}`);
          }
        },
      ),
      { numRuns: 60 },
    );
  }
});

test('property: a one-letter slip in a medicine that is not on the list never matches the list', () => {
  for (const name of NOT_LISTED.map((n) => nameKey(n)).filter((k) => k.length >= 4)) {
    fc.assert(
      fc.property(oneEdit(name), (typo) => {
        if (
          exactKeys.has(typo) &&
          vocabulary.byLetters.get(typo)!.some((k) => vocabulary.medicines[k.medicine]!.code)
        )
          return; // the slip spelled a listed name exactly
        assert.deepEqual(codes(typo), [], typo);
      }),
      { numRuns: 8 },
    );
  }
});
