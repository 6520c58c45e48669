import type PDFDocument from 'pdfkit';

/**
 * The finished file's bytes. Listen before drawing: pdfkit streams pages as it goes, so a listener added
 * after `end()` would miss them.
 */
export function pdfBytes(doc: InstanceType<typeof PDFDocument>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
