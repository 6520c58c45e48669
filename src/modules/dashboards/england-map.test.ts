import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classOf,
  decodeArcs,
  englandAreas,
  mercator,
  quantileBreaks,
  renderEnglandMap,
  ringOf,
  simplify,
  type Position,
} from './england-map.ts';

test('TopoJSON arcs decode from quantised deltas, and rings join arcs in either direction', () => {
  const arcs = decodeArcs({
    arcs: [
      [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      [
        [10, 10],
        [-10, 0],
      ],
    ],
    transform: { scale: [0.5, 0.1], translate: [-2, 50] },
  });
  assert.deepEqual(arcs[0], [
    [-2, 50],
    [3, 50],
    [3, 51],
  ]);
  assert.deepEqual(arcs[1], [
    [3, 51],
    [-2, 51],
  ]);
  const ring = ringOf([0, 1], arcs);
  assert.deepEqual(ring, [
    [-2, 50],
    [3, 50],
    [3, 51],
    [-2, 51],
  ]);
  assert.deepEqual(ringOf([~1], arcs), [
    [-2, 51],
    [3, 51],
  ]);
});

test('the projection keeps north up and simplification keeps both ends of every arc', () => {
  assert.ok(mercator([0, 55])[1] > mercator([0, 50])[1]);
  assert.ok(mercator([1, 52])[0] > mercator([-1, 52])[0]);
  const line: Position[] = [
    [0, 0],
    [0.1, 0],
    [0.2, 0],
    [5, 0],
    [5.1, 0],
  ];
  assert.deepEqual(simplify(line, 1), [
    [0, 0],
    [5, 0],
    [5.1, 0],
  ]);
});

test('153 authorities, each a path with its code; Barnsley and Sheffield by their 2024 codes', () => {
  const { areas, height } = englandAreas();
  assert.equal(areas.length, 153);
  assert.equal(new Set(areas.map((a) => a.code)).size, 153);
  assert.ok(height > 400);
  assert.ok(
    areas.every((a) => /^M[\d.]+ [\d.]+L/.test(a.d)),
    'every area has a drawn outline',
  );
  assert.ok(areas.some((a) => a.code === 'E08000016' && a.name === 'Barnsley'));
  assert.ok(areas.some((a) => a.code === 'E08000019' && a.name === 'Sheffield'));
});

test('quantile classes: about equal numbers in each, ascending breaks, one class when all are equal', () => {
  const values = Array.from({ length: 100 }, (_, i) => i);
  const breaks = quantileBreaks(values);
  assert.deepEqual(breaks, [20, 40, 60, 80]);
  assert.equal(classOf(0, breaks), 0);
  assert.equal(classOf(20, breaks), 1);
  assert.equal(classOf(99, breaks), 4);
  assert.deepEqual(quantileBreaks([5, 5, 5]), []);
  assert.deepEqual(quantileBreaks([]), []);
});

test('the SVG: a title and description, a title per area, no inline style, escaped text, recoded codes, no data hatched', () => {
  const recode = new Map([['E08000019', 'E08000039']]);
  const m = renderEnglandMap({
    id: 'm',
    title: 'Reach <by> authority & "more"',
    description: 'Shaded by reach',
    recode,
    valueOf: (code) =>
      code === 'E08000039' ? 12.5 : code === 'E08000035' ? 40 : code.startsWith('E09') ? null : 20,
    format: (v) => `${v}%`,
  });
  assert.ok(!/style=/.test(m.svg));
  assert.ok(m.svg.includes('Reach &lt;by&gt; authority &amp; &quot;more&quot;'));
  assert.equal((m.svg.match(/<path /g) ?? []).length, 153);
  assert.match(m.svg, /<title>Sheffield: 12.5%<\/title>/);
  assert.match(m.svg, /data-code="E08000039"/);
  assert.match(m.svg, /<title>Camden: no data<\/title>/);
  assert.ok(m.svg.includes('fill="url(#m-no-data)"'));
  assert.ok(m.legend.some((l) => l.noData && l.label === 'No data'));
  assert.ok(m.legend.length >= 2);
});
