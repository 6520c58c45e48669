// Small readers of rendered pages, for this module's route tests.

export function decode(s: string): string {
  return s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The error summary's links, as [href, text] pairs. */
export function errorSummary(html: string): [string, string][] {
  const start = html.indexOf('nhsuk-error-summary__list');
  if (start < 0) return [];
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/<a href="([^"]+)"[^>]*>\s*([^<]*?)\s*<\/a>/g)].map((m) => [m[1]!, decode(m[2]!)]);
}

/** The error summary's messages, keyed by the field they link to. */
export function errorsByField(html: string): Record<string, string> {
  return Object.fromEntries(errorSummary(html).map(([href, text]) => [href.slice(1), text]));
}

/** The value attribute of the input with this id. */
export function inputValue(html: string, id: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0];
  const v = tag ? /\bvalue="([^"]*)"/.exec(tag)?.[1] : undefined;
  return v === undefined ? undefined : decode(v);
}

/** The text of a textarea with this id. */
export function textareaValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<textarea[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]!.trim()) : undefined;
}

/** The selected option's value of the select with this id. */
export function selectedOption(html: string, id: string): string | undefined {
  const start = html.search(new RegExp(`<select[^>]*\\bid="${id}"`));
  if (start < 0) return undefined;
  const body = html.slice(start, html.indexOf('</select>', start));
  return /<option\s+value="([^"]*)"\s+selected/.exec(body)?.[1];
}

/** The table whose caption contains this text (caption to closing tag). */
export function tableWithCaption(html: string, caption: string): string {
  const at = html.indexOf(caption);
  if (at < 0) throw new Error(`No table with caption "${caption}"`);
  const start = html.lastIndexOf('<table', at);
  return html.slice(start, html.indexOf('</table>', at));
}

/** The numbers in the row of a table whose heading cell is this label. */
export function rowNumbers(table: string, label: string): number[] {
  const rows = table.split('<tr').slice(1);
  const row = rows.find((r) =>
    new RegExp(`<th[^>]*>\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*</th>`).test(decode(r)),
  );
  if (!row) throw new Error(`No row "${label}"`);
  return [...row.matchAll(/<td[^>]*>\s*(\d+)\s*<\/td>/g)].map((m) => Number(m[1]));
}

/**
 * Visible text of a page, tags removed, for "does not mention" checks. As on a desktop: the headings a
 * responsive table repeats in each cell for a phone (hidden from screen readers) are left out.
 */
export function textOf(html: string): string {
  return decode(
    html
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(
        /<span class="nhsuk-table__heading" aria-hidden="true">(?:[^<]|<span[^>]*>[^<]*<\/span>)*<\/span>/g,
        '',
      )
      .replace(/<[^>]+>/g, ' '),
  ).replace(/\s+/g, ' ');
}
