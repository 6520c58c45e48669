// Secondary suppression: which further cells of a set of published tables to hide so that no hidden small
// count can be worked out from the rest. Generic over cells and the linear relations between them
// (publication.ts says which cells and relations a national publication has). Pure.
//
// What an attacker knows of each cell, as an interval of whole numbers:
// - a figure shown exactly (0, or a national figure): that value;
// - a figure shown rounded: every count that rounds to it;
// - a hidden small count (primary): 1 to the threshold;
// - a figure hidden to protect another (secondary): what is known of it without the relations (the
//   caller says: for a sub-national count, more than the threshold, because zeros are never hidden and
//   1 to the threshold would be primary).
// and every relation: lo <= the sum of coef x cell <= hi (categories add up to the total, areas to the
// area above them, and so on). The attacker narrows each interval by every relation in turn until nothing
// changes (interval constraint propagation). A primary cell is exposed when fewer than `minCandidates`
// values are left for it. For each exposed cell we take a relation that narrowed it and hide one more
// figure in that relation (the smallest, so the least is lost), and start again until nothing is exposed.
// Hiding only ever widens what the attacker knows, so this ends: at worst every nonzero figure is hidden.
//
// The tests attack the result independently (publication-attack.test.ts): their own propagation, and exact
// integer programming on small publications.

/** A linear relation between cells: lo <= (the sum of the plus cells) - (the sum of the minus cells) <= hi. */
export type Relation = {
  plus: readonly number[];
  minus: readonly number[];
  lo: number;
  hi: number;
};

export const SHOWN = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;
export type CellState = typeof SHOWN | typeof PRIMARY | typeof SECONDARY;

export type SuppressionProblem = {
  /** The true counts, one per cell. */
  values: readonly number[];
  /** What a shown cell tells: its interval (exact: lo = hi). */
  shownLo: readonly number[];
  shownHi: readonly number[];
  /** What a hidden cell tells: for a primary cell 1 to the threshold; for a secondary one, as the caller says. */
  hiddenLo: readonly number[];
  hiddenHi: readonly number[];
  /** The cells hidden by the primary rule: the ones to protect. */
  primary: readonly boolean[];
  /** Cells that may be hidden to protect another (never a zero: a published 0 always means nobody). */
  eligible: readonly boolean[];
  relations: readonly Relation[];
  /** Values the attacker must still be left with for each primary cell. At least 2. */
  minCandidates: number;
};

export type SuppressionResult = {
  state: Uint8Array;
  /** Rounds of attack and repair it took. */
  rounds: number;
};

/** Relations as flat arrays, with each cell's relations, for propagation over a whole publication. */
export type RelationIndex = {
  cellCount: number;
  start: Int32Array;
  cell: Int32Array;
  coef: Int8Array;
  lo: Float64Array;
  hi: Float64Array;
  byCellStart: Int32Array;
  byCell: Int32Array;
};

export function indexRelations(cellCount: number, relations: readonly Relation[]): RelationIndex {
  let terms = 0;
  for (const r of relations) terms += r.plus.length + r.minus.length;
  const start = new Int32Array(relations.length + 1);
  const cell = new Int32Array(terms);
  const coef = new Int8Array(terms);
  const lo = new Float64Array(relations.length);
  const hi = new Float64Array(relations.length);
  const perCell = new Int32Array(cellCount + 1);
  let t = 0;
  const term = (c: number, sign: 1 | -1) => {
    if (!Number.isInteger(c) || c < 0 || c >= cellCount) throw new RangeError(`No cell ${c}`);
    cell[t] = c;
    coef[t] = sign;
    perCell[c + 1]!++;
    t++;
  };
  relations.forEach((r, k) => {
    start[k] = t;
    lo[k] = r.lo;
    hi[k] = r.hi;
    for (const c of r.plus) term(c, 1);
    for (const c of r.minus) term(c, -1);
  });
  start[relations.length] = t;
  for (let c = 0; c < cellCount; c++) perCell[c + 1]! += perCell[c]!;
  const byCellStart = perCell.slice();
  const fill = perCell.slice(0, cellCount);
  const byCell = new Int32Array(terms);
  for (let k = 0; k < relations.length; k++) {
    for (let j = start[k]!; j < start[k + 1]!; j++) byCell[fill[cell[j]!]!++] = k;
  }
  return { cellCount, start, cell, coef, lo, hi, byCellStart, byCell };
}

