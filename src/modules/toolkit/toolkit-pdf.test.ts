import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { fillDocument } from './toolkit-fill.ts';
import { toolkitPdf } from './toolkit-pdf.ts';

const FONTS = fileURLToPath(new URL('../../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));

// The PDF is read back with Mozilla's PDF.js: what a reader would find in it, not what pdfkit was told.
async function readBack(bytes: Buffer) {
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: FONTS,
  });
  const pdf = await task.promise;
  const meta = await pdf.getMetadata();
  const markInfo = await pdf.getMarkInfo();
  const page = await pdf.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((i) => ('str' in i ? i.str : '')).join('');
  const tree = await page.getStructTree();
  await task.destroy();
  return { info: meta.info as Record<string, unknown>, markInfo, text, tree };
}

const tags = (node: unknown): string[] => {
  const n = node as { role?: string; children?: unknown[] };
  return [...(n.role ? [n.role] : []), ...(n.children ?? []).flatMap(tags)];
};

test('the PDF has its title, its language, is tagged, and holds the filled text with gaps in words', async () => {
  const blocks = fillDocument(
    '# Call us\n\nPhone {{service phone}} or visit {{service website}}.\n\n- One\n- Two',
    {
      'service phone': '0113 000 0000',
      'service website': null,
    },
  );
  const bytes = await toolkitPdf({
    title: 'Very Brief Advice script: GP practice',
    subtitle: 'Leeds version 2',
    blocks,
  });
  const r = await readBack(bytes);
  assert.equal(r.info.Title, 'Very Brief Advice script: GP practice');
  assert.equal(r.info.Language, 'en-GB');
  // PDF.js answers the mark information dictionary as a Map, whatever its types say.
  assert.equal((r.markInfo as unknown as Map<string, unknown>).get('Marked'), true);
  assert.match(r.text, /Phone 0113 000 0000 or visit \[service website: not recorded\]\./);
  assert.match(r.text, /Leeds version 2/);
  const roles = tags(r.tree);
  for (const role of ['H1', 'H2', 'P', 'L', 'LI'])
    assert.ok(roles.includes(role), `${role} in ${roles.join(' ')}`);
});
