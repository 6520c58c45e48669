import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHART, chartRows, chartScale, escapeXml, moodChartSvg, type ChartPoint } from './mood-chart.ts';

const P = (instrument: 'phq9' | 'gad7', takenOn: string, total: number): ChartPoint => ({
  instrument,
  takenOn,
  total,
});
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

test('nothing to draw gives no chart', () => {
  assert.equal(moodChartSvg([]), '');
  assert.equal(
    moodChartSvg([P('phq9', 'not a date', 3), P('gad7', '2025-01-01', 22), P('phq9', '2025-01-01', 1.5)]),
    '',
    'bad points are dropped',
  );
  assert.deepEqual(chartRows([]), []);
});

test('the chart is an accessible image: role, title and a description with the figures', () => {
  const svg = moodChartSvg(
    [P('phq9', '2025-01-10', 15), P('phq9', '2025-02-07', 6), P('gad7', '2025-01-10', 10)],
    { id: 'c1' },
  );
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
  assert.match(svg, /<title id="c1-title">PHQ-9 and GAD-7 scores over time<\/title>/);
  assert.match(
    svg,
    /<desc id="c1-desc">PHQ-9 from 15 on 10 January to 6 on 7 February, 2 scores\. GAD-7 10 on 10 January\./,
  );
  assert.match(svg, /<\/svg>$/);
});

test('no inline styles (the CSP allows none): presentation attributes only', () => {
  const svg = moodChartSvg([P('phq9', '2025-01-10', 15), P('gad7', '2025-02-07', 6)]);
  assert.doesNotMatch(svg, /style=/);
  assert.doesNotMatch(svg, /<style/);
  assert.match(svg, /stroke="#005eb8"/);
});

test('one line per measure taken more than once; PHQ-9 as circles, GAD-7 as squares (not colour alone)', () => {
  const svg = moodChartSvg([
    P('phq9', '2025-01-10', 15),
    P('phq9', '2025-02-07', 6),
    P('phq9', '2025-03-07', 4),
    P('gad7', '2025-01-10', 10),
  ]);
  assert.equal(count(svg, /<polyline /g), 1, 'GAD-7 has one point, so no line');
  assert.equal(count(svg, /<circle /g), 3 + 1, 'three points and the legend');
  assert.equal(count(svg, /<rect /g), 1 + 1, 'one point and the legend');
  assert.match(svg, /PHQ-9 \(depression\)/);
  assert.match(svg, /GAD-7 \(anxiety\)/);
  const gadOnly = moodChartSvg([P('gad7', '2025-01-10', 10), P('gad7', '2025-02-07', 3)]);
  assert.match(gadOnly, /stroke-dasharray="8 5"/);
  assert.doesNotMatch(gadOnly, /PHQ-9/, 'only measures taken are in the legend');
});

test('dates are spaced by the days between them, and higher scores are drawn higher', () => {
  const points = [P('phq9', '2025-01-01', 0), P('phq9', '2025-01-11', 27), P('phq9', '2025-01-31', 10)];
  const { x, y } = chartScale(points);
  assert.equal(x('2025-01-01'), CHART.left);
  assert.equal(x('2025-01-31'), CHART.width - CHART.right);
  assert.equal(x('2025-01-11'), CHART.left + (10 / 30) * (CHART.width - CHART.left - CHART.right));
  assert.equal(y(0), CHART.height - CHART.bottom);
  assert.equal(y(27), CHART.top);
  assert.ok(y(20) < y(10));
  const single = chartScale([P('gad7', '2025-05-05', 4)]);
  assert.equal(
    single.x('2025-05-05'),
    CHART.left + (CHART.width - CHART.left - CHART.right) / 2,
    'one date sits in the middle',
  );
});

test('every point stays inside the drawing, whatever the scores and dates', () => {
  const point = fc.record({
    instrument: fc.constantFrom('phq9' as const, 'gad7' as const),
    takenOn: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    total: fc.integer({ min: 0, max: 21 }),
  });
  fc.assert(
    fc.property(fc.array(point, { minLength: 1, maxLength: 30 }), (points) => {
      const svg = moodChartSvg(points);
      for (const m of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)) {
        const [cx, cy] = [Number(m[1]), Number(m[2])];
        assert.ok(cx >= 0 && cx <= CHART.width && cy >= 0 && cy <= CHART.height, `${cx},${cy}`);
      }
      assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
      assert.equal(chartRows(points).length, points.length, 'the table has every figure the chart draws');
    }),
  );
});

test('the table rows carry the same figures, oldest first, stable within a day', () => {
  const rows = chartRows([
    P('gad7', '2025-02-07', 3),
    P('phq9', '2025-01-10', 15),
    P('phq9', '2025-02-07', 6),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.takenOn, r.name, r.total, r.dateText]),
    [
      ['2025-01-10', 'PHQ-9', 15, '10 January'],
      ['2025-02-07', 'GAD-7', 3, '7 February'],
      ['2025-02-07', 'PHQ-9', 6, '7 February'],
    ],
  );
});

test('text is escaped, and the id is made safe', () => {
  assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  const svg = moodChartSvg([P('phq9', '2025-01-10', 5)], { id: 'a"b<c>', title: 'Scores <b>&</b>' });
  assert.match(svg, /id="abc-title"/);
  assert.match(svg, /Scores &lt;b&gt;&amp;&lt;\/b&gt;/);
});

test('many dates close together do not pile their labels on top of each other', () => {
  const points = Array.from({ length: 20 }, (_, i) =>
    P('phq9', `2025-01-${String(i + 1).padStart(2, '0')}`, i),
  );
  const svg = moodChartSvg([...points, P('phq9', '2025-03-01', 3)]);
  const xs = [
    ...svg.matchAll(/<text x="([\d.]+)" y="\d+" text-anchor="(?:start|middle|end)" font-size="12"/g),
  ].map((m) => Number(m[1]));
  const dateXs = xs.filter((x) => x >= CHART.left).sort((a, b) => a - b);
  for (let i = 1; i < dateXs.length; i++)
    assert.ok(dateXs[i]! - dateXs[i - 1]! >= 80, `labels at ${dateXs[i - 1]} and ${dateXs[i]}`);
  assert.match(svg, />1 March</);
  assert.match(svg, />1 January</);
});
