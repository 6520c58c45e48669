// A filled toolkit document as a tagged PDF (pdfkit): headings, paragraphs and lists are marked as such,
// so a screen reader reads it in order; it has a title shown in the window and English set as its
// language. Gaps (details the area has not recorded) are in bold with their words, never blank.
import PDFDocument from 'pdfkit';
import type { FilledBlock, Piece } from './toolkit-fill.ts';
import { pdfBytes } from '../../platform/pdf-bytes.ts';

type Doc = InstanceType<typeof PDFDocument>;
type Struct = ReturnType<Doc['struct']>;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/** Writes pieces as one run of text, gaps in bold, continuing on the same line. */
function writePieces(doc: Doc, pieces: Piece[], size: number, font = FONT, options: object = {}) {
  doc.fontSize(size);
  const runs = pieces.length ? pieces : [{ text: '', gap: false }];
  runs.forEach((p, i) => {
    doc.font(p.gap ? BOLD : font).text(p.text, { ...options, continued: i < runs.length - 1 });
  });
  doc.font(FONT);
}

function blockStruct(doc: Doc, b: FilledBlock): Struct {
  if (b.kind === 'heading')
    return doc.struct(b.level === 2 ? 'H2' : 'H3', {}, () => {
      doc.moveDown(0.6);
      writePieces(doc, b.pieces, b.level === 2 ? 15 : 12.5, BOLD);
      doc.moveDown(0.3);
    });
  if (b.kind === 'paragraph')
    return doc.struct('P', {}, () => {
      writePieces(doc, b.pieces, 11);
      doc.moveDown(0.5);
    });
  const items = b.items.map((item, i) =>
    doc.struct('LI', {}, [
      doc.struct('Lbl', {}, () => {
        doc.fontSize(11).text(b.ordered ? `${i + 1}.` : '•', { continued: true });
        doc.text(' ', { continued: true });
      }),
      doc.struct('LBody', {}, () => writePieces(doc, item, 11, FONT, { indent: 0 })),
    ]),
  );
  const list = doc.struct('L', {}, items);
  doc.moveDown(0.5);
  return list;
}

/** The PDF's bytes. `subtitle` says whose version it is (national, or the area's and which). */
export function toolkitPdf(o: { title: string; subtitle: string; blocks: FilledBlock[] }): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: o.title, Author: 'Mortar national toolkit', Subject: o.subtitle },
  });
  const done = pdfBytes(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('H1', {}, () => doc.font(BOLD).fontSize(20).text(o.title).font(FONT)));
  root.add(
    doc.struct('P', {}, () =>
      doc.fontSize(10).fillColor('#4c6272').text(o.subtitle).fillColor('black').moveDown(),
    ),
  );
  for (const b of o.blocks) root.add(blockStruct(doc, b));
  root.end();
  doc.end();
  return done;
}
