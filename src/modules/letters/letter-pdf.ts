// A letter as an accessible PDF (pdfkit, tagged): its title shown in the window, English (UK) as its
// language, PDF/UA identification, headings, paragraphs and lists marked as such so a screen reader reads
// it in order, and its fonts embedded (Noto Sans, SIL Open Font Licence, from @expo-google-fonts/noto-sans)
// so it looks the same on every computer and its text can be copied. Drawn from the same Letter as the
// page (platform/letter.ts), so the words are the page's words.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Letter, LetterBlock } from '../../platform/letter.ts';
import { toLine } from '../../platform/letter.ts';
import { pdfBytes } from '../../platform/pdf-bytes.ts';

type Doc = InstanceType<typeof PDFDocument>;
type Struct = ReturnType<Doc['struct']>;

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
};
const BODY = 'Body';
const BOLD = 'Body-Bold';
const SIZE = 11;
const INDENT = 14;

function blockStruct(doc: Doc, b: LetterBlock): Struct {
  if (b.kind === 'paragraph')
    return doc.struct('P', {}, () => {
      doc.font(BODY).fontSize(SIZE).text(b.lines.join('\n'));
    });
  // Each item hangs beside its bullet, so a wrapped line lines up with the words, not the bullet.
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  let top = 0;
  const items = b.items.map((item) =>
    doc.struct('LI', {}, [
      doc.struct('Lbl', {}, () => {
        top = doc.y;
        doc.font(BODY).fontSize(SIZE).text('•', left, top, { lineBreak: false });
      }),
      doc.struct('LBody', {}, () => {
        doc.text(item, left + INDENT, top, { width: width - INDENT });
        doc.x = left;
      }),
    ]),
  );
  return doc.struct('L', {}, items);
}

/** The PDF's bytes. `author` is the service that wrote it. */
export function letterPdf(letter: Letter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    pdfVersion: '1.7',
    // pdfkit supports PDF/UA (its XMP identification); @types/pdfkit lists only the PDF/A subsets.
    subset: 'PDF/UA' as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: letter.title, Author: letter.from[0] ?? 'Mortar', Creator: 'Mortar' },
  });
  doc.registerFont(BODY, FONTS.regular);
  doc.registerFont(BOLD, FONTS.bold);
  const done = pdfBytes(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(
    doc.struct('H1', {}, () => {
      doc.font(BOLD).fontSize(16).text(letter.title);
      doc.moveDown(0.8);
    }),
  );
  root.add(
    doc.struct('P', {}, () => {
      doc.font(BODY).fontSize(SIZE).text(letter.from.join('\n'), { align: 'right' });
      doc.moveDown(0.8);
    }),
  );
  root.add(
    doc.struct('P', {}, () => {
      doc.font(BOLD).fontSize(SIZE).text(toLine(letter));
      doc.moveDown(0.8);
    }),
  );
  // A block's content is drawn when it is added to the tree, so the space after it is made here.
  for (const b of letter.blocks) {
    root.add(blockStruct(doc, b));
    doc.moveDown(0.6);
  }
  root.end();
  doc.end();
  return done;
}