export type Bounds = {
  lo: Float64Array;
  hi: Float64Array;
  /** The relation that last raised each cell's lower bound (-1: its own interval). */
  loFrom: Int32Array;
  /** The relation that last lowered each cell's upper bound (-1: its own interval). */
  hiFrom: Int32Array;
};

/** Work space for narrowing, kept between runs so probing many cells allocates nothing. */
type Narrowing = {
  index: RelationIndex;
  /** The relations still to look at, first in first out, in a ring; each at most once (queued). */
  queue: Int32Array;
  queued: Uint8Array;
  head: number;
  size: number;
  /** Cell, old lo, old hi, old loFrom, old hiFrom of every change, when a probe will undo them. */
  trail: number[] | null;
};

function narrowing(index: RelationIndex): Narrowing {
  const relCount = index.lo.length;
  return {
    index,
    queue: new Int32Array(relCount),
    queued: new Uint8Array(relCount),
    head: 0,
    size: 0,
    trail: null,
  };
}

function enqueue(w: Narrowing, r: number): void {
  if (w.queued[r]) return;
  w.queued[r] = 1;
  w.queue[(w.head + w.size) % w.queue.length] = r;
  w.size++;
}

function dequeue(w: Narrowing): number {
  const k = w.queue[w.head]!;
  w.head = (w.head + 1) % w.queue.length;
  w.size--;
  w.queued[k] = 0;
  return k;
}

/**
 * Narrows the bounds of relation k's cells by what the relation says of each, given the others' bounds,
 * and queues the other relations of every cell that changed. Returns k when the relation cannot hold
 * with the bounds as they are, else -1.
 */
function narrowBy(w: Narrowing, b: Bounds, k: number): number {
  const { index, trail } = w;
  const { lo, hi, loFrom, hiFrom } = b;
  const { start, cell, coef } = index;
  let minSum = 0;
  let maxSum = 0;
  let minInf = 0;
  let maxInf = 0;
  const s = start[k]!;
  const e = start[k + 1]!;
  for (let j = s; j < e; j++) {
    const c = cell[j]!;
    const a = coef[j] === 1 ? lo[c]! : -hi[c]!;
    const bb = coef[j] === 1 ? hi[c]! : -lo[c]!;
    if (a === -Infinity) minInf++;
    else minSum += a;
    if (bb === Infinity) maxInf++;
    else maxSum += bb;
  }
  const L = index.lo[k]!;
  const U = index.hi[k]!;
  if ((minInf === 0 && minSum > U) || (maxInf === 0 && maxSum < L)) return k;
  for (let j = s; j < e; j++) {
    const c = cell[j]!;
    const plus = coef[j] === 1;
    const a = plus ? lo[c]! : -hi[c]!;
    const bb = plus ? hi[c]! : -lo[c]!;
    const restMin = a === -Infinity ? (minInf > 1 ? -Infinity : minSum) : minInf > 0 ? -Infinity : minSum - a;
    const restMax = bb === Infinity ? (maxInf > 1 ? Infinity : maxSum) : maxInf > 0 ? Infinity : maxSum - bb;
    // coef * x lies in [L - restMax, U - restMin].
    const termLo = L - restMax;
    const termHi = U - restMin;
    const newLo = Math.ceil(plus ? termLo : -termHi);
    const newHi = Math.floor(plus ? termHi : -termLo);
    if (newLo <= lo[c]! && newHi >= hi[c]!) continue;
    trail?.push(c, lo[c]!, hi[c]!, loFrom[c]!, hiFrom[c]!);
    if (newLo > lo[c]!) {
      lo[c] = newLo;
      loFrom[c] = k;
    }
    if (newHi < hi[c]!) {
      hi[c] = newHi;
      hiFrom[c] = k;
    }
    if (lo[c]! > hi[c]!) return k;
    for (let i = index.byCellStart[c]!; i < index.byCellStart[c + 1]!; i++) {
      const r = index.byCell[i]!;
      if (r !== k) enqueue(w, r);
    }
  }
  return -1;
}

/**
 * Narrows the bounds in place from the relations in `seeds` (every relation when null) until nothing
 * changes. Returns -1, or the relation that cannot hold with the bounds as they are. Stopping at the
 * budget leaves every bound true, only less tight.
 */
function narrow(w: Narrowing, b: Bounds, seeds: readonly number[] | null, budget: number): number {
  const { index } = w;
  if (seeds === null) for (let k = 0; k < index.lo.length; k++) enqueue(w, k);
  else
    for (const c of seeds)
      for (let i = index.byCellStart[c]!; i < index.byCellStart[c + 1]!; i++) enqueue(w, index.byCell[i]!);
  let conflict = -1;
  while (w.size > 0 && budget-- > 0 && conflict < 0) conflict = narrowBy(w, b, dequeue(w));
  // Leave the work space clean for the next run.
  while (w.size > 0) dequeue(w);
  return conflict;
}

