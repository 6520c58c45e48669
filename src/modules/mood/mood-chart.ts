// A small line chart of PHQ-9 and GAD-7 totals over time, drawn on the server as SVG so that it works
// without JavaScript. Pure: scores in, markup out. The page's Content Security Policy forbids inline
// styles, so everything is drawn with presentation attributes (stroke, fill, font-size), never style="".
// The chart is an image with a title and a description; the same figures are given as a table beside it
// (chartRows), so nobody needs to read the picture.
import { daysBetween, formatDate, isIsoDate, type IsoDate } from '../../platform/dates.ts';

export type ChartInstrument = 'phq9' | 'gad7';
export type ChartPoint = { instrument: ChartInstrument; takenOn: IsoDate; total: number };

const SERIES: Record<
  ChartInstrument,
  { name: string; legend: string; colour: string; dash: string | null; max: number }
> = {
  // NHS blue and NHS purple; told apart by line pattern and marker shape too, not by colour alone.
  phq9: { name: 'PHQ-9', legend: 'PHQ-9 (depression)', colour: '#005eb8', dash: null, max: 27 },
  gad7: { name: 'GAD-7', legend: 'GAD-7 (anxiety)', colour: '#330072', dash: '8 5', max: 21 },
};
const ORDER: readonly ChartInstrument[] = ['phq9', 'gad7'];

export const CHART = { width: 640, height: 280, left: 40, right: 24, top: 16, bottom: 64, yMax: 27 } as const;
const FONT = 'Frutiger W01, Arial, sans-serif';
const TEXT_COLOUR = '#212b32';
const GRID_COLOUR = '#d8dde0';

export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Points that can be drawn: a real date and a whole total within the measure's range. */
function drawable(points: readonly ChartPoint[]): ChartPoint[] {
  return points.filter(
    (p) =>
      ORDER.includes(p.instrument) &&
      isIsoDate(p.takenOn) &&
      Number.isInteger(p.total) &&
      p.total >= 0 &&
      p.total <= SERIES[p.instrument].max,
  );
}

/** Oldest first; the same order as the chart draws and the table lists. Stable for points on one day. */
function sorted(points: readonly ChartPoint[]): ChartPoint[] {
  return drawable(points)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.takenOn < b.p.takenOn ? -1 : a.p.takenOn > b.p.takenOn ? 1 : a.i - b.i))
    .map(({ p }) => p);
}

export type ChartScale = { x: (d: IsoDate) => number; y: (total: number) => number };

/** Dates spread in proportion to the days between them; a single date sits in the middle. */
export function chartScale(points: readonly ChartPoint[]): ChartScale {
  const ps = sorted(points);
  const plotW = CHART.width - CHART.left - CHART.right;
  const plotH = CHART.height - CHART.top - CHART.bottom;
  const first = ps[0]?.takenOn;
  const last = ps[ps.length - 1]?.takenOn;
  const span = first && last ? daysBetween(first, last) : 0;
  return {
    x: (d) =>
      round(
        span === 0 || !first ? CHART.left + plotW / 2 : CHART.left + (daysBetween(first, d) / span) * plotW,
      ),
    y: (total) => round(CHART.top + plotH - (Math.max(0, Math.min(CHART.yMax, total)) / CHART.yMax) * plotH),
  };
}

function describe(ps: readonly ChartPoint[], relativeTo: IsoDate): string {
  const parts: string[] = [];
  for (const m of ORDER) {
    const own = ps.filter((p) => p.instrument === m);
    const first = own[0];
    const last = own[own.length - 1];
    if (!first || !last) continue;
    const name = SERIES[m].name;
    parts.push(
      own.length === 1
        ? `${name} ${first.total} on ${formatDate(first.takenOn, relativeTo)}.`
        : `${name} from ${first.total} on ${formatDate(first.takenOn, relativeTo)} to ${last.total} on ${formatDate(last.takenOn, relativeTo)}, ${own.length} scores.`,
    );
  }
  return parts.join(' ');
}

const PLOT_RIGHT = CHART.width - CHART.right;
const PLOT_BOTTOM = CHART.height - CHART.bottom;

