import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SERIES_COLOURS,
  escapeXml,
  formatChartValue,
  niceTicks,
  renderBarChart,
  renderLineChart,
  wrapLabel,
  type ChartOptions,
} from './svg-chart.ts';

const QUARTERS = ['2024-25 Q1', '2024-25 Q2', '2024-25 Q3', '2024-25 Q4'];
const base = (over: Partial<ChartOptions> = {}): ChartOptions => ({
  id: 'c1',
  title: 'Quit rate by quarter',
  description: 'Quit rate rose from 50% to 60%.',
  categories: QUARTERS,
  series: [{ name: 'Quit rate', values: [50, 52, 55, 60] }],
  unit: 'percent',
  ...over,
});

/** Elements open and close in order, attributes are quoted, and nothing but entities uses '&'. */
function assertWellFormed(svg: string) {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `closing </${name}> out of order`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, [], 'every element is closed');
  const stripped = svg.replace(/<[^>]*>/g, '');
  assert.ok(!/[<>]/.test(stripped), 'no stray angle brackets in text');
  assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(svg), 'every & is an entity');
}

const attrs = (svg: string, tag: string) =>
  [...svg.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((m) => m[0]);
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('niceTicks', () => {
  it('gives round steps covering zero and the data', () => {
    assert.deepEqual(niceTicks(0, 57), [0, 10, 20, 30, 40, 50, 60]);
    assert.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(12, 57), [0, 10, 20, 30, 40, 50, 60], 'starts at zero');
    assert.deepEqual(niceTicks(0, 1234), [0, 250, 500, 750, 1000, 1250]);
  });
  it('keeps whole steps for counts and days', () => {
    assert.deepEqual(niceTicks(0, 3, { whole: true }), [0, 1, 2, 3]);
    assert.deepEqual(niceTicks(0, 1, { whole: true }), [0, 1]);
    assert.ok(niceTicks(0, 7, { whole: true }).every(Number.isInteger));
    assert.deepEqual(
      niceTicks(0, 0.6),
      [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
      'fractions when not whole, without float noise',
    );
  });
  it('spans negative values (percentage points) with zero among the ticks', () => {
    const t = niceTicks(-7.5, 12);
    assert.ok(t[0]! <= -7.5 && t[t.length - 1]! >= 12);
    assert.ok(t.includes(0));
    assert.deepEqual(niceTicks(-12, -3), [-12, -10, -8, -6, -4, -2, 0]);
  });
  it('gives an axis for flat or empty data', () => {
    assert.deepEqual(niceTicks(0, 0, { whole: true }), [0, 1]);
    assert.deepEqual(niceTicks(NaN, NaN), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it('always covers its input, for many ranges', () => {
    for (const [lo, hi] of [
      [0, 9],
      [0, 11],
      [-1, 1],
      [0, 99999],
      [3, 3],
      [-0.3, 0.2],
    ] as const) {
      const t = niceTicks(lo, hi);
      assert.ok(t[0]! <= Math.min(0, lo) && t[t.length - 1]! >= Math.max(0, hi), `${lo}..${hi}: ${t}`);
      assert.ok(t.length <= 7 && t.length >= 2, `${lo}..${hi}: 2 to 7 ticks`);
    }
  });
});

describe('formatChartValue', () => {
  it('reads as the unit', () => {
    assert.equal(formatChartValue(1250, 'count'), '1,250');
    assert.equal(formatChartValue(54.25, 'percent'), '54.3%');
    assert.equal(formatChartValue(-3.5, 'points'), '-3.5');
    assert.equal(formatChartValue(4, 'points'), '+4');
    assert.equal(formatChartValue(0, 'points'), '0');
    assert.equal(formatChartValue(12, 'days'), '12');
  });
});

describe('renderLineChart', () => {
  it('is an accessible image labelled by its title and description', () => {
    const svg = renderLineChart(base());
    assertWellFormed(svg);
    assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
    assert.match(svg, /<title id="c1-title">Quit rate by quarter<\/title>/);
    assert.match(svg, /<desc id="c1-desc">Quit rate rose from 50% to 60%.<\/desc>/);
    assert.match(svg, /viewBox="0 0 640 [\d.]+" width="100%"/);
  });
  it('never uses inline styles', () => {
    const svg = renderLineChart(base({ target: { name: 'Target', values: [55, 55, 55, 55] } }));
    assert.ok(!/style/i.test(svg));
  });
  it('escapes every text it is given', () => {
    const evil = '<script>alert("x")</script> & \'q\'';
    const svg = renderLineChart(
      base({
        id: 'a"b<c',
        title: evil,
        description: evil,
        categories: [evil, 'B'],
        series: [
          { name: evil, values: [1, 2] },
          { name: 'Two', values: [2, 1] },
        ],
        target: { name: evil, values: [1, 1] },
      }),
    );
    assertWellFormed(svg);
    assert.ok(!svg.includes('<script'));
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;'));
    assert.match(svg, /id="abc"/, 'unsafe characters dropped from the id');
  });
  it('leaves a gap for null, never a fall to zero', () => {
    const svg = renderLineChart(base({ series: [{ name: 'Quit rate', values: [50, null, 55, 60] }] }));
    const lines = attrs(svg, 'polyline');
    assert.equal(lines.length, 1, 'one run: the lone first point has no line');
    assert.equal(lines[0]!.match(/points="([^"]*)"/)![1]!.split(' ').length, 2);
    assert.equal(attrs(svg, 'circle').length, 3, 'a marker for each real value');
    const withZero = renderLineChart(base({ series: [{ name: 'Quit rate', values: [50, 0, 55, 60] }] }));
    assert.equal(
      attrs(withZero, 'polyline')[0]!
        .match(/points="([^"]*)"/)![1]!
        .split(' ').length,
      4,
    );
  });
  it('draws the target dashed and puts it in the legend', () => {
    const svg = renderLineChart(base({ target: { name: 'Target', values: [55, 55, null, 58] } }));
    const target = svg.match(/<g class="app-chart__target">(.*?)<\/g>/)![1]!;
    assert.match(target, /<polyline[^>]*stroke-dasharray/);
    assert.match(target, /<line[^>]*stroke-dasharray/, 'a lone quarter target is a short mark');
    assert.ok(texts(svg).includes('Target'));
  });
  it('tells series apart by more than colour', () => {
    const svg = renderLineChart(
      base({
        series: [
          { name: 'Mental health', values: [40, 45, 50, 52] },
          { name: 'Everyone else', values: [55, 56, 57, 58] },
        ],
      }),
    );
    const g1 = svg.match(/app-chart__series--0">(.*?)<\/g>/)![1]!;
    const g2 = svg.match(/app-chart__series--1">(.*?)<\/g>/)![1]!;
    assert.ok(!/stroke-dasharray/.test(g1.match(/<polyline[^>]*>/)![0]) && /stroke-dasharray/.test(g2));
    assert.match(g1, /<circle/);
    assert.match(g2, /<rect/);
    assert.ok(texts(svg).includes('Mental health') && texts(svg).includes('Everyone else'));
    assert.ok(svg.includes(SERIES_COLOURS[0]) && svg.includes(SERIES_COLOURS[1]));
  });
  it('draws a single category as a point in the middle', () => {
    const svg = renderLineChart(
      base({ categories: ['2024-25 Q1'], series: [{ name: 'Rate', values: [40] }] }),
    );
    assertWellFormed(svg);
    assert.equal(attrs(svg, 'polyline').length, 0);
    assert.match(attrs(svg, 'circle')[0]!, /cx="(3[0-9]{2}(\.\d)?)"/);
  });
  it('labels the percent axis and thins crowded category labels', () => {
    const many = Array.from({ length: 24 }, (_, i) => `20${10 + Math.floor(i / 4)} Q${(i % 4) + 1}`);
    const svg = renderLineChart(
      base({ categories: many, series: [{ name: 'Rate', values: many.map(() => 10) }] }),
    );
    const shown = texts(svg).filter((t) => /Q\d/.test(t));
    assert.ok(shown.length < 24 && shown.length >= 3);
    assert.equal(shown[0], many[0]);
    assert.equal(shown[shown.length - 1], many[23]);
    assert.ok(texts(svg).includes('100%') || texts(svg).includes('10%'));
  });
});

describe('renderBarChart', () => {
  it('draws grouped bars from zero, with values on them', () => {
    const svg = renderBarChart({
      id: 'b',
      title: 'Quits',
      description: 'd',
      categories: ['Q1', 'Q2'],
      series: [
        { name: 'Quit dates', values: [10, 20] },
        { name: 'Quits', values: [5, 8] },
      ],
      unit: 'count',
    });
    assertWellFormed(svg);
    assert.match(svg, /app-chart--bar"/);
    const bars = attrs(svg, 'rect').filter(
      (r) => r.includes('stroke-width="1.5"') && !r.includes('width="16"'),
    );
    assert.equal(bars.length, 4);
    for (const label of ['10', '20', '5', '8']) assert.ok(texts(svg).includes(label), label);
    assert.match(svg, /<pattern id="b-fill-1"/, 'the second series is patterned as well as coloured');
    assert.ok(!/style/i.test(svg));
  });
  it('marks null as no data, not a zero bar', () => {
    const svg = renderBarChart({
      id: 'n',
      title: 't',
      description: 'd',
      categories: ['Face to face', 'Telephone'],
      series: [{ name: 'Quits', values: [null, 4] }],
      unit: 'count',
    });
    assert.ok(texts(svg).includes('no data'));
    const g = svg.match(/app-chart__series--0">(.*?)<\/g>/)![1]!;
    assert.equal(attrs(g, 'rect').length, 1);
  });
  it('turns sideways for long labels and wraps them', () => {
    const svg = renderBarChart({
      id: 'h',
      title: 't',
      description: 'd',
      categories: ['Pharmacy stop smoking service in the community', 'Specialist stop smoking service', 'GP'],
      series: [{ name: 'Quit rate', values: [40, 55.5, 61] }],
      unit: 'percent',
    });
    assertWellFormed(svg);
    assert.match(svg, /app-chart--bar-horizontal/);
    assert.ok(texts(svg).includes('55.5%'));
    assert.ok(texts(svg).some((t) => t.startsWith('Pharmacy')));
    assert.ok(
      !texts(svg).includes('Pharmacy stop smoking service in the community'),
      'wrapped onto two lines',
    );
  });
  it('draws negative values (percentage points) below or left of zero', () => {
    for (const orientation of ['vertical', 'horizontal'] as const) {
      const svg = renderBarChart({
        id: 'p',
        title: 't',
        description: 'd',
        categories: ['Leeds', 'Bradford'],
        series: [{ name: 'Gap', values: [-6.5, 3] }],
        unit: 'points',
        orientation,
      });
      assertWellFormed(svg);
      assert.ok(texts(svg).includes('-6.5') && texts(svg).includes('+3'));
      assert.ok(texts(svg).includes('0'), 'zero is on the axis');
      const axis = svg.match(/app-chart__axis"[^>]*>(.*?)<\/g>/)![1]!;
      assert.match(axis, /stroke="#212b32"/, 'the zero line is drawn strongly');
    }
  });
  it('copes with all zeros and a single category', () => {
    const svg = renderBarChart({
      id: 'z',
      title: 't',
      description: 'd',
      categories: ['Only'],
      series: [{ name: 'Count', values: [0] }],
      unit: 'count',
      target: { name: 'Target', values: [0] },
    });
    assertWellFormed(svg);
    assert.ok(!/NaN|Infinity/.test(svg));
    assert.deepEqual(
      texts(svg).filter((t) => /^\d+$/.test(t)),
      ['0', '1', '0'],
    );
    const line = renderLineChart(base({ series: [{ name: 'Rate', values: [0, 0, 0, 0] }] }));
    assert.ok(!/NaN|Infinity/.test(line));
  });
  it('copes with no categories or series at all', () => {
    for (const render of [renderBarChart, renderLineChart]) {
      const svg = render({ id: 'e', title: 't', description: 'd', categories: [], series: [], unit: 'days' });
      assertWellFormed(svg);
      assert.ok(!/NaN|Infinity/.test(svg));
    }
  });
});

describe('wrapLabel and escapeXml', () => {
  it('wraps at words, two lines at most', () => {
    assert.deepEqual(wrapLabel('Specialist stop smoking service', 20), [
      'Specialist stop',
      'smoking service',
    ]);
    const long = wrapLabel('one two three four five six seven eight', 10);
    assert.equal(long.length, 2);
    assert.ok(long[1]!.endsWith('\u2026'));
  });
  it('escapes the five XML characters', () => {
    assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