/**
 * What an attacker can work out: each cell's interval, narrowed by every relation until nothing changes.
 * Throws when the relations cannot all hold, which means the figures or the relations are wrong.
 */
export function propagate(index: RelationIndex, lo0: ArrayLike<number>, hi0: ArrayLike<number>): Bounds {
  const n = index.cellCount;
  const bounds: Bounds = {
    lo: Float64Array.from(lo0),
    hi: Float64Array.from(hi0),
    loFrom: new Int32Array(n).fill(-1),
    hiFrom: new Int32Array(n).fill(-1),
  };
  const conflict = narrow(narrowing(index), bounds, null, 200 * index.lo.length + 1000);
  if (conflict >= 0)
    throw new RangeError(`Relation ${conflict} cannot hold: the figures or the relations are wrong`);
  return bounds;
}

/** Hidden cells with at most this many values left after propagation are probed value by value. */
export const PROBE_WIDTH = 12;
const PROBE_BUDGET = 50_000;

/**
 * Probing, stronger than propagation alone: fix a narrow hidden cell to one of its end values and
 * propagate; if the relations then cannot hold, that value is impossible. An attacker who combines
 * relations (as a linear programme does) finds such values where propagation one relation at a time does
 * not. Returns the hidden cells left with fewer than minCandidates values, each with a relation in which
 * the contradiction showed.
 */
export function probeExposed(
  index: RelationIndex,
  p: SuppressionProblem,
  state: Uint8Array,
  bounds: Bounds,
): { cell: number; relation: number }[] {
  const w = narrowing(index);
  const trail: number[] = [];
  w.trail = trail;
  const { lo, hi, loFrom, hiFrom } = bounds;
  const undo = () => {
    while (trail.length > 0) {
      const hf = trail.pop()!;
      const lf = trail.pop()!;
      const h = trail.pop()!;
      const l = trail.pop()!;
      const c = trail.pop()!;
      lo[c] = l;
      hi[c] = h;
      loFrom[c] = lf;
      hiFrom[c] = hf;
    }
  };
  /** -1 when the cell can take value v, else the relation that showed it cannot. */
  const tryValue = (c: number, v: number): number => {
    trail.push(c, lo[c]!, hi[c]!, loFrom[c]!, hiFrom[c]!);
    lo[c] = v;
    hi[c] = v;
    const conflict = narrow(w, bounds, [c], PROBE_BUDGET);
    undo();
    return conflict;
  };
  const out: { cell: number; relation: number }[] = [];
  for (let c = 0; c < p.values.length; c++) {
    if (state[c] === SHOWN) continue;
    const l = lo[c]!;
    const h = hi[c]!;
    if (!Number.isFinite(h) || h - l + 1 > PROBE_WIDTH) continue;
    let relation = -1;
    let top = h;
    for (; top >= l; top--) {
      const r = tryValue(c, top);
      if (r < 0) break;
      relation = r;
    }
    let bottom = l;
    for (; bottom <= top; bottom++) {
      const r = tryValue(c, bottom);
      if (r < 0) break;
      relation = r;
    }
    if (top - bottom + 1 < p.minCandidates && relation >= 0) out.push({ cell: c, relation });
  }
  return out;
}

/** The intervals an attacker starts from, for the cells as they stand. */
export function knownIntervals(p: SuppressionProblem, state: Uint8Array) {
  const n = p.values.length;
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const shown = state[c] === SHOWN;
    lo[c] = shown ? p.shownLo[c]! : p.hiddenLo[c]!;
    hi[c] = shown ? p.shownHi[c]! : p.hiddenHi[c]!;
  }
  return { lo, hi };
}

/** The hidden cells an attacker narrows to fewer than minCandidates values. */
export function exposedCells(p: SuppressionProblem, state: Uint8Array, bounds: Bounds): number[] {
  const out: number[] = [];
  for (let c = 0; c < p.values.length; c++) {
    if (state[c] !== SHOWN && bounds.hi[c]! - bounds.lo[c]! + 1 < p.minCandidates) out.push(c);
  }
  return out;
}

/**
 * The cell to hide to widen what relation k tells about its cells: the smallest eligible figure still
 * shown, or -1 when every one is hidden already.
 */
