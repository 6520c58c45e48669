// What changed between two versions of a document, paragraph by paragraph: enough for a commissioner to
// see what the national team changed since the version their area adopted, without reading both whole.

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/** The paragraphs (blocks between blank lines) of a body, each with its spacing tidied. */
export function paragraphsOf(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
}

/** A paragraph diff by longest common subsequence: removed before added where a paragraph changed. */
export function diffParagraphs(before: string, after: string): DiffLine[] {
  const a = paragraphsOf(before);
  const b = paragraphsOf(after);
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: 'removed', text: a[i++]! });
    else out.push({ op: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ op: 'added', text: b[j++]! });
  return out;
}

/** Whether anything changed at all. */
export const hasChanges = (diff: DiffLine[]) => diff.some((d) => d.op !== 'same');
