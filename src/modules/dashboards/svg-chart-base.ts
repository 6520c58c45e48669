// The parts both chart kinds share: types, scales and ticks, value formats, the frame, markers, the
// legend. Pure. Callers import from svg-chart.ts, which re-exports what is public.

export type ChartUnit = 'count' | 'percent' | 'points' | 'days';
/** Percent and points are on the 0 to 100 scale (54.2 means 54.2%), not 0 to 1. */
export type ChartSeries = { name: string; values: readonly (number | null)[] };
export type ChartOptions = {
  /** Unique on the page; keeps the title, description and pattern ids apart. */
  id: string;
  title: string;
  description: string;
  /** One label per position along the axis (quarters, advisers, settings). */
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** Drawn as a dashed dark line (bars: a dashed mark across each category). */
  target?: ChartSeries | null;
  unit: ChartUnit;
  /** Axis title; defaults to the unit's name. */
  axisLabel?: string;
};
export type BarChartOptions = ChartOptions & {
  /** 'auto' lays bars on their side when labels are long or many, so they stay readable on a phone. */
  orientation?: 'auto' | 'vertical' | 'horizontal';
};

const WIDTH = 640;
const FONT = 'Frutiger W01, Arial, sans-serif';
const FONT_SIZE = 14;
const TEXT = '#212b32';
const GRID = '#d8dde0';
const TARGET = { colour: '#212b32', dash: '8 5' } as const;
// NHS blue, dark pink, dark green, purple, dark grey, dark blue: each 5.9:1 or more on white.
export const SERIES_COLOURS = ['#005eb8', '#7c2855', '#006747', '#330072', '#425563', '#003087'] as const;
const DASHES = [null, '10 5', '3 4', '12 4 3 4', '6 6', '1 4'] as const;
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'down'] as const;
const UNIT_NAMES: Record<ChartUnit, string> = {
  count: 'Number',
  percent: 'Per cent',
  points: 'Percentage points',
  days: 'Days',
};

export function escapeXml(s: string): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
const value = (v: number | null | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
/** A rough width of text in Arial at a size; enough to keep labels from overlapping. */
const textWidth = (s: string, size = FONT_SIZE) => s.length * size * 0.56;

/** How a figure reads on an axis or beside a bar: "1,250", "54.2%", "-3.5 points", "12 days". */
export function formatChartValue(v: number, unit: ChartUnit): string {
  const n = Number.isInteger(v) ? v : Math.round(v * 10) / 10;
  const text = n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  if (unit === 'percent') return `${text}%`;
  if (unit === 'points') return `${n > 0 ? '+' : ''}${text}`;
  return text;
}

/**
 * Round axis ticks covering min..max and zero (bars start at zero, and a line's axis starting above
 * zero exaggerates change). Steps are 1, 2, 2.5 or 5 times a power of ten; counts and days get whole
 * steps. Flat data (all zeros) still gets an axis from 0 to 1.
 */
export function niceTicks(
  min: number,
  max: number,
  opts: { maxTicks?: number; whole?: boolean } = {},
): number[] {
  const maxTicks = Math.max(2, opts.maxTicks ?? 7);
  let lo = Math.min(0, Number.isFinite(min) ? min : 0);
  let hi = Math.max(0, Number.isFinite(max) ? max : 0);
  if (hi === lo) hi = lo + 1;
  // The smallest round step that needs no more than maxTicks ticks.
  let step = 0;
  for (let k = Math.floor(Math.log10((hi - lo) / maxTicks)) - 1; step === 0; k++) {
    for (const m of [1, 2, 2.5, 5]) {
      const s = m * 10 ** k;
      if (opts.whole && (s < 1 || !Number.isInteger(Math.round(s * 1e9) / 1e9))) continue;
      const count = Math.ceil(hi / s - 1e-9) - Math.floor(lo / s + 1e-9) + 1;
      if (count <= maxTicks) {
        step = s;
        break;
      }
    }
  }
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step / 2; i++)
    ticks.push(Number((lo + i * step).toFixed(decimals)) + 0);
  return ticks;
}

type Frame = { ticks: number[]; lo: number; hi: number };
function frame(opts: ChartOptions): Frame {
  const all = [...opts.series, ...(opts.target ? [opts.target] : [])].flatMap((s) =>
    s.values.map(value).filter((v): v is number => v !== null),
  );
  const ticks = niceTicks(Math.min(0, ...all), Math.max(0, ...all), {
    whole: opts.unit === 'count' || opts.unit === 'days',
  });
  return { ticks, lo: ticks[0]!, hi: ticks[ticks.length - 1]! };
}