function cheapestIn(index: RelationIndex, k: number, p: SuppressionProblem, state: Uint8Array): number {
  let best = -1;
  for (let j = index.start[k]!; j < index.start[k + 1]!; j++) {
    const c = index.cell[j]!;
    if (state[c] !== SHOWN || !p.eligible[c]) continue;
    if (best === -1 || p.values[c]! < p.values[best]!) best = c;
  }
  return best;
}

/**
 * A figure to hide so that the exposed cell gets wider: in a relation that narrowed it (or `first`), or,
 * when every figure there is hidden already, in a relation that narrowed one of those hidden figures.
 * With `anyRelation`, the nearest figure to hide in any relation of the exposed cell or of the hidden
 * cells around it: probing finds contradictions in relations that narrowed nothing, whose hidden cells
 * may have no relation that narrowed them, and then the first trail ends without a figure to hide.
 */
function repairFor(
  exposed: number,
  index: RelationIndex,
  p: SuppressionProblem,
  state: Uint8Array,
  bounds: Bounds,
  first: number,
  anyRelation: boolean,
): { relation: number; cell: number } | null {
  const own = (c: number) =>
    Array.from(index.byCell.subarray(index.byCellStart[c]!, index.byCellStart[c + 1]!));
  const relationsOf = (c: number) => {
    const narrowed = c === exposed && first >= 0 ? [first] : [bounds.hiFrom[c]!, bounds.loFrom[c]!];
    return anyRelation ? [...narrowed, ...own(c)] : narrowed;
  };
  return nearestRepair(exposed, index, p, state, relationsOf);
}

/** Breadth first from the exposed cell through hidden cells, by `relationsOf`: the first figure to hide. */
function nearestRepair(
  exposed: number,
  index: RelationIndex,
  p: SuppressionProblem,
  state: Uint8Array,
  relationsOf: (c: number) => readonly number[],
): { relation: number; cell: number } | null {
  const seen = new Set<number>([exposed]);
  let frontier = [exposed];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const c of frontier) {
      for (const k of relationsOf(c)) {
        if (k < 0) continue;
        const cell = cheapestIn(index, k, p, state);
        if (cell >= 0) return { relation: k, cell };
        for (let j = index.start[k]!; j < index.start[k + 1]!; j++) {
          const other = index.cell[j]!;
          if (state[other] !== SHOWN && !seen.has(other)) {
            seen.add(other);
            next.push(other);
          }
        }
      }
    }
    frontier = next;
  }
  return null;
}

/** The primary cells hidden, then as few more as it takes for none of them to be worked out. */
export function suppress(p: SuppressionProblem): SuppressionResult {
  const n = p.values.length;
  for (const a of [p.shownLo, p.shownHi, p.hiddenLo, p.hiddenHi, p.primary, p.eligible]) {
    if (a.length !== n) throw new RangeError('Every cell needs a value, its intervals and its flags');
  }
  if (!Number.isInteger(p.minCandidates) || p.minCandidates < 2)
    throw new RangeError('A hidden count must be left with at least 2 possible values');
  const index = indexRelations(n, p.relations);
  const state = new Uint8Array(n);
  for (let c = 0; c < n; c++) if (p.primary[c]) state[c] = PRIMARY;
  for (let rounds = 1; ; rounds++) {
    const { lo, hi } = knownIntervals(p, state);
    const bounds = propagate(index, lo, hi);
    let exposed: { cell: number; relation: number }[] = exposedCells(p, state, bounds).map((cell) => ({
      cell,
      relation: -1,
    }));
    if (exposed.length === 0) exposed = probeExposed(index, p, state, bounds);
    if (exposed.length === 0) return { state, rounds };
    // One repair per relation per round: a second exposed cell of the same relation is often mended by
    // the first repair, and the next round sees whether it was. Only when no trail of narrowing relations
    // leads to a figure to hide, the nearest one in any relation.
    let hidden = 0;
    for (const anyRelation of [false, true]) {
      const repaired = new Set<number>();
      for (const { cell: c, relation } of exposed) {
        const r = repairFor(c, index, p, state, bounds, relation, anyRelation);
        // Nothing left to hide around it may mean this round's repairs already cover it: the next round says.
        if (!r || repaired.has(r.relation)) continue;
        repaired.add(r.relation);
        state[r.cell] = SECONDARY;
        hidden++;
      }
      if (hidden > 0) break;
    }
    if (hidden === 0)
      throw new Error(`No figure left to hide to protect cell ${exposed[0]!.cell}: the relations contradict`);
  }
}
