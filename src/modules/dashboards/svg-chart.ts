// Line and bar charts drawn on the server as SVG, so dashboards work without JavaScript and print as
// they look. Pure: figures in, markup out. Hand-written rather than Vega-Lite or Observable Plot: both
// need a DOM (jsdom) on the server and write inline styles, which the Content Security Policy blocks;
// the two chart kinds dashboards need fit in two small files.
//
// Rules every chart keeps:
// - presentation attributes and classes only, never style="" or <style>;
// - role="img" with <title> and <desc>; the caller always shows the same figures as a table;
// - colours from the NHS palette with at least 3:1 contrast on white, and never colour alone: lines
//   differ by dash pattern and marker shape, bars by fill pattern, and bars carry their value;
// - null means "no data": a gap in a line, no bar (marked "no data"), never a zero.
import {
  DASHES,
  FONT_SIZE,
  MARKERS,
  SERIES_COLOURS,
  TARGET,
  TEXT,
  UNIT_NAMES,
  WIDTH,
  dashAttr,
  escapeXml,
  formatChartValue,
  frame,
  legend,
  lineLegend,
  marker,
  open,
  pick,
  r1,
  safeId,
  targetLegend,
  textWidth,
  tickLabelWidth,
  value,
  valueAxis,
  type BarChartOptions,
  type ChartOptions,
  type LegendItem,
} from './svg-chart-base.ts';

export {
  SERIES_COLOURS,
  escapeXml,
  formatChartValue,
  niceTicks,
  type BarChartOptions,
  type ChartOptions,
  type ChartSeries,
  type ChartUnit,
} from './svg-chart-base.ts';

/** Category labels: as many as fit without overlapping, always the first and the last. */
function categoryLabels(
  categories: readonly string[],
  x: (i: number) => number,
  bottom: number,
  room: number,
): string {
  const n = categories.length;
  const widest = Math.max(0, ...categories.map((c) => textWidth(c)));
  const every = Math.max(1, Math.ceil((widest + 12) / room));
  const shown: number[] = [];
  for (let i = 0; i < n; i += every) shown.push(i);
  const last = shown[shown.length - 1];
  if (last !== undefined && last !== n - 1) {
    if ((n - 1 - last) * room < widest + 12 && shown.length > 1) shown.pop();
    shown.push(n - 1);
  }
  const labels = shown.map((i) => {
    return (
      `<line x1="${r1(x(i))}" y1="${bottom}" x2="${r1(x(i))}" y2="${bottom + 5}" stroke="${TEXT}" stroke-width="1"/>` +
      `<text x="${r1(x(i))}" y="${bottom + 22}" text-anchor="middle" fill="${TEXT}">${escapeXml(categories[i]!)}</text>`
    );
  });
  return `<g class="app-chart__categories" aria-hidden="true">${labels.join('')}</g>`;
}

type Runs = (values: readonly (number | null)[]) => string[][];

/** The target as a dashed line; a target for one quarter alone (no neighbour to join) is a short dashed mark. */
function targetLine(
  values: readonly (number | null)[],
  runs: Runs,
  x: (i: number) => number,
  y: (v: number) => number,
  n: number,
): string {
  const lines = runs(values).map(
    (run) =>
      `<polyline points="${run.join(' ')}" fill="none" stroke="${TARGET.colour}" stroke-width="2.5" stroke-dasharray="${TARGET.dash}"/>`,
  );
  for (let i = 0; i < n; i++) {
    const v = value(values[i]);
    if (v === null || value(values[i - 1]) !== null || value(values[i + 1]) !== null) continue;
    lines.push(
      `<line x1="${r1(x(i) - 14)}" y1="${r1(y(v))}" x2="${r1(x(i) + 14)}" y2="${r1(y(v))}" stroke="${TARGET.colour}" stroke-width="2.5" stroke-dasharray="4 3"/>`,
    );
  }
  return `<g class="app-chart__target">${lines.join('')}</g>`;
}

