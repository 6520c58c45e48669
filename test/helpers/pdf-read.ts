// A PDF read back with Mozilla's PDF.js: what a reader (and a screen reader) finds in it, not what the
// writing library was told. For the letters' tests.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

const FONTS = fileURLToPath(new URL('../../node_modules/pdfjs-dist/standard_fonts/', import.meta.url));

const roles = (node: unknown): string[] => {
  const n = node as { role?: string; children?: unknown[] };
  return [...(n.role ? [n.role] : []), ...(n.children ?? []).flatMap(roles)];
};

export type ReadPdf = {
  info: Record<string, unknown>;
  xmp: string;
  marked: boolean;
  displayDocTitle: boolean;
  /** Every page's text in reading order, a line break where PDF.js sees one. */
  text: string;
  /** Structure roles of every page, depth first. */
  roles: string[];
  /** The names of the fonts the text is drawn with, and how many of them are embedded. */
  fonts: string[];
  embeddedFonts: number;
  pages: number;
};

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: FONTS,
    fontExtraProperties: true,
  });
  const pdf = await task.promise;
  try {
    const meta = await pdf.getMetadata();
    // PDF.js answers the mark information and viewer preferences as Maps, whatever its types say.
    const markInfo = (await pdf.getMarkInfo()) as unknown as Map<string, unknown> | null;
    const prefs = (await pdf.getViewerPreferences()) as unknown as Map<string, unknown> | null;
    let text = '';
    const allRoles: string[] = [];
    const fonts = new Map<string, boolean>();
    for (let i = 1; i <= pdf.numPages; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
      text += '\n';
      allRoles.push(...roles(await page.getStructTree()));
      const ops = await page.getOperatorList();
      ops.fnArray.forEach((fn, k) => {
        if (fn !== OPS.setFont) return;
        const font = page.commonObjs.get(String((ops.argsArray[k] as unknown[])[0])) as {
          name: string;
          missingFile: boolean;
        };
        fonts.set(font.name, !font.missingFile);
      });
    }
    return {
      info: meta.info as Record<string, unknown>,
      xmp: (meta.metadata as { getRaw(): string } | null)?.getRaw() ?? '',
      marked: markInfo?.get('Marked') === true,
      displayDocTitle: prefs?.get('DisplayDocTitle') === true,
      text,
      roles: allRoles,
      fonts: [...fonts.keys()],
      embeddedFonts: [...fonts.values()].filter(Boolean).length,
      pages: pdf.numPages,
    };
  } finally {
    await task.destroy();
  }
}

const squeeze = (s: string) => s.replace(/[\s•]+/g, '');

/**
 * The PDF's text holds exactly these lines' words, in this order, and nothing else (spacing aside: a PDF
 * breaks lines where it likes; bullets are the list's marks, not words).
 */
export function sameWords(pdfText: string, lines: readonly string[]): void {
  const got = squeeze(pdfText);
  const want = squeeze(lines.join(''));
  if (got === want) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  assert.fail(
    `The PDF's words differ from the letter's at character ${i}:\n  PDF:    …${got.slice(Math.max(0, i - 30), i + 40)}\n  letter: …${want.slice(Math.max(0, i - 30), i + 40)}`,
  );
}
