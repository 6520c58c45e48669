import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildLetter, letterBlocks, letterFileName, letterheadLines, letterWords } from './letter.ts';

test('paragraphs are runs of lines between blank lines; "- " lines are the items of a list', () => {
  assert.deepEqual(
    letterBlocks(
      '7 December 2026\n\nDear Dr Rees,\n\nSam Jones\nStopping smoking\n\nMedicines:\n- Clozapine: levels may rise.\n- Olanzapine.\n\nYours sincerely,\n\nAmy',
    ),
    [
      { kind: 'paragraph', lines: ['7 December 2026'] },
      { kind: 'paragraph', lines: ['Dear Dr Rees,'] },
      { kind: 'paragraph', lines: ['Sam Jones', 'Stopping smoking'] },
      { kind: 'paragraph', lines: ['Medicines:'] },
      { kind: 'list', items: ['Clozapine: levels may rise.', 'Olanzapine.'] },
      { kind: 'paragraph', lines: ['Yours sincerely,'] },
      { kind: 'paragraph', lines: ['Amy'] },
    ],
  );
  assert.deepEqual(letterBlocks('a\r\n\r\n\r\nb'), [
    { kind: 'paragraph', lines: ['a'] },
    { kind: 'paragraph', lines: ['b'] },
  ]);
  // A hyphen without its space is words, not a list.
  assert.deepEqual(letterBlocks('-5 degrees'), [{ kind: 'paragraph', lines: ['-5 degrees'] }]);
});

test('the letterhead and addressee come first, as the page has always shown them', () => {
  const letter = buildLetter({
    title: ' Letter to the prescriber about clozapine ',
    from: {
      name: 'Leeds Stop Smoking Service',
      address: null,
      phone: '0113 000 0000',
      email: 'leeds@nhs.net',
    },
    to: 'Dr Ana Rees (psychiatrist)',
    body: 'Dear Dr Rees,',
  });
  assert.equal(letter.title, 'Letter to the prescriber about clozapine');
  assert.deepEqual(letterWords(letter), [
    'Leeds Stop Smoking Service',
    'Phone: 0113 000 0000',
    'Email: leeds@nhs.net',
    'To: Dr Ana Rees (psychiatrist)',
    'Dear Dr Rees,',
  ]);
  assert.deepEqual(letterheadLines({ name: 'S', address: '1 Park Row' }), ['S', '1 Park Row']);
});

test('property: every line of the text is in the letter, in order, and nothing else', () => {
  const line = fc.stringMatching(/^[ A-Za-z0-9,.:'()-]{0,30}$/);
  fc.assert(
    fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
      const body = lines.join('\n');
      const words = letterWords(buildLetter({ title: 'T', from: { name: 'S' }, to: 'X', body })).slice(2);
      const expected = lines
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => (/^- /.test(l) ? l.slice(2).trim() : l));
      assert.deepEqual(words, expected);
    }),
    { numRuns: 500 },
  );
});

test('the PDF file name has no personal details, only part of the record id', () => {
  assert.equal(letterFileName('letter', '3f2a9c1d-0000-4000-8000-000000000000'), 'letter-3f2a9c1d.pdf');
  assert.equal(letterFileName('note', '../../etc/passwd"'), 'note-ecad.pdf');
});