/** A line per series over the categories (quarters, usually), with an optional dashed target line. */
export function renderLineChart(opts: ChartOptions): string {
  const n = opts.categories.length;
  const f = frame(opts);
  const axisTitle = opts.axisLabel ?? UNIT_NAMES[opts.unit];
  const left = Math.ceil(Math.max(40, tickLabelWidth(f, opts.unit) + 16));
  const right = WIDTH - 24;
  const top = 36;
  const plotH = 200;
  const bottom = top + plotH;
  // Room at each end for the first and last category labels, centred under their points.
  const widest = Math.max(0, ...opts.categories.map((c) => textWidth(c)));
  const pad = n > 1 ? Math.min(Math.max(16, widest / 2 - 8), (right - left) / 4) : 0;
  const x = (i: number) =>
    n <= 1 ? (left + right) / 2 : left + pad + (i * (right - left - 2 * pad)) / (n - 1);
  const y = (v: number) => bottom - ((v - f.lo) / (f.hi - f.lo)) * plotH;
  const room = n > 1 ? (right - left - 2 * pad) / (n - 1) : WIDTH;

  const body: string[] = [
    `<text x="${left}" y="20" fill="${TEXT}" class="app-chart__axis-title" aria-hidden="true">${escapeXml(axisTitle)}</text>`,
    valueAxis(f, opts.unit, y, false, [left, right]),
    categoryLabels(opts.categories, x, bottom, room),
  ];

  const runs: Runs = (values) => {
    // Break the line at every null: a missing quarter is a gap, never a fall to zero.
    const out: string[][] = [[]];
    for (let i = 0; i < n; i++) {
      const v = value(values[i]);
      if (v === null) out.push([]);
      else out[out.length - 1]!.push(`${r1(x(i))},${r1(y(v))}`);
    }
    return out.filter((run) => run.length > 1);
  };
  if (opts.target) body.push(targetLine(opts.target.values, runs, x, y, n));
  opts.series.forEach((s, si) => {
    const colour = pick(SERIES_COLOURS, si);
    const parts = runs(s.values).map(
      (run) =>
        `<polyline points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="3" stroke-linejoin="round"${dashAttr(pick(DASHES, si))}/>`,
    );
    s.values.forEach((raw, i) => {
      const v = value(raw);
      if (v !== null && i < n) parts.push(marker(pick(MARKERS, si), x(i), y(v), colour));
    });
    body.push(`<g class="app-chart__series app-chart__series--${si}">${parts.join('')}</g>`);
  });
  const items: LegendItem[] = opts.series.map((s, i) => ({ name: s.name, draw: lineLegend(i) }));
  if (opts.target) items.push({ name: opts.target.name, draw: targetLegend });
  const key =
    opts.series.length > 1 || opts.target ? legend(items, bottom + 34, left) : { svg: '', height: 0 };
  const height = bottom + 34 + key.height + 4;
  return [...open(opts, 'line', height), ...body, key.svg, '</svg>'].join('');
}

// Bars are told apart by fill pattern as well as colour: solid, stripes, dots, cross-hatch...
function patterns(id: string, count: number): string {
  const defs: string[] = [];
  for (let i = 1; i < count; i++) {
    const c = pick(SERIES_COLOURS, i);
    const marks = [
      `<rect width="3" height="8" fill="#ffffff"/>`,
      `<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>`,
      `<rect width="2" height="8" fill="#ffffff"/><rect width="8" height="2" fill="#ffffff"/>`,
      `<rect width="8" height="2.5" fill="#ffffff"/>`,
      `<rect width="2.5" height="8" fill="#ffffff"/>`,
    ];
    const turn = i % 6 === 1 || i % 6 === 3 ? ' patternTransform="rotate(45)"' : '';
    defs.push(
      `<pattern id="${id}-fill-${i}" width="8" height="8" patternUnits="userSpaceOnUse"${turn}><rect width="8" height="8" fill="${c}"/>${pick(marks, (i - 1) % 5)}</pattern>`,
    );
  }
  return defs.length ? `<defs>${defs.join('')}</defs>` : '';
}
const fillOf = (id: string, i: number) => (i % 6 === 0 ? pick(SERIES_COLOURS, i) : `url(#${id}-fill-${i})`);
const barLegend = (id: string, i: number) => (x: number, y: number) =>
  `<rect x="${x + 10}" y="${y - 8}" width="16" height="16" fill="${fillOf(id, i)}" stroke="${pick(SERIES_COLOURS, i)}" stroke-width="1.5"/>`;
const bar = (id: string, i: number, x: number, y: number, w: number, h: number) =>
  `<rect x="${r1(x)}" y="${r1(y)}" width="${r1(Math.max(0, w))}" height="${r1(Math.max(0, h))}" fill="${fillOf(id, i)}" stroke="${pick(SERIES_COLOURS, i)}" stroke-width="1.5"/>`;
