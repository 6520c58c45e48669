// An attacker for tests: given only published rows (as in the CSV), what is known about how returns are
// built, and the areas' hierarchy, it tries to work out every hidden figure exactly. Written apart from
// publication.ts and secondary-suppression.ts on purpose: it builds its own relations, from the return's
// definition rather than from the publication's list, and its own propagation. Test-only.
//
// What it uses:
// - each published number is the rounded count, so the count is one of those that disclose() rounds to it;
//   a 0 is exactly 0; a figure of an exact area (England) is exact;
// - a hidden figure is 1 to the threshold when every '*' is a small count (`hiddenMeans: 'small'`, a
//   publication without secondary suppression); otherwise it is any count from 1 up, since a reader
//   cannot tell a small count from a figure hidden to protect one, and a 0 is never hidden;
// - every breakdown's categories add up to the total, for every count; the four outcomes add up to
//   "set a quit date"; CO-verified quits are at most the quits;
// - two breakdowns read from the same item (condition and the mental health breakdown; aids and Swap to
//   Stop) are two views of one table of people: it adds the unknown count of each pair of categories that
//   can occur together, found by trying every value of the item;
// - each area's figures are the sum of its children's.
// Then it narrows every interval by every relation until nothing changes, and, for small publications,
// searches for whole-number solutions with each hidden figure fixed to each value left (exact: what an
// integer programme would find).

import { AIDS } from '../episodes/programme.ts';
import { SUPPRESSED, disclose, type Disclosed } from './disclosure.ts';
import { CONDITION } from '../referrals/demographics.ts';
import { episode } from './facts.fixtures.ts';
import type { EpisodeFact } from './return-measures.ts';
import { BREAKDOWN_KEYS, BREAKDOWNS, type BreakdownKey } from './return-breakdowns.ts';

export type PublishedRow = {
  area: string;
  breakdown: string;
  category: string;
  measure: string;
  value: Disclosed;
};

export type AttackInput = {
  rows: readonly PublishedRow[];
  /** Each area's parent (an authority's region, a region's England). */
  parentOf: ReadonlyMap<string, string>;
  /** Which figures are published exactly (England's totals, or all of England's before issue 10). */
  exact: (row: PublishedRow) => boolean;
  threshold: number;
  base: number;
  /** The true figures, by rowKey: checks the attack is sound, and counts how far small counts were narrowed. */
  truth: ReadonlyMap<string, number>;
  /**
   * What a hidden figure means: 'small' when every '*' is a count from 1 to the threshold (disclosure
   * without secondary suppression); 'any' when it may also be a figure hidden to protect another, so any
   * count from 1 up (a 0 is never hidden).
   */
  hiddenMeans: 'small' | 'any';
};

export type AttackResult = {
  hidden: number;
  /** Hidden figures worked out exactly, with the value. */
  recovered: { key: string; value: number }[];
  /** Hidden small counts narrowed to fewer values than 1 to the threshold, for the record. */
  narrowed: number;
};

export const rowKey = (r: Pick<PublishedRow, 'area' | 'breakdown' | 'category' | 'measure'>) =>
  `${r.area}|${r.breakdown}|${r.category}|${r.measure}`;

export type Constraint = { vars: number[]; coefs: number[]; lo: number; hi: number };

/**
 * An exact attack on what propagation left open: given the system, the narrowed bounds and the hidden
 * variables still open, the ones that some whole-number solution moves off their true value.
 */
export type ExactSolver = (problem: {
  system: System;
  lo: readonly number[];
  hi: readonly number[];
  open: readonly number[];
  truthOf: (v: number) => number | undefined;
  /** The figure a variable stands for ("area|breakdown|category|measure"), or a description of it. */
  nameOf: (v: number) => string;
}) => number[];

