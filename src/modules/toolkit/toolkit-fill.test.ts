import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffParagraphs } from './toolkit-diff.ts';
import { fillDocument, gapsOf, toHtml } from './toolkit-fill.ts';
import { parseMarkup, unknownPlaceholders } from './toolkit-markup.ts';

const LEEDS = {
  'service name': 'Leeds Stop Smoking Service',
  'service phone': '0113 000 0000',
  'service website': 'https://example.org/leeds',
  'service email': null,
  'local authority': 'Leeds',
};

test('headings, paragraphs and both kinds of list are read from the markup', () => {
  const blocks = parseMarkup(
    '# Title\n\nOne line\nand the next\n\n## Steps\n1. First\n2. Second\n\n- A\n- B',
  );
  assert.deepEqual(
    blocks.map((b) => b.kind + (b.kind === 'list' ? `:${b.ordered}:${b.items.length}` : '')),
    ['heading', 'paragraph', 'heading', 'list:true:2', 'list:false:2'],
  );
  assert.deepEqual(blocks[1], { kind: 'paragraph', inlines: [{ text: 'One line and the next' }] });
});

test('placeholders are filled with the area’s details, matched ignoring case and spacing', () => {
  const html = toHtml(fillDocument('Call {{ Service  Phone }} or {{service name}}.', LEEDS));
  assert.equal(html, '<p>Call 0113 000 0000 or Leeds Stop Smoking Service.</p>');
});

test('a missing local detail is shown clearly, never blank', () => {
  const blocks = fillDocument('Email {{service email}}. Phone {{service phone}}.', {
    ...LEEDS,
    'service phone': '  ',
  });
  const html = toHtml(blocks);
  assert.match(html, /<mark class="app-toolkit-gap">\[service email: not recorded\]<\/mark>/);
  assert.match(html, /<mark class="app-toolkit-gap">\[service phone: not recorded\]<\/mark>/);
  assert.deepEqual(gapsOf(blocks), ['[service email: not recorded]', '[service phone: not recorded]']);
});

test('an unknown placeholder is named as unknown, and found before it is saved', () => {
  assert.deepEqual(unknownPlaceholders('{{service name}} {{Clinic Hours}} {{clinic hours}}'), [
    'clinic hours',
  ]);
  const html = toHtml(fillDocument('Open {{clinic hours}}', LEEDS));
  assert.match(html, /<mark class="app-toolkit-gap">\[unknown placeholder: clinic hours\]<\/mark>/);
});

test('with no area, placeholders are named for whoever adapts the document', () => {
  assert.equal(
    toHtml(fillDocument('Call {{service phone}}', null)),
    '<p>Call <mark class="app-toolkit-gap">[service phone]</mark></p>',
  );
});

test('text and details are escaped: markup typed into a document or a directory entry is shown as text', () => {
  const evil = { ...LEEDS, 'service name': '<img src=x onerror=alert(1)>' };
  const html = toHtml(
    fillDocument('# <script>alert(1)</script>\n\n- "quoted" & \'single\'\n\n{{service name}}', evil),
  );
  assert.ok(!html.includes('<script'), html);
  assert.ok(!html.includes('<img'), html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&quot;quoted&quot; &amp; &#39;single&#39;/);
});

test('whatever is typed, the HTML has no tag but the toolkit’s own', () => {
  const own = new Set(['h2', 'h3', 'p', 'ul', 'ol', 'li', 'mark']);
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string(), (body, name) => {
      const html = toHtml(fillDocument(body, { ...LEEDS, 'service name': name }));
      for (const m of html.matchAll(/<\/?([a-zA-Z0-9]+)/g))
        assert.ok(own.has(m[1]!), `tag ${m[1]} in ${html}`);
    }),
  );
});

test('the paragraph diff shows what was removed and added, and keeps the rest', () => {
  const before = 'Intro\n\nCall us\n\nEnd';
  const after = 'Intro\n\nPhone us\non weekdays\n\nEnd\n\nNew tip';
  assert.deepEqual(diffParagraphs(before, after), [
    { op: 'same', text: 'Intro' },
    { op: 'removed', text: 'Call us' },
    { op: 'added', text: 'Phone us\non weekdays' },
    { op: 'same', text: 'End' },
    { op: 'added', text: 'New tip' },
  ]);
  assert.ok(diffParagraphs('A\n\n\n  B  ', 'A\n\nB').every((d) => d.op === 'same'));
});

test('the diff of any two bodies rebuilds both of them', () => {
  const para = fc.constantFrom('A', 'B', 'C', 'D');
  fc.assert(
    fc.property(fc.array(para), fc.array(para), (a, b) => {
      const d = diffParagraphs(a.join('\n\n'), b.join('\n\n'));
      assert.deepEqual(
        d.filter((x) => x.op !== 'added').map((x) => x.text),
        a,
      );
      assert.deepEqual(
        d.filter((x) => x.op !== 'removed').map((x) => x.text),
        b,
      );
    }),
  );
});