const small = (x: number, y: number, anchor: string, text: string) =>
  `<text x="${r1(x)}" y="${r1(y)}" text-anchor="${anchor}" font-size="12" fill="${TEXT}">${escapeXml(text)}</text>`;

/** Up to two lines of at most `chars` characters; longer labels end in an ellipsis (the table has them whole). */
export function wrapLabel(label: string, chars: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (next.length <= chars || !current) current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  const kept = lines.slice(0, 2).map((l) => (l.length > chars ? `${l.slice(0, chars - 1)}\u2026` : l));
  if (lines.length > 2) kept[1] = `${kept[1]!.slice(0, chars - 1).trimEnd()}\u2026`;
  return kept;
}

/**
 * Grouped bars: one group per category, one bar per series, from zero (so negative points go down or
 * left). Lies on its side when labels are long or many, which also suits a phone's narrow screen.
 */
export function renderBarChart(opts: BarChartOptions): string {
  const n = Math.max(1, opts.categories.length);
  const left = Math.ceil(Math.max(40, tickLabelWidth(frame(opts), opts.unit) + 16));
  const band = (WIDTH - 24 - left) / n;
  const widest = Math.max(0, ...opts.categories.map((c) => textWidth(c)));
  const sideways =
    opts.orientation === 'horizontal' ||
    (opts.orientation !== 'vertical' && (opts.categories.length > 8 || widest > band - 8));
  return sideways ? horizontalBars(opts) : verticalBars(opts, left);
}

function barItems(opts: ChartOptions, id: string): LegendItem[] {
  const items: LegendItem[] = opts.series.map((s, i) => ({ name: s.name, draw: barLegend(id, i) }));
  if (opts.target) items.push({ name: opts.target.name, draw: targetLegend });
  return opts.series.length > 1 || opts.target ? items : [];
}

function verticalBars(opts: BarChartOptions, left: number): string {
  const id = safeId(opts.id);
  const f = frame(opts);
  const n = opts.categories.length;
  const k = Math.max(1, opts.series.length);
  const right = WIDTH - 24;
  const top = 36;
  const plotH = 200;
  const bottom = top + plotH;
  const y = (v: number) => bottom - ((v - f.lo) / (f.hi - f.lo)) * plotH;
  const band = (right - left) / Math.max(1, n);
  const group = Math.min(band * 0.72, k * 72);
  const barW = (group - (k - 1) * 3) / k;
  const body: string[] = [
    patterns(id, k),
    `<text x="${left}" y="20" fill="${TEXT}" aria-hidden="true">${escapeXml(opts.axisLabel ?? UNIT_NAMES[opts.unit])}</text>`,
    valueAxis(f, opts.unit, y, false, [left, right]),
  ];
  const every = Math.max(1, Math.ceil((Math.max(0, ...opts.categories.map((c) => textWidth(c))) + 8) / band));
  const labels = opts.categories.map((c, i) =>
    i % every === 0
      ? `<text x="${r1(left + band * (i + 0.5))}" y="${bottom + 22}" text-anchor="middle" fill="${TEXT}">${escapeXml(c)}</text>`
      : '',
  );
  body.push(`<g class="app-chart__categories" aria-hidden="true">${labels.join('')}</g>`);
  const zero = y(Math.max(f.lo, Math.min(f.hi, 0)));
  opts.series.forEach((s, si) => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = left + band * i + (band - group) / 2 + si * (barW + 3);
      const v = value(s.values[i]);
      if (v === null) {
        parts.push(
          small(
            x + barW / 2,
            zero - 6,
            'middle',
            textWidth('no data', 12) <= barW + 6 ? 'no data' : '\u2013',
          ),
        );
        continue;
      }
      parts.push(bar(id, si, x, Math.min(y(v), zero), barW, Math.abs(y(v) - zero)));
      const label = formatChartValue(v, opts.unit);
      if (textWidth(label, 12) <= barW + 6)
        parts.push(small(x + barW / 2, v < 0 ? y(v) + 15 : y(v) - 5, 'middle', label));
    }
    body.push(`<g class="app-chart__series app-chart__series--${si}">${parts.join('')}</g>`);
  });
  if (opts.target) {
    const marks = opts.categories.map((_, i) => {
      const v = value(opts.target!.values[i]);
      const x = left + band * i + (band - group) / 2;
      return v === null
        ? ''
        : `<line x1="${r1(x - 6)}" y1="${r1(y(v))}" x2="${r1(x + group + 6)}" y2="${r1(y(v))}" stroke="${TARGET.colour}" stroke-width="2.5" stroke-dasharray="${TARGET.dash}"/>`;
    });
    body.push(`<g class="app-chart__target">${marks.join('')}</g>`);
  }
  const key = legend(barItems(opts, id), bottom + 34, left);
  return [...open(opts, 'bar', bottom + 34 + key.height + 4), ...body, key.svg, '</svg>'].join('');
}

