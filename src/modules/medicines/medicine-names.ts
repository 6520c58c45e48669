import type { AffectedMedicine } from './medicine.types.ts';
import { DEFAULT_AFFECTED_MEDICINES } from './medicines.defaults.ts';
import {
  GLUED_SUFFIXES,
  NOISE_WORDS,
  OTHER_MEDICINES,
  type OtherMedicine,
} from './medicine-names.vocabulary.ts';

// Recognising the medicine in a name as an adviser types it: "Clozapin 100mg", "olanzapineODT",
// "ZypAdhera 210mg injection", "theophyline". Exact spelling let those through with no alert, so:
//
// 1. The text is split into words, with strengths, forms, salts and directions set aside (100mg, ODT,
//    tablets, depot, modified release, hydrochloride, decanoate, at night...), including a form run onto
//    the end of a name ("olanzapineODT").
// 2. A word, or two or three adjacent words joined ("Slo Phyllin"), spelled exactly as a generic name, a
//    code or a brand name is that medicine.
// 3. Otherwise a word is taken as a near spelling of a generic name when it is within a few letters of it
//    (more letters for longer names: none up to 5 letters, 1 up to 9, 2 up to 12, then 3; one letter for
//    brand names of 9 letters or more, none for shorter ones, which too often sit one letter from an
//    everyday word) AND strictly closer to it than to every other medicine Mortar knows, listed or not.
//    So a misspelling never becomes a different medicine of the list, and a name one letter from a medicine
//    that is not on the list (fluoxetine, quetiapine...) is never taken for one that is.
//
// Anything else is not recognised; the adviser is shown that and confirms the name or picks from the list.

type ListEntry = Pick<AffectedMedicine, 'code' | 'name' | 'alsoKnownAs'>;

export type NameMatch = {
  /** The list entry's code; null for a medicine Mortar knows that is not on the list. */
  code: string | null;
  /** Its generic name: the list's spelling, or the vocabulary's for one not on the list. */
  name: string;
  via: 'name' | 'brand' | 'near';
  /** The generic or brand name that matched, as the list spells it. */
  term: string;
  /** What was typed for it, in lower case. */
  typed: string;
};

/** The medicines found in a name, in the order they appear; when none, the list entries it may be, closest first. */
export type Recognition = { matches: NameMatch[]; suggestions: string[] };

type Medicine = { code: string | null; name: string };
type Key = {
  letters: string;
  medicine: number;
  kind: 'name' | 'brand';
  term: string;
  /** How many letters may differ for a near spelling; 0 for exact only. */
  threshold: number;
};

export type MedicineVocabulary = {
  medicines: Medicine[];
  keys: Key[];
  byLetters: Map<string, Key[]>;
};

const nameThreshold = (n: number) => (n >= 13 ? 3 : n >= 10 ? 2 : n >= 6 ? 1 : 0);
const brandThreshold = (n: number) => (n >= 9 ? 1 : 0);
const MAX_THRESHOLD = 3;

/** Lower-case words and numbers, with a number run onto a word split off ("100mg" is "100 mg"). */
function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/([a-z])(\d)/g, '$1 $2')
    .replace(/(\d)([a-z])/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const isContent = (w: string) => w.length > 1 && !/\d/.test(w) && !NOISE_WORDS.has(w);

const keyCache = new Map<string, string>();

/** A name as the recogniser compares it: its content words joined, "Slo-Phyllin" as "slophyllin". */
export function nameKey(term: string): string {
  let key = keyCache.get(term);
  if (key === undefined) {
    key = words(term).filter(isContent).join('');
    // Names come from the list and the vocabulary, a few hundred; the bound only guards against surprises.
    if (keyCache.size < 10_000) keyCache.set(term, key);
  }
  return key;
}

function stripGlued(word: string): string | null {
  for (const suffix of GLUED_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 5) return word.slice(0, -suffix.length);
  }
  return null;
}

/**
 * Optimal string alignment distance: the fewest letters inserted, deleted, changed or swapped with the
 * next one ("clozpaine" is one from "clozapine") to turn one word into the other. Past `max` the exact
 * figure does not matter to the recogniser, so it stops and answers max + 1.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  // Three rows of the usual table, reused: the one before the previous is for swaps.
  let before = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  let prevMin = 0;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // A cell comes from the row above, the one above that (a swap) or the cell to its left, so once two
    // rows in a row are past max, every later row is too.
    if (rowMin > max && prevMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
    prevMin = rowMin;
  }
  return Math.min(prev[m]!, max + 1);
}

/**
 * Every name Mortar knows: the list's entries (generic name, code and brand names) and the medicines not on
 * it (OTHER_MEDICINES, and default entries an administrator has made inactive or removed). A medicine not on
 * the list whose name an entry also has is that entry, and its brand names become the entry's.
 */
