// A letter's content, once, for every way it leaves Mortar: the page (HTML, printed), the PDF downloaded
// and the PDF attached to a secure email are all drawn from this one structure, so their words cannot
// differ. Pure: the letters' words are written by their own rules (medicines.ts prescriberLetter,
// clinician-note.ts clinicianNote) as plain text; this gives that text its structure.

export type LetterBlock = { kind: 'paragraph'; lines: string[] } | { kind: 'list'; items: string[] };

export type Letter = {
  /** What the letter is (the PDF's title and first heading, the page's heading). Never the person's name. */
  title: string;
  /** The service's letterhead, one line each: name, address, phone, email. */
  from: string[];
  /** Who it is addressed to: "Dr Ana Rees, Hyde Park Surgery". */
  to: string;
  blocks: LetterBlock[];
};

export type Letterhead = {
  name: string;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
};

/** The letterhead's lines, as the page has always shown them. */
export function letterheadLines(s: Letterhead): string[] {
  return [
    s.name,
    ...(s.address ? [s.address] : []),
    ...(s.phone ? [`Phone: ${s.phone}`] : []),
    ...(s.email ? [`Email: ${s.email}`] : []),
  ];
}

const LIST_ITEM = /^- (.*)$/;

/**
 * Paragraphs are runs of lines between blank lines; lines that start with "- " are the items of a list.
 * Every line of the text is kept, in order, with nothing added.
 */
export function letterBlocks(body: string): LetterBlock[] {
  const blocks: LetterBlock[] = [];
  let current: LetterBlock | null = null;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) {
      current = null;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      if (current?.kind !== 'list') blocks.push((current = { kind: 'list', items: [] }));
      current.items.push(item[1]!.trim());
    } else {
      if (current?.kind !== 'paragraph') blocks.push((current = { kind: 'paragraph', lines: [] }));
      current.lines.push(line);
    }
  }
  return blocks;
}

export function buildLetter(o: { title: string; from: Letterhead; to: string; body: string }): Letter {
  return {
    title: o.title.trim(),
    from: letterheadLines(o.from),
    to: o.to.trim(),
    blocks: letterBlocks(o.body),
  };
}

/** "To: …", the line that says who the letter is for, on the page and in the PDF alike. */
export const toLine = (letter: Letter) => `To: ${letter.to}`;

/**
 * The letter's words in reading order (letterhead, addressee, body), one line each: what a PDF or a page
 * showing this letter must hold, and nothing else. The title is not part of it (it heads the page).
 */
export function letterWords(letter: Letter): string[] {
  return [
    ...letter.from,
    toLine(letter),
    ...letter.blocks.flatMap((b) => (b.kind === 'paragraph' ? b.lines : b.items)),
  ];
}

/** A file name for the letter's PDF with no personal details in it: "letter-3f2a9c1d.pdf". */
export function letterFileName(kind: 'letter' | 'note', id: string): string {
  return `${kind}-${id.replace(/[^0-9a-f]/gi, '').slice(0, 8) || 'mortar'}.pdf`;
}