function horizontalBars(opts: BarChartOptions): string {
  const id = safeId(opts.id);
  const f = frame(opts);
  const n = opts.categories.length;
  const k = Math.max(1, opts.series.length);
  const chars = Math.floor((WIDTH * 0.38) / (FONT_SIZE * 0.56));
  const wrapped = opts.categories.map((c) => wrapLabel(c, chars));
  const left = Math.ceil(
    Math.min(WIDTH * 0.4, Math.max(40, ...wrapped.flat().map((l) => textWidth(l))) + 12),
  );
  const values = opts.series.flatMap((s) => s.values.map(value).filter((v): v is number => v !== null));
  const valueRoom = Math.max(
    textWidth('no data', 12),
    ...values.map((v) => textWidth(formatChartValue(v, opts.unit), 12)),
  );
  const hasNegative = f.lo < 0;
  const plotLeft = left + (hasNegative ? valueRoom + 6 : 0);
  const right = WIDTH - Math.max(24, valueRoom + 10);
  const x = (v: number) => plotLeft + ((v - f.lo) / (f.hi - f.lo)) * (right - plotLeft);
  const barH = 18;
  const band = Math.max(k * (barH + 3) - 3 + 14, 44);
  const top = 36;
  const bottom = top + Math.max(1, n) * band;
  const zero = x(Math.max(f.lo, Math.min(f.hi, 0)));
  const body: string[] = [
    patterns(id, k),
    `<text x="${r1(plotLeft)}" y="20" fill="${TEXT}" aria-hidden="true">${escapeXml(opts.axisLabel ?? UNIT_NAMES[opts.unit])}</text>`,
    valueAxis(f, opts.unit, x, true, [top, bottom]),
  ];
  const labels = wrapped.map((lines, i) => {
    const mid = top + band * (i + 0.5);
    return lines
      .map(
        (l, li) =>
          `<text x="${left - 10}" y="${r1(mid + 5 + (li - (lines.length - 1) / 2) * 17)}" text-anchor="end" fill="${TEXT}">${escapeXml(l)}</text>`,
      )
      .join('');
  });
  body.push(`<g class="app-chart__categories" aria-hidden="true">${labels.join('')}</g>`);
  const groupH = k * (barH + 3) - 3;
  opts.series.forEach((s, si) => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const yTop = top + band * i + (band - groupH) / 2 + si * (barH + 3);
      const v = value(s.values[i]);
      if (v === null) {
        parts.push(small(zero + 6, yTop + 13, 'start', 'no data'));
        continue;
      }
      parts.push(bar(id, si, Math.min(x(v), zero), yTop, Math.abs(x(v) - zero), barH));
      const label = formatChartValue(v, opts.unit);
      parts.push(
        v < 0 ? small(x(v) - 5, yTop + 13, 'end', label) : small(x(v) + 5, yTop + 13, 'start', label),
      );
    }
    body.push(`<g class="app-chart__series app-chart__series--${si}">${parts.join('')}</g>`);
  });
  if (opts.target) {
    const marks = opts.categories.map((_, i) => {
      const v = value(opts.target!.values[i]);
      const y0 = top + band * i + (band - groupH) / 2;
      return v === null
        ? ''
        : `<line x1="${r1(x(v))}" y1="${r1(y0 - 5)}" x2="${r1(x(v))}" y2="${r1(y0 + groupH + 5)}" stroke="${TARGET.colour}" stroke-width="2.5" stroke-dasharray="5 3"/>`;
    });
    body.push(`<g class="app-chart__target">${marks.join('')}</g>`);
  }
  const key = legend(barItems(opts, id), bottom + 34, left);
  return [...open(opts, 'bar-horizontal', bottom + 34 + key.height + 4), ...body, key.svg, '</svg>'].join('');
}
