// Reads the forms in a rendered page as a browser would, and fills one in the way a person would, so a
// test can send what a page really offers: its fields, its hidden values, its choices.

export type FormField = {
  name: string;
  /** input type (text, hidden, radio, checkbox, ...), 'textarea' or 'select'. */
  type: string;
  value: string;
  checked: boolean;
  /** A select's option values. */
  options: string[];
  /** The input's inputmode (numeric, decimal), which says a number is wanted. */
  inputmode: string;
  /** Out of the tab order and out of sight: a honeypot, which a person leaves empty. */
  untabbable: boolean;
};

export type HtmlForm = { method: 'get' | 'post'; action: string; fields: FormField[] };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(
    /\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g,
  ))
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** Every form in a page, with the page's URL resolving relative actions. */
export function formsIn(html: string, pageUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1]!);
    const body = m[2]!;
    const action = new URL(attrs.action || pageUrl, `http://mortar.test${pageUrl}`);
    const fields: FormField[] = [];
    for (const tag of body.matchAll(/<(input|button)\b([^>]*)>/gi)) {
      const a = attributes(tag[2]!);
      if (!a.name) continue;
      const type = (a.type ?? (tag[1]!.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
      fields.push({
        name: a.name,
        type,
        value: a.value ?? '',
        checked: 'checked' in a,
        options: [],
        inputmode: a.inputmode ?? '',
        untabbable: a.tabindex === '-1',
      });
    }
    for (const tag of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
      const a = attributes(tag[1]!);
      if (a.name)
        fields.push({
          name: a.name,
          type: 'textarea',
          value: decodeEntities(tag[2]!.replace(/^\n/, '')),
          checked: false,
          options: [],
          inputmode: '',
          untabbable: a.tabindex === '-1',
        });
    }
    for (const tag of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const a = attributes(tag[1]!);
      if (!a.name) continue;
      const options = [...tag[2]!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => {
        const oa = attributes(o[1]!);
        return { value: oa.value ?? decodeEntities(o[2]!.trim()), selected: 'selected' in oa };
      });
      const chosen = options.find((o) => o.selected && o.value !== '') ?? options.find((o) => o.value !== '');
      fields.push({
        name: a.name,
        type: 'select',
        value: chosen?.value ?? '',
        checked: false,
        options: options.map((o) => o.value),
        inputmode: '',
        untabbable: false,
      });
    }
    forms.push({
      method: attrs.method?.toLowerCase() === 'post' ? 'post' : 'get',
      action: `${action.pathname}${action.search}`,
      fields,
    });
  }
  return forms;
}

/**
 * What a person would type into an empty field: enough to get past the usual checks. Dates are `today`
 * (the demonstration data is dated from today), or a year on for the end of something.
 */
export function plausibleValue(field: Pick<FormField, 'name' | 'type' | 'inputmode'>, today: string): string {
  const n = field.name.toLowerCase();
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const later = /end|renew|due|until|reviewon/.test(n);
  if (field.type === 'email' || n.includes('email')) return 'fuzz@example.org';
  if (field.type === 'password' || n.includes('password')) return 'Fuzz-password-12345';
  if (n.includes('postcode')) return 'LS6 1AN';
  if (field.type === 'tel' || n.includes('phone')) return '07700 900123';
  if (n.includes('nhsnumber')) return '943 476 5919';
  if (n === 'campaigncode') return '';
  if (n === 'odscode') return 'RR8';
  if (n === 'code') return 'fuzz-code';
  if (n.endsWith('-day')) return String(day);
  if (n.endsWith('-month')) return String(month);
  if (n.endsWith('-year')) return n.includes('birth') ? '1985' : String(later ? year + 1 : year);
  if (n.includes('latitude')) return '53.8';
  if (n.includes('longitude')) return '-1.55';
  if (field.type === 'number' || field.inputmode === 'numeric' || field.inputmode === 'decimal') return '5';
  if (n.includes('url') || n.includes('website')) return 'https://example.org';
  return 'Fuzz text';
}

export type FormBody = Record<string, string | string[]>;

/**
 * The form as a person would send it: what the page filled in is kept, empty text boxes get a plausible
 * value (a honeypot stays empty), the checked (or else the first) choice of each group is taken. The CSRF token is left to the
 * session that sends it.
 */
export function filledIn(form: HtmlForm, today: string): FormBody {
  const body: FormBody = {};
  const groups = new Map<string, FormField[]>();
  for (const f of form.fields) {
    if (f.name === '_csrf' || f.type === 'file' || f.type === 'reset') continue;
    if (f.type === 'radio' || f.type === 'checkbox' || f.type === 'submit' || f.type === 'image') {
      groups.set(f.name, [...(groups.get(f.name) ?? []), f]);
      continue;
    }
    const kept = f.type === 'hidden' || f.type === 'select' || f.value !== '' || f.untabbable;
    const value = kept ? f.value : plausibleValue(f, today);
    const had = body[f.name];
    body[f.name] = had === undefined ? value : [...[had].flat(), value];
  }
  for (const [name, fields] of groups) {
    const first = fields[0]!;
    if (first.type === 'submit' || first.type === 'image') body[name] = first.value;
    else if (first.type === 'radio') body[name] = (fields.find((f) => f.checked) ?? first).value;
    else {
      const checked = fields.filter((f) => f.checked).map((f) => f.value);
      body[name] = checked.length ? checked : [first.value];
    }
  }
  return body;
}

/** Links to other pages of this site. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\shref="(\/[^"#]*)"/gi)].map((m) => decodeEntities(m[1]!));
}