export function medicineVocabulary(
  list: readonly ListEntry[],
  others: readonly OtherMedicine[] = OTHER_MEDICINES,
  defaults: readonly ListEntry[] = DEFAULT_AFFECTED_MEDICINES,
): MedicineVocabulary {
  const medicines: Medicine[] = [];
  const keys: Key[] = [];
  const listed = new Map<string, number>();
  const added = new Set<string>();
  const add = (medicine: number, term: string, kind: Key['kind']) => {
    const letters = nameKey(term);
    if (letters.length < 3 || added.has(`${medicine} ${letters}`)) return;
    added.add(`${medicine} ${letters}`);
    if (medicines[medicine]!.code === null && listed.has(letters)) return;
    const threshold = kind === 'name' ? nameThreshold(letters.length) : brandThreshold(letters.length);
    keys.push({ letters, medicine, kind, term, threshold });
  };

  list.forEach((entry, i) => {
    medicines.push({ code: entry.code, name: entry.name });
    add(i, entry.name, 'name');
    add(i, entry.code, 'name');
    for (const brand of entry.alsoKnownAs) add(i, brand, 'brand');
  });
  for (const k of keys) if (!listed.has(k.letters)) listed.set(k.letters, k.medicine);

  const listedCodes = new Set(list.map((m) => m.code));
  const notListed: OtherMedicine[] = [
    ...defaults
      .filter((d) => !listedCodes.has(d.code))
      .map((d) => ({ name: d.name.toLowerCase(), brands: d.alsoKnownAs })),
    ...others,
  ];
  for (const other of notListed) {
    const entry = listed.get(nameKey(other.name));
    if (entry !== undefined) {
      for (const brand of other.brands ?? []) add(entry, brand, 'brand');
      continue;
    }
    const i = medicines.push({ code: null, name: other.name }) - 1;
    add(i, other.name, 'name');
    for (const brand of other.brands ?? []) add(i, brand, 'brand');
  }

  const byLetters = new Map<string, Key[]>();
  for (const k of keys) byLetters.set(k.letters, [...(byLetters.get(k.letters) ?? []), k]);
  return { medicines, keys, byLetters };
}

type Found = { key: Key; typed: string; near: boolean; at: number };

/** The one medicine a near spelling stands for, or undefined when it is too far from any, or as close to two. */
function nearest(candidate: string, vocabulary: MedicineVocabulary): Key | undefined {
  const closest = new Map<number, number>();
  let best: { key: Key; d: number } | undefined;
  for (const key of vocabulary.keys) {
    const d = editDistance(candidate, key.letters, MAX_THRESHOLD);
    if (d > MAX_THRESHOLD) continue;
    closest.set(key.medicine, Math.min(d, closest.get(key.medicine) ?? Infinity));
    if (d <= key.threshold && (!best || d < best.d)) best = { key, d };
  }
  if (!best) return undefined;
  // Any other medicine as close, whether or not its names allow near spellings, makes it a guess.
  for (const [medicine, d] of closest) {
    if (medicine !== best.key.medicine && d <= best.d) return undefined;
  }
  return best.key;
}