export class System {
  lo: number[] = [];
  hi: number[] = [];
  constraints: Constraint[] = [];
  variable(lo: number, hi: number): number {
    this.lo.push(lo);
    this.hi.push(hi);
    return this.lo.length - 1;
  }
  equal(plus: number[], minus: number[]) {
    this.constraints.push({
      vars: [...plus, ...minus],
      coefs: [...plus.map(() => 1), ...minus.map(() => -1)],
      lo: 0,
      hi: 0,
    });
  }
  atMost(plus: number[], minus: number[]) {
    this.constraints.push({
      vars: [...plus, ...minus],
      coefs: [...plus.map(() => 1), ...minus.map(() => -1)],
      lo: -Infinity,
      hi: 0,
    });
  }
}

/**
 * Narrows lo/hi in place by sweeping every constraint until nothing changes. False when the constraints
 * cannot hold together.
 */
function sweep(s: System, lo: number[], hi: number[], maxSweeps = 10_000): boolean {
  for (let round = 0; round < maxSweeps; round++) {
    let changed = false;
    for (const c of s.constraints) {
      // The sum's least and greatest values, counting infinite ends apart so one term can be taken out.
      let sumLo = 0;
      let sumHi = 0;
      let infLo = 0;
      let infHi = 0;
      const termLo = c.vars.map((v, j) => (c.coefs[j]! > 0 ? lo[v]! : -hi[v]!));
      const termHi = c.vars.map((v, j) => (c.coefs[j]! > 0 ? hi[v]! : -lo[v]!));
      for (let j = 0; j < c.vars.length; j++) {
        if (termLo[j] === -Infinity) infLo++;
        else sumLo += termLo[j]!;
        if (termHi[j] === Infinity) infHi++;
        else sumHi += termHi[j]!;
      }
      for (let i = 0; i < c.vars.length; i++) {
        const restLo =
          termLo[i] === -Infinity
            ? infLo > 1
              ? -Infinity
              : sumLo
            : infLo > 0
              ? -Infinity
              : sumLo - termLo[i]!;
        const restHi =
          termHi[i] === Infinity ? (infHi > 1 ? Infinity : sumHi) : infHi > 0 ? Infinity : sumHi - termHi[i]!;
        const v = c.vars[i]!;
        // The term lies in [c.lo - restHi, c.hi - restLo].
        const tLo = c.lo - restHi;
        const tHi = c.hi - restLo;
        const newLo = Math.ceil(c.coefs[i]! > 0 ? tLo : -tHi);
        const newHi = Math.floor(c.coefs[i]! > 0 ? tHi : -tLo);
        if (newLo > lo[v]!) {
          lo[v] = newLo;
          changed = true;
        }
        if (newHi < hi[v]!) {
          hi[v] = newHi;
          changed = true;
        }
        if (lo[v]! > hi[v]!) return false;
      }
    }
    if (!changed) return true;
  }
  return true;
}

/** Every count that disclose() shows as `shown`, found by trying counts near it. */
function countsBehind(shown: number, threshold: number, base: number): [number, number] {
  const near: number[] = [];
  for (let n = Math.max(0, shown - base); n <= shown + base; n++) {
    if (disclose(n, { threshold, base }) === shown) near.push(n);
  }
  if (near.length === 0) throw new Error(`No count is shown as ${shown}`);
  return [Math.min(...near), Math.max(...near)];
}

/** Every value of an item that two breakdowns read, to find which of their categories occur together. */
function itemValues(item: keyof EpisodeFact): Partial<EpisodeFact>[] {
  if (item === 'mentalHealth')
    return [...CONDITION.codes, 'something_else'].map((v) => ({
      mentalHealth: v as EpisodeFact['mentalHealth'],
    }));
  if (item === 'aids') {
    const codes = [...Object.keys(AIDS), 'patch_only'];
    return Array.from({ length: 2 ** codes.length }, (_, mask) => ({
      aids: codes.filter((_, i) => mask & (1 << i)),
    }));
  }
  throw new Error(`The attacker does not know the values of ${item}: add them`);
}