function open(opts: ChartOptions, kind: string, height: number): string[] {
  const id = safeId(opts.id);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart app-chart--${kind}" id="${id}" viewBox="0 0 ${WIDTH} ${r1(height)}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" font-family="${FONT}" font-size="${FONT_SIZE}">`,
    `<title id="${id}-title">${escapeXml(opts.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(opts.description)}</desc>`,
  ];
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '') || 'chart';

function marker(kind: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const at = (dx: number, dy: number) => `${r1(x + dx)},${r1(y + dy)}`;
  const edge = `fill="${colour}" stroke="#ffffff" stroke-width="1.5"`;
  switch (kind) {
    case 'circle':
      return `<circle cx="${r1(x)}" cy="${r1(y)}" r="5" ${edge}/>`;
    case 'square':
      return `<rect x="${r1(x - 5)}" y="${r1(y - 5)}" width="10" height="10" ${edge}/>`;
    case 'triangle':
      return `<polygon points="${at(0, -6)} ${at(6, 5)} ${at(-6, 5)}" ${edge}/>`;
    case 'diamond':
      return `<polygon points="${at(0, -6)} ${at(6, 0)} ${at(0, 6)} ${at(-6, 0)}" ${edge}/>`;
    case 'down':
      return `<polygon points="${at(-6, -5)} ${at(6, -5)} ${at(0, 6)}" ${edge}/>`;
    case 'cross':
      return `<path d="M${at(-5, -5)}L${at(5, 5)}M${at(-5, 5)}L${at(5, -5)}" stroke="${colour}" stroke-width="3" fill="none"/>`;
  }
}

type LegendItem = { name: string; draw: (x: number, y: number) => string };
/** Legend rows under the plot; returns the markup and the height it needs. */
function legend(items: readonly LegendItem[], top: number, left: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  const parts: string[] = [];
  let x = left;
  let y = top + 14;
  for (const item of items) {
    const w = 44 + textWidth(item.name) + 24;
    if (x > left && x + w > WIDTH - 8) {
      x = left;
      y += 24;
    }
    parts.push(
      item.draw(x, y - 5),
      `<text x="${r1(x + 44)}" y="${y}" fill="${TEXT}">${escapeXml(item.name)}</text>`,
    );
    x += w;
  }
  return {
    svg: `<g class="app-chart__legend" aria-hidden="true">${parts.join('')}</g>`,
    height: y - top + 10,
  };
}

const lineLegend = (i: number) => (x: number, y: number) =>
  `<line x1="${x}" y1="${y}" x2="${x + 36}" y2="${y}" stroke="${pick(SERIES_COLOURS, i)}" stroke-width="3"${dashAttr(pick(DASHES, i))}/>` +
  marker(pick(MARKERS, i), x + 18, y, pick(SERIES_COLOURS, i));
const targetLegend = (x: number, y: number) =>
  `<line x1="${x}" y1="${y}" x2="${x + 36}" y2="${y}" stroke="${TARGET.colour}" stroke-width="2.5" stroke-dasharray="${TARGET.dash}"/>`;
const dashAttr = (d: string | null) => (d ? ` stroke-dasharray="${d}"` : '');

function valueAxis(
  f: Frame,
  unit: ChartUnit,
  scale: (v: number) => number,
  horizontal: boolean,
  span: [number, number],
): string {
  const parts: string[] = [];
  for (const t of f.ticks) {
    const p = r1(scale(t));
    const strong = t === 0 ? TEXT : GRID;
    parts.push(
      horizontal
        ? `<line x1="${p}" y1="${span[0]}" x2="${p}" y2="${span[1]}" stroke="${strong}" stroke-width="1"/><text x="${p}" y="${span[1] + 20}" text-anchor="middle" fill="${TEXT}">${escapeXml(formatChartValue(t, unit))}</text>`
        : `<line x1="${span[0]}" y1="${p}" x2="${span[1]}" y2="${p}" stroke="${strong}" stroke-width="1"/><text x="${span[0] - 8}" y="${p + 5}" text-anchor="end" fill="${TEXT}">${escapeXml(formatChartValue(t, unit))}</text>`,
    );
  }
  return `<g class="app-chart__axis" aria-hidden="true">${parts.join('')}</g>`;
}

const tickLabelWidth = (f: Frame, unit: ChartUnit) =>
  Math.max(...f.ticks.map((t) => textWidth(formatChartValue(t, unit))));

export {
  dashAttr,
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
  value,
  valueAxis,
  tickLabelWidth,
};
export { FONT_SIZE, TARGET, TEXT, UNIT_NAMES, WIDTH, GRID, DASHES, MARKERS };
export type { Frame, LegendItem };
