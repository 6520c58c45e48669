// Filling a toolkit document with an area's details, and writing it as HTML. A detail the area has not
// recorded is never left blank: a leaflet with an empty phone number looks finished and sends people
// nowhere, so the gap is shown in words that stand out ("[service phone: not recorded]").
import {
  isPlaceholder,
  parseMarkup,
  type Block,
  type Inline,
  type PlaceholderName,
} from './toolkit-markup.ts';

/** The area's details, as far as they are known; null or blank is "not recorded". */
export type LocalDetails = Partial<Record<PlaceholderName, string | null>>;

/** A piece of filled text: plain text, or a gap the reader must see. */
export type Piece = { text: string; gap: boolean };
export type FilledBlock =
  | { kind: 'heading'; level: 2 | 3; pieces: Piece[] }
  | { kind: 'paragraph'; pieces: Piece[] }
  | { kind: 'list'; ordered: boolean; items: Piece[][] };

function fillInline(inline: Inline, details: LocalDetails | null): Piece {
  if ('text' in inline) return { text: inline.text, gap: false };
  const name = inline.placeholder;
  if (!isPlaceholder(name)) return { text: `[unknown placeholder: ${name}]`, gap: true };
  // No details at all: the national version as published, its placeholders named for whoever adapts it.
  if (details === null) return { text: `[${name}]`, gap: true };
  const value = details[name]?.trim();
  return value ? { text: value, gap: false } : { text: `[${name}: not recorded]`, gap: true };
}

/** The document with each placeholder filled from `details`, or named when `details` is null. */
export function fillDocument(body: string, details: LocalDetails | null): FilledBlock[] {
  const fill = (inlines: Inline[]) => inlines.map((i) => fillInline(i, details));
  return parseMarkup(body).map((b: Block): FilledBlock => {
    if (b.kind === 'list') return { kind: 'list', ordered: b.ordered, items: b.items.map(fill) };
    if (b.kind === 'heading') return { kind: 'heading', level: b.level, pieces: fill(b.inlines) };
    return { kind: 'paragraph', pieces: fill(b.inlines) };
  });
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const pieceHtml = (p: Piece) =>
  p.gap ? `<mark class="app-toolkit-gap">${escapeHtml(p.text)}</mark>` : escapeHtml(p.text);
const piecesHtml = (ps: Piece[]) => ps.map(pieceHtml).join('');

/** The filled document as HTML: the only HTML a toolkit document becomes, every character escaped. */
export function toHtml(blocks: FilledBlock[]): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading') {
        const size = b.level === 2 ? 'nhsuk-heading-m' : 'nhsuk-heading-s';
        return `<h${b.level} class="${size}">${piecesHtml(b.pieces)}</h${b.level}>`;
      }
      if (b.kind === 'paragraph') return `<p>${piecesHtml(b.pieces)}</p>`;
      const tag = b.ordered ? 'ol' : 'ul';
      const items = b.items.map((i) => `<li>${piecesHtml(i)}</li>`).join('');
      return `<${tag} class="nhsuk-list nhsuk-list--${b.ordered ? 'number' : 'bullet'}">${items}</${tag}>`;
    })
    .join('\n');
}

/** The gaps a filled document has, each once: what the area should record before handing it out. */
export function gapsOf(blocks: FilledBlock[]): string[] {
  const all = blocks.flatMap((b) => (b.kind === 'list' ? b.items.flat() : b.pieces));
  return [...new Set(all.filter((p) => p.gap).map((p) => p.text))];
}
