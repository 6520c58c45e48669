// The toolkit's markup: the only way a toolkit document says how it looks. People type it, so it is
// never HTML: a line "# " is a heading, "## " a smaller one, "- " a bulleted item, "1. " a numbered
// item, anything else a paragraph; a blank line ends a paragraph. {{service phone}} and the like are
// placeholders filled with the area's details when the document is downloaded. Everything else is text,
// escaped wherever it is shown.

/** The placeholders a document may use, and what each stands for. */
export const PLACEHOLDERS = {
  'service name': 'the name of the stop smoking service the area commissions',
  'service phone': 'its phone number',
  'service website': 'its website',
  'service email': 'its email address',
  'local authority': 'the name of the local authority',
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export const isPlaceholder = (name: string): name is PlaceholderName => name in PLACEHOLDERS;

export type Inline = { text: string } | { placeholder: string };
export type Block =
  | { kind: 'heading'; level: 2 | 3; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Text with its placeholders found; a name is matched ignoring case and spacing. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ placeholder: m[1]!.toLowerCase().replace(/\s+/g, ' ') });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

const BULLET = /^[-*]\s+(.*)$/;
const NUMBERED = /^\d+[.)]\s+(.*)$/;

/** The blocks of a body, in order. Never fails: any text is some document. */
export function parseMarkup(body: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,2})\s+(.*)$/.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (!line) endParagraph();
    else if (heading) {
      endParagraph();
      blocks.push({
        kind: 'heading',
        level: heading[1]!.length === 1 ? 2 : 3,
        inlines: parseInline(heading[2]!),
      });
    } else if (bullet || numbered) {
      endParagraph();
      const ordered = Boolean(numbered);
      const item = parseInline((bullet ?? numbered)![1]!);
      const prev = blocks.at(-1);
      if (prev?.kind === 'list' && prev.ordered === ordered) prev.items.push(item);
      else blocks.push({ kind: 'list', ordered, items: [item] });
    } else paragraph.push(line);
  }
  endParagraph();
  return blocks;
}

/** The placeholders a body uses that Mortar does not know, each once, as typed (lower case). */
export function unknownPlaceholders(body: string): string[] {
  const found = new Set<string>();
  for (const block of parseMarkup(body)) {
    const lines = block.kind === 'list' ? block.items : [block.inlines];
    for (const inline of lines.flat())
      if ('placeholder' in inline && !isPlaceholder(inline.placeholder)) found.add(inline.placeholder);
  }
  return [...found];
}