/** Grid and score axis. */
function scoreGrid({ y }: ChartScale): string {
  const grid: string[] = [];
  for (let v = 0; v <= CHART.yMax; v += 5) {
    grid.push(
      `<line x1="${CHART.left}" y1="${y(v)}" x2="${PLOT_RIGHT}" y2="${y(v)}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
      `<text x="${CHART.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12" fill="${TEXT_COLOUR}">${v}</text>`,
    );
  }
  return `<g aria-hidden="true">${grid.join('')}</g>`;
}

/** Dates along the bottom: every distinct date while they fit, otherwise the first and the last. */
function dateAxis(ps: readonly ChartPoint[], { x }: ChartScale, lastDate: IsoDate): string {
  const dates = [...new Set(ps.map((p) => p.takenOn))];
  const labelled: IsoDate[] = [];
  for (const d of dates) {
    const prev = labelled[labelled.length - 1];
    if (prev === undefined || x(d) - x(prev) >= 80) labelled.push(d);
  }
  const lastLabel = dates[dates.length - 1]!;
  if (labelled[labelled.length - 1] !== lastLabel) {
    if (labelled.length > 1 && x(lastLabel) - x(labelled[labelled.length - 1]!) < 80) labelled.pop();
    labelled.push(lastLabel);
  }
  const axis: string[] = [
    `<line x1="${CHART.left}" y1="${PLOT_BOTTOM}" x2="${PLOT_RIGHT}" y2="${PLOT_BOTTOM}" stroke="${TEXT_COLOUR}" stroke-width="1"/>`,
  ];
  for (const d of labelled) {
    const anchor =
      dates.length === 1 ? 'middle' : d === dates[0] ? 'start' : d === lastLabel ? 'end' : 'middle';
    axis.push(
      `<line x1="${x(d)}" y1="${PLOT_BOTTOM}" x2="${x(d)}" y2="${PLOT_BOTTOM + 5}" stroke="${TEXT_COLOUR}" stroke-width="1"/>`,
      `<text x="${x(d)}" y="${PLOT_BOTTOM + 20}" text-anchor="${anchor}" font-size="12" fill="${TEXT_COLOUR}">${escapeXml(formatDate(d, lastDate))}</text>`,
    );
  }
  return `<g aria-hidden="true">${axis.join('')}</g>`;
}

/** One line per measure, with a marker per score: circles for PHQ-9, squares for GAD-7. */
function seriesLine(m: ChartInstrument, ps: readonly ChartPoint[], { x, y }: ChartScale): string {
  const s = SERIES[m];
  const own = ps.filter((p) => p.instrument === m);
  const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  const parts: string[] = [];
  if (own.length > 1) {
    parts.push(
      `<polyline points="${own.map((p) => `${x(p.takenOn)},${y(p.total)}`).join(' ')}" fill="none" stroke="${s.colour}" stroke-width="3" stroke-linejoin="round"${dash}/>`,
    );
  }
  for (const p of own) {
    const label = `<title>${escapeXml(`${s.name} ${p.total} on ${formatDate(p.takenOn)}`)}</title>`;
    parts.push(
      m === 'phq9'
        ? `<circle cx="${x(p.takenOn)}" cy="${y(p.total)}" r="5" fill="${s.colour}" stroke="#ffffff" stroke-width="1.5">${label}</circle>`
        : `<rect x="${round(x(p.takenOn) - 5)}" y="${round(y(p.total) - 5)}" width="10" height="10" fill="${s.colour}" stroke="#ffffff" stroke-width="1.5">${label}</rect>`,
    );
  }
  return `<g class="app-mood-chart__${m}">${parts.join('')}</g>`;
}

/** Legend, for the measures drawn. */
function chartLegend(present: readonly ChartInstrument[]): string {
  const legend: string[] = [];
  present.forEach((m, i) => {
    const s = SERIES[m];
    const lx = CHART.left + i * 220;
    const ly = CHART.height - 14;
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    legend.push(
      `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 32}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="3"${dash}/>`,
      m === 'phq9'
        ? `<circle cx="${lx + 16}" cy="${ly - 4}" r="5" fill="${s.colour}"/>`
        : `<rect x="${lx + 11}" y="${ly - 9}" width="10" height="10" fill="${s.colour}"/>`,
      `<text x="${lx + 40}" y="${ly}" font-size="13" fill="${TEXT_COLOUR}">${escapeXml(s.legend)}</text>`,
    );
  });
  return `<g aria-hidden="true">${legend.join('')}</g>`;
}

/**
 * The chart as an SVG element, or '' when there is nothing to draw. `id` keeps the title and description
 * ids unique on the page.
 */
export function moodChartSvg(
  points: readonly ChartPoint[],
  opts: { id?: string; title?: string } = {},
): string {
  const ps = sorted(points);
  if (ps.length === 0) return '';
  const id = (opts.id ?? 'mood-chart').replace(/[^A-Za-z0-9_-]/g, '');
  const present = ORDER.filter((m) => ps.some((p) => p.instrument === m));
  const title = opts.title ?? `${present.map((m) => SERIES[m].name).join(' and ')} scores over time`;
  const lastDate = ps[ps.length - 1]!.takenOn;
  const scale = chartScale(ps);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-mood-chart" viewBox="0 0 ${CHART.width} ${CHART.height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" font-family="${FONT}">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(`${describe(ps, lastDate)} Higher scores mean more symptoms. The same figures are in the table below.`)}</desc>`,
    scoreGrid(scale),
    dateAxis(ps, scale, lastDate),
    ...present.map((m) => seriesLine(m, ps, scale)),
    chartLegend(present),
    '</svg>',
  ].join('');
}

export type ChartRow = {
  takenOn: IsoDate;
  dateText: string;
  instrument: ChartInstrument;
  name: string;
  total: number;
};

/** The chart's figures as table rows, in the order the chart draws them. */
export function chartRows(points: readonly ChartPoint[]): ChartRow[] {
  const ps = sorted(points);
  const lastDate = ps[ps.length - 1]?.takenOn;
  return ps.map((p) => ({
    takenOn: p.takenOn,
    dateText: formatDate(p.takenOn, lastDate),
    instrument: p.instrument,
    name: SERIES[p.instrument].name,
    total: p.total,
  }));
}