/** Pairs of breakdowns read from one item, with every pair of categories that can occur together. */
export function linkedBreakdowns(): { a: BreakdownKey; b: BreakdownKey; pairs: [string, string][] }[] {
  const out: { a: BreakdownKey; b: BreakdownKey; pairs: [string, string][] }[] = [];
  for (const a of BREAKDOWN_KEYS) {
    for (const b of BREAKDOWN_KEYS) {
      if (a >= b || BREAKDOWNS[a].item !== BREAKDOWNS[b].item) continue;
      const seen = new Set<string>();
      const pairs: [string, string][] = [];
      for (const v of itemValues(BREAKDOWNS[a].item)) {
        const e = episode(v);
        const pair: [string, string] = [BREAKDOWNS[a].categoryOf(e), BREAKDOWNS[b].categoryOf(e)];
        if (!seen.has(pair.join('|'))) {
          seen.add(pair.join('|'));
          pairs.push(pair);
        }
      }
      out.push({ a, b, pairs });
    }
  }
  return out;
}

const OUTCOMES = ['quit_self_reported', 'not_quit', 'lost_to_follow_up', 'pending'];

/** The attacker's unknowns: one per published figure (by rowKey), and the hidden ones among them. */
type Unknowns = {
  s: System;
  varOf: Map<string, number>;
  keyOf: string[];
  hidden: { key: string; v: number }[];
};
type Get = (area: string, breakdown: string, category: string, measure: string) => number | undefined;

/** A variable for each published figure, bounded by what its published value says of it. */
function unknownsOf(input: AttackInput): Unknowns {
  const { threshold, base } = input;
  const s = new System();
  const varOf = new Map<string, number>();
  const keyOf: string[] = [];
  const hidden: { key: string; v: number }[] = [];
  for (const r of input.rows) {
    const key = rowKey(r);
    const exact = input.exact(r);
    let lo: number;
    let hi: number;
    if (r.value === SUPPRESSED) {
      if (input.hiddenMeans === 'small' && exact) throw new Error('An exact figure is never hidden');
      [lo, hi] = input.hiddenMeans === 'small' ? [1, threshold] : [1, Infinity];
    } else if (exact) [lo, hi] = [r.value, r.value];
    else [lo, hi] = countsBehind(r.value, threshold, base);
    const v = s.variable(lo, hi);
    varOf.set(key, v);
    keyOf[v] = key;
    if (r.value === SUPPRESSED) hidden.push({ key, v });
  }
  return { s, varOf, keyOf, hidden };
}

/**
 * Within each area's tables: the categories add up to the total, the outcomes to "set a quit date", and
 * CO-verified quits are at most the quits.
 */
function addTableRelations(input: AttackInput, { s, varOf }: Unknowns, get: Get): void {
  // Tables of each area: categories of each breakdown and measure, and the measures of each row.
  const groups = new Map<string, number[]>();
  const rowsOf = new Map<string, Map<string, number>>();
  for (const r of input.rows) {
    const v = varOf.get(rowKey(r))!;
    if (r.breakdown !== 'total') {
      const g = `${r.area}|${r.breakdown}|${r.measure}`;
      groups.set(g, [...(groups.get(g) ?? []), v]);
    }
    const row = `${r.area}|${r.breakdown}|${r.category}`;
    if (!rowsOf.has(row)) rowsOf.set(row, new Map());
    rowsOf.get(row)!.set(r.measure, v);
  }
  for (const [g, cats] of groups) {
    const [area, , measure] = g.split('|') as [string, string, string];
    const total = get(area, 'total', 'all', measure);
    if (total !== undefined) s.equal(cats, [total]);
  }
  for (const m of rowsOf.values()) {
    const parts = OUTCOMES.map((o) => m.get(o));
    const sqd = m.get('set_quit_date');
    if (sqd !== undefined && parts.every((p) => p !== undefined)) s.equal([sqd], parts as number[]);
    const co = m.get('quit_co_verified');
    const quit = m.get('quit_self_reported');
    if (co !== undefined && quit !== undefined) s.atMost([co], [quit]);
  }
}

