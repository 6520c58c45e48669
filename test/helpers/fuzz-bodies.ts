// Bodies for test/input-fuzz.db.test.ts: what a program (not a browser) could send to a form or an API.
import fc from 'fast-check';

const ODD_TEXT = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\uD83D',
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  'NaN',
  '99999999999999999999',
  '2026-02-30',
  '31',
  '<script>alert(1)</script>',
  "'; drop table referrals; --",
  '\u202Eevil',
  '\u200B',
  '👩🏽‍⚕️'.repeat(50),
  'e\u0301',
  '\uFEFF',
  '\uFFFF',
  'x'.repeat(20_000),
  'é'.repeat(3000),
  '%00',
  '../../etc/passwd',
  'null',
  '[]',
  '{}',
];
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
);
const oddKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'a\u0000', 'x[]', 'formToken', 'id');
const keyOf = (base: object) => {
  const keys = Object.keys(base).filter((k) => k !== '_csrf');
  return keys.length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: oddKey })
    : oddKey;
};
const formValue = fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 2, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const jsonValue = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const changed = <V>(base: Record<string, unknown>, value: fc.Arbitrary<V>) =>
  fc.array(fc.tuple(keyOf(base), value), { minLength: 1, maxLength: 3 }).map((changes) => {
    const body: Record<string, unknown> = { ...base };
    for (const [k, v] of changes) {
      if (v === undefined) delete body[k];
      else Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return body;
  });

/** A body and how it is sent: as a form (urlencoded, or a query string) or as JSON. */
export type Sent = { encoding: 'form' | 'json'; body: unknown };
export type Kind = 'form' | 'json' | 'query';

/** Bodies for a route: its base with one to three fields changed, or (JSON) any JSON at all. */
export function bodiesFor(kind: Kind, base: Record<string, unknown>): fc.Arbitrary<Sent> {
  const json = fc.oneof(
    { weight: 5, arbitrary: changed(base, jsonValue) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  if (kind === 'json') return json.map((body) => ({ encoding: 'json', body }));
  const form = changed(base, formValue).map((body): Sent => ({ encoding: 'form', body }));
  if (kind === 'query') return form;
  // A program can send JSON to a form's address too.
  return fc.oneof(
    { weight: 4, arbitrary: form },
    { weight: 1, arbitrary: json.map((body): Sent => ({ encoding: 'json', body })) },
  );
}

/** Percent-encodes text as a program could: half a surrogate pair becomes the bytes it would be in UTF-8. */
function encode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) out += encodeURIComponent(s.slice(i, ++i + 1));
    else if (c >= 0xd800 && c <= 0xdfff)
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(s[i]!);
  }
  return out;
}
export const urlencoded = (body: Record<string, unknown>) =>
  Object.entries(body)
    .flatMap(([k, v]) => [v].flat().map((item) => `${encode(k)}=${encode(String(item))}`))
    .join('&');

/**
 * Before the random bodies, each field in turn, the rest as the page filled it in: with a NUL in its
 * text, and (in JSON, the only way to send one) half a surrogate pair.
 * Most text is only stored when everything else is valid, so this is what reaches the database.
 */
export function oneFieldAtATime(kind: Kind, base: Record<string, unknown>): Sent[] {
  const encoding = kind === 'json' ? 'json' : 'form';
  const withNul = (v: unknown) => {
    const s = typeof v === 'string' && v ? v : 'text';
    return `${s.slice(0, 1)}\u0000${s.slice(1)}`;
  };
  const out: Sent[] = [{ encoding, body: base }];
  for (const key of Object.keys(base).filter((k) => k !== '_csrf')) {
    const v = base[key];
    out.push({ encoding, body: { ...base, [key]: withNul(v) } });
    if (encoding === 'json') out.push({ encoding, body: { ...base, [key]: `x\uD800${String(v)}` } });
  }
  return out;
}

/** A body short enough to read in a failure message. */
export const shown = (sent: Sent) => {
  const s = JSON.stringify(sent.body, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length} characters)` : v,
  );
  return `${sent.encoding} ${s?.slice(0, 600)}`;
};
