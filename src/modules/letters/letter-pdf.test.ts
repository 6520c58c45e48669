import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLetter, letterWords } from '../../platform/letter.ts';
import { letterPdf } from './letter-pdf.ts';
import { readPdf, sameWords } from '../../../test/helpers/pdf-read.ts';

const letter = buildLetter({
  title: 'Letter to the prescriber about clozapine',
  from: { name: 'Leeds Stop Smoking Service', address: '1 Park Row, Leeds', phone: '0113 000 0000' },
  to: 'Dr Ana Rees, Hyde Park Surgery',
  body: [
    '7 December 2026',
    '',
    'Dear Dr Rees,',
    '',
    'Sam Jones, date of birth 3 February 1980',
    'Stopping smoking: clozapine levels may rise',
    '',
    'Medicines affected by stopping smoking:',
    '- Clozapine: levels may rise (quit date set, 7 December 2026); not yet acknowledged.',
    '- Olanzapine: levels may rise (quit date set, 7 December 2026); acknowledged by the adviser.',
    '',
    'Chemicals in tobacco smoke (not nicotine) induce the liver enzyme CYP1A2, which metabolises clozapine. '.repeat(
      4,
    ),
    '',
    'Yours sincerely,',
  ].join('\n'),
});

test('the PDF has its title, English (UK), PDF/UA marking, a structure tree, embedded fonts and the letter’s words', async () => {
  const bytes = await letterPdf(letter);
  const pdf = await readPdf(bytes);
  assert.equal(pdf.info.Title, 'Letter to the prescriber about clozapine');
  assert.equal(pdf.info.Language, 'en-GB');
  assert.equal(pdf.marked, true);
  assert.equal(pdf.displayDocTitle, true);
  assert.match(pdf.xmp, /<pdfuaid:part>1<\/pdfuaid:part>/);
  for (const role of ['Document', 'H1', 'P', 'L', 'LI', 'Lbl', 'LBody'])
    assert.ok(pdf.roles.includes(role), `${role} in ${pdf.roles.join(' ')}`);
  // Every font the text uses is embedded (a TrueType font file), none is one of the unembedded standard 14.
  assert.ok(pdf.fonts.length >= 2, pdf.fonts.join());
  for (const f of pdf.fonts) assert.match(f, /NotoSans/);
  assert.equal(pdf.embeddedFonts, pdf.fonts.length);
  sameWords(pdf.text, [letter.title, ...letterWords(letter)]);
});

test('a word that differs between the letter and the PDF is caught by the comparison', async () => {
  const pdf = await readPdf(await letterPdf(letter));
  const changed = letterWords(letter).map((l) => l.replace('clozapine', 'olanzapine'));
  assert.throws(() => sameWords(pdf.text, [letter.title, ...changed]));
  assert.throws(() => sameWords(pdf.text, [letter.title, ...letterWords(letter).slice(1)]));
});