/** Two views of one table of people: an unknown count for each pair of categories that can occur together. */
function addLinkedRelations(input: AttackInput, s: System, get: Get, areas: readonly string[]): void {
  const measures = [...new Set(input.rows.map((r) => r.measure))];
  for (const { a, b, pairs } of linkedBreakdowns()) {
    for (const area of areas) {
      for (const m of measures) {
        const joint = pairs.map(() => s.variable(0, Infinity));
        const margin = (breakdown: BreakdownKey, side: 0 | 1) => {
          for (const category of new Set(pairs.map((p) => p[side]))) {
            const cell = get(area, breakdown, category, m);
            if (cell === undefined) return;
            s.equal(
              joint.filter((_, i) => pairs[i]![side] === category),
              [cell],
            );
          }
        };
        if (get(area, a, pairs[0]![0], m) === undefined) {
          joint.forEach((j) => (s.hi[j] = 0));
          continue;
        }
        margin(a, 0);
        margin(b, 1);
      }
    }
  }
}

/** Each area is the sum of its children. */
function addAreaSums(input: AttackInput, { s, varOf }: Unknowns, get: Get, areas: readonly string[]): void {
  const children = new Map<string, string[]>();
  for (const [child, parent] of input.parentOf) {
    if (areas.includes(child)) children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  for (const r of input.rows) {
    const kids = children.get(r.area);
    if (!kids) continue;
    const parts = kids.map((k) => get(k, r.breakdown, r.category, r.measure)).filter((v) => v !== undefined);
    s.equal(parts, [varOf.get(rowKey(r))!]);
  }
}

/** What the relations leave of each hidden figure, and which are worked out exactly. */
function workedOut(input: AttackInput, u: Unknowns, options: { exact?: ExactSolver }): AttackResult {
  const { s, varOf, keyOf, hidden } = u;
  const { threshold } = input;
  const lo = s.lo.slice();
  const hi = s.hi.slice();
  if (!sweep(s, lo, hi)) throw new Error('The attacker’s relations contradict the published figures');
  for (const [key, v] of varOf) {
    const t = input.truth.get(key);
    if (t !== undefined && (t < lo[v]! || t > hi[v]!))
      throw new Error(`Unsound attack: ${key} is ${t}, outside [${lo[v]}, ${hi[v]}]`);
  }

  // A hidden figure is worked out when no whole-number solution gives it another value.
  let open = hidden.filter(({ v }) => lo[v] !== hi[v]);
  if (options.exact && open.length > 0) {
    const truthOf = (v: number) => {
      const key = keyOf[v];
      return key === undefined ? undefined : input.truth.get(key);
    };
    const nameOf = (v: number) => keyOf[v] ?? `joint count ${v}`;
    open = options.exact({ system: s, lo, hi, open: open.map((h) => h.v), truthOf, nameOf }).map((v) => ({
      key: keyOf[v]!,
      v,
    }));
  }
  const movable = new Set(open.map((h) => h.v));
  const recovered: AttackResult['recovered'] = [];
  let narrowed = 0;
  for (const { key, v } of hidden) {
    const truth = input.truth.get(key)!;
    if (!movable.has(v)) recovered.push({ key, value: truth });
    if (truth <= threshold && hi[v]! - lo[v]! + 1 < threshold) narrowed++;
  }
  return { hidden: hidden.length, recovered, narrowed };
}

/** The attack: which hidden figures the published rows give away. */
export function attack(input: AttackInput, options: { exact?: ExactSolver } = {}): AttackResult {
  const u = unknownsOf(input);
  const get: Get = (area, breakdown, category, measure) =>
    u.varOf.get(`${area}|${breakdown}|${category}|${measure}`);
  addTableRelations(input, u, get);
  const areas = [...new Set(input.rows.map((r) => r.area))];
  addLinkedRelations(input, u.s, get, areas);
  addAreaSums(input, u, get, areas);
  return workedOut(input, u, options);
}
