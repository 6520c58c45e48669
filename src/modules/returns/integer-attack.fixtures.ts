// The exact attack for publication-attack.fixtures.ts: integer programming with HiGHS (the University of
// Edinburgh's solver, compiled to WebAssembly). A hidden figure is safe only when some whole-number
// solution of every relation gives it a value other than its true one; the solver looks for one. Each
// solution it returns is checked here in exact integer arithmetic before it counts. Test-only.

import * as highsModule from 'highs';
import type { Highs } from 'highs';
import type { ExactSolver, System } from './publication-attack.fixtures.ts';

// The package's types describe it as CommonJS; Node loads its ES module, whose default export is the loader.
type Loader = () => Promise<Highs>;
const load = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;
const highs = await load();

const STATUS_OPTIMAL = 7;
const STATUS_INFEASIBLE = 8;
/** Presolve's "primal infeasible or unbounded": it stopped before telling which. */
const STATUS_INFEASIBLE_OR_UNBOUNDED = 9;
const STATUS_UNBOUNDED = 10;

export type IntegerAttackOptions = {
  /** Solves with a random objective first, to move many hidden figures at once. */
  randomRounds?: number;
  seed?: number;
  /** Drop integrality (a linear programme: weaker, for comparison). */
  relax?: boolean;
};

const inf = (x: number) => (x === Infinity ? highs.infinity : x === -Infinity ? -highs.infinity : x);

/** The system as a model for the solver: a column per variable within its bounds, a row per relation. */
function modelOf(system: System, lo: readonly number[], hi: readonly number[], relax: boolean | undefined) {
  const n = system.lo.length;
  const rows = system.constraints;
  const starts = new Int32Array(rows.length + 1);
  let nz = 0;
  rows.forEach((c, i) => {
    starts[i] = nz;
    nz += c.vars.length;
  });
  starts[rows.length] = nz;
  const indices = new Int32Array(nz);
  const values = new Float64Array(nz);
  rows.forEach((c, i) => {
    indices.set(c.vars, starts[i]!);
    values.set(c.coefs, starts[i]!);
  });
  const model = highs.createModel({
    numCols: n,
    numRows: rows.length,
    colCost: new Float64Array(n),
    colLower: Float64Array.from(lo, inf),
    colUpper: Float64Array.from(hi, inf),
    rowLower: Float64Array.from(rows, (c) => inf(c.lo)),
    rowUpper: Float64Array.from(rows, (c) => inf(c.hi)),
    matrix: { format: 'csr', numRows: rows.length, numCols: n, starts, indices, values },
    integrality: new Int32Array(n).fill(
      relax ? highs.constants.variableType.continuous : highs.constants.variableType.integer,
    ),
  });
  return model;
}

/** A solution found, checked exactly: every value whole and within bounds, every relation true. */
function checked(
  x: ArrayLike<number>,
  system: System,
  lo: readonly number[],
  hi: readonly number[],
  relax: boolean | undefined,
): number[] | null {
  const n = system.lo.length;
  if (relax) return Array.from(x);
  const v = Array.from(x, Math.round);
  for (let i = 0; i < n; i++) {
    if (Math.abs(v[i]! - x[i]!) > 1e-6 || v[i]! < lo[i]! || v[i]! > hi[i]!) return null;
  }
  for (const c of system.constraints) {
    let sum = 0;
    for (let j = 0; j < c.vars.length; j++) sum += c.coefs[j]! * v[c.vars[j]!]!;
    if (sum < c.lo || sum > c.hi) return null;
  }
  return v;
}

export function integerAttack(options: IntegerAttackOptions = {}): ExactSolver {
  return ({ system, lo, hi, open, truthOf }) => {
    const model = modelOf(system, lo, hi, options.relax);
    try {
      model.options.set({ output_flag: false, time_limit: 60 });
      const moved = new Set<number>();
      // `undecided` says what "infeasible or unbounded" must mean for the caller's model: with a zero
      // objective nothing is unbounded, and a system its truth satisfies is never infeasible. (Some
      // publications drawn by the property, the 13th with the suite's seed, end presolve that way.)
      const solve = (undecided: 'infeasible' | 'unbounded'): number[] | null | 'infeasible' | 'unbounded' => {
        model.run();
        const status = model.getModelStatus();
        if (status === STATUS_INFEASIBLE) return 'infeasible';
        if (status === STATUS_UNBOUNDED) return 'unbounded';
        if (status === STATUS_INFEASIBLE_OR_UNBOUNDED) return undecided;
        if (status !== STATUS_OPTIMAL)
          throw new Error(`The solver stopped without an answer (status ${status})`);
        return checked(model.getSolution().colValue, system, lo, hi, options.relax);
      };
      const record = (v: number[] | null) => {
        if (!v) return;
        for (const h of open) if (Math.abs(v[h]! - truthOf(h)!) > 1e-6) moved.add(h);
      };

      // Random objectives push many hidden figures off their true value in one solve.
      let seed = options.seed ?? 1;
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      for (let round = 0; round < (options.randomRounds ?? 6); round++) {
        for (const h of open) model.changeColCost(h, moved.has(h) ? 0 : random() < 0.5 ? -1 : 1);
        // Unbounded: some figure can go without end, but no one solution says which; probing finds it.
        const r = solve('unbounded');
        if (r !== 'infeasible' && r !== 'unbounded') record(r);
      }
      for (const h of open) model.changeColCost(h, 0);

      // Each figure not moved yet: is there a solution below its true value, or above it?
      for (const h of open) {
        if (moved.has(h)) continue;
        const t = truthOf(h);
        if (t === undefined) throw new Error(`No true value for variable ${h}`);
        for (const [a, b] of [
          [lo[h]!, t - 1],
          [t + 1, hi[h]!],
        ] as const) {
          if (a > b || moved.has(h)) continue;
          model.changeColBounds(h, inf(a), inf(b));
          const r = solve('infeasible');
          if (r === null) throw new Error(`The solver's solution for variable ${h} did not check out`);
          if (r === 'unbounded') throw new Error(`Unbounded with a zero objective, for variable ${h}`);
          if (r !== 'infeasible') record(r);
        }
        model.changeColBounds(h, inf(lo[h]!), inf(hi[h]!));
      }
      return [...moved];
    } finally {
      model.dispose();
    }
  };
}