export function recogniseMedicineName(text: string, vocabulary: MedicineVocabulary): Recognition {
  const all = words(text);
  const content = all.map((w, i) => ({ w, i })).filter(({ w }) => isContent(w));
  const used = new Set<number>();
  const found: Found[] = [];

  // Runs of adjacent content words, longest first, as they would be joined to spell a name.
  const spans = (maxLength: number) => {
    const out: { at: number; positions: number[]; joined: string[] }[] = [];
    for (let length = maxLength; length >= 1; length--) {
      for (let s = 0; s + length <= content.length; s++) {
        const run = content.slice(s, s + length);
        if (run.some((c, k) => k > 0 && c.i !== run[k - 1]!.i + 1)) continue;
        const plain = run.map((c) => c.w).join('');
        const stripped = stripGlued(run.at(-1)!.w);
        const joined = [plain];
        if (stripped)
          joined.push(
            run
              .slice(0, -1)
              .map((c) => c.w)
              .join('') + stripped,
          );
        out.push({ at: run[0]!.i, positions: run.map((c) => c.i), joined });
      }
    }
    return out;
  };
  const take = (span: { at: number; positions: number[] }, key: Key, typed: string, near: boolean) => {
    span.positions.forEach((p) => used.add(p));
    found.push({ key, typed, near, at: span.at });
  };

  for (const span of spans(3)) {
    if (span.positions.some((p) => used.has(p))) continue;
    const exact = span.joined.map((j) => [j, vocabulary.byLetters.get(j)] as const).find(([, ks]) => ks);
    if (exact) for (const key of exact[1]!) take(span, key, exact[0], false);
  }
  for (const span of spans(2)) {
    if (span.positions.some((p) => used.has(p))) continue;
    const minLength = span.positions.length > 1 ? 8 : 5;
    for (const candidate of span.joined) {
      if (candidate.length < minLength) continue;
      const key = nearest(candidate, vocabulary);
      if (key) {
        take(span, key, candidate, true);
        break;
      }
    }
  }

  const matches: NameMatch[] = [];
  const seen = new Set<number>();
  for (const f of found.sort((a, b) => a.at - b.at)) {
    if (seen.has(f.key.medicine)) continue;
    seen.add(f.key.medicine);
    const medicine = vocabulary.medicines[f.key.medicine]!;
    matches.push({
      code: medicine.code,
      name: medicine.name,
      via: f.near ? 'near' : f.key.kind,
      term: f.key.term,
      typed: f.typed,
    });
  }
  return { matches, suggestions: matches.length ? [] : suggest(spans(2), vocabulary) };
}

/** The list entries an unrecognised name may be, closest first: at most three, and only near ones. */
function suggest(spans: { joined: string[] }[], vocabulary: MedicineVocabulary): string[] {
  const closest = new Map<number, number>();
  for (const key of vocabulary.keys) {
    if (vocabulary.medicines[key.medicine]!.code === null) continue;
    const limit = Math.max(2, Math.floor(key.letters.length * 0.4));
    for (const span of spans) {
      for (const candidate of span.joined) {
        const d = editDistance(candidate, key.letters, limit);
        if (d <= limit && d < (closest.get(key.medicine) ?? Infinity)) closest.set(key.medicine, d);
      }
    }
  }
  return [...closest]
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
    .slice(0, 3)
    .map(([m]) => vocabulary.medicines[m]!.code!);
}

/** The codes of the list entries a name was recognised as. */
export function listedCodes(r: Recognition): string[] {
  return r.matches.flatMap((m) => (m.code === null ? [] : [m.code]));
}

/** "clozapine (brand Zaponex)", "clozapine (a close spelling of “clozepine”)" or "sertraline". */
export function describeMatch(m: NameMatch): string {
  const name = m.name.toLowerCase();
  if (m.via === 'brand') return `${name} (brand ${m.term})`;
  if (m.via === 'near') return `${name} (a close spelling of “${m.typed}”)`;
  return name;
}

// Adding a medicine ------------------------------------------------------------------------------------

export type NameCheck = 'name' | 'brand' | 'near' | 'picked' | 'other' | 'as_typed';

/** The answer "keep the name as typed" on the add form; list codes start with a letter, so never this. */
export const KEEP_AS_TYPED = '_as-typed';

export type NameDecision =
  | { kind: 'record'; code: string | null; nameCheck: NameCheck; recognition: Recognition }
  | { kind: 'ask'; suggestions: string[]; error?: string };

/**
 * What the add form does with a name: record it with what it was recognised as, or, when Mortar does not
 * recognise it, ask the adviser which medicine of the list it is or to keep it as typed. An answer counts
 * only for the name it was asked about (`checkedName`): a corrected name is recognised afresh.
 */
export function decideMedicineName(
  name: string,
  list: readonly ListEntry[],
  answer: { checkedName?: unknown; confirm?: unknown } = {},
): NameDecision {
  const recognition = recogniseMedicineName(name, medicineVocabulary(list));
  const listed = recognition.matches.find((m) => m.code !== null);
  if (recognition.matches.length > 0)
    return { kind: 'record', code: listed?.code ?? null, nameCheck: listed?.via ?? 'other', recognition };
  if (answer.checkedName !== name) return { kind: 'ask', suggestions: recognition.suggestions };
  if (answer.confirm === KEEP_AS_TYPED)
    return { kind: 'record', code: null, nameCheck: 'as_typed', recognition };
  const picked = list.find((m) => m.code === answer.confirm);
  if (picked) return { kind: 'record', code: picked.code, nameCheck: 'picked', recognition };
  return {
    kind: 'ask',
    suggestions: recognition.suggestions,
    error: 'Select the medicine on the list it is, or keep the name as typed',
  };
}
