import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PRIMARY,
  SECONDARY,
  SHOWN,
  indexRelations,
  propagate,
  suppress,
  type Relation,
  type SuppressionProblem,
} from './secondary-suppression.ts';

const sum = (parts: number[], total: number): Relation => ({ plus: parts, minus: [total], lo: 0, hi: 0 });

test('propagation narrows each interval by every relation, with unbounded ends', () => {
  // total = a + b + c; total is 18 to 22, a is 8 to 12, b is 13 to 17, c is 1 up.
  const index = indexRelations(4, [sum([1, 2, 3], 0)]);
  const b = propagate(index, [18, 8, 13, 1], [22, 12, 17, Infinity]);
  assert.deepEqual([b.lo[3], b.hi[3]], [1, 1], 'c is worked out: the issue’s "not stated"');
  assert.equal(b.hiFrom[3], 0, 'and the relation that did it is known');
  const open = propagate(index, [18, 8, 13, 1], [22, 12, 17, Infinity]);
  assert.equal(open.lo[0], 22 - 0, 'the total must be at least 8 + 13 + 1');
});

test('propagation refuses relations that cannot hold', () => {
  const index = indexRelations(2, [sum([1], 0)]);
  assert.throws(() => propagate(index, [5, 6], [5, 6]), /cannot hold/);
  assert.throws(() => indexRelations(2, [sum([2], 0)]), /No cell 2/);
});

/** The issue's table: total 22 (shown 20), male 8 (10), female 13 (15), not known 0, not stated 1 (*). */
function issueTable(minCandidates = 2): SuppressionProblem {
  const values = [22, 8, 13, 0, 1];
  return {
    values,
    shownLo: [18, 8, 13, 0, 1],
    shownHi: [22, 12, 17, 0, 1],
    hiddenLo: [1, 1, 1, 1, 1],
    hiddenHi: [Infinity, Infinity, Infinity, Infinity, Infinity],
    primary: [false, false, false, false, true],
    eligible: values.map((v, i) => v > 0 && i !== 4),
    relations: [sum([1, 2, 3, 4], 0)],
    minCandidates,
  };
}

test('suppress hides the smallest figure that protects the hidden one, and never a 0', () => {
  const { state } = suppress(issueTable());
  assert.deepEqual(
    [...state],
    [SHOWN, SECONDARY, SHOWN, SHOWN, PRIMARY],
    'male, the smallest, is hidden too',
  );
  const p = issueTable();
  const known = propagate(
    indexRelations(5, p.relations),
    [...state].map((s, i) => (s === SHOWN ? p.shownLo[i]! : 1)),
    [...state].map((s, i) => (s === SHOWN ? p.shownHi[i]! : Infinity)),
  );
  assert.ok(known.hi[4]! - known.lo[4]! >= 1, 'not stated keeps at least two values');
  assert.ok(known.hi[1]! - known.lo[1]! >= 1, 'and so does male');
});

test('suppress needs at least two values left for a hidden figure', () => {
  assert.throws(() => suppress(issueTable(1)), /at least 2 possible values/);
  assert.throws(() => suppress({ ...issueTable(), primary: [true] }), /Every cell needs/);
});
