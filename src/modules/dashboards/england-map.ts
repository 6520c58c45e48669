// A map of England's 153 upper-tier local authorities, drawn on the server as SVG (issue 6), from the
// shipped TopoJSON (data/reference/boundaries/, ONS BUC 2024, OGL v3). Projected once per process
// (Mercator, which keeps shapes true at England's size) and simplified arc by arc, so borders that two
// authorities share stay identical and no gaps open between them. One <path> per authority, each with a
// <title>, shaded by the value of one indicator in five classes, with a legend and a "no data" pattern.
//
// The boundaries use the codes of their vintage (2024): Barnsley E08000016 and Sheffield E08000019,
// which Mortar's authority table holds as previous codes of E08000038 and E08000039. Callers map them
// with `recode`. Every authority is drawn, including the Isles of Scilly and the City of London; at this
// size London's boroughs are small, so the table beside the map is the text alternative for every figure.
// Rules as for charts: presentation attributes only (no style), every text escaped.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeXml } from './svg-chart.ts';

export type Position = [number, number];
type Topology = {
  arcs: number[][][];
  transform: { scale: [number, number]; translate: [number, number] };
  objects: Record<
    string,
    { geometries: { type: string; arcs: number[][] | number[][][]; properties: Record<string, string> }[] }
  >;
};

export type MapArea = {
  /** The code in the boundary file (2024 vintage). */
  code: string;
  name: string;
  regionCode: string;
  /** SVG path data in the map's pixel space. */
  d: string;
};

export const MAP_WIDTH = 520;
const PAD = 8;
/** Points closer than this (pixels) to the last one kept are dropped. */
const TOLERANCE = 0.6;

/** Integer TopoJSON arcs (quantised, delta-encoded) to longitude and latitude. */
export function decodeArcs(topology: Pick<Topology, 'arcs' | 'transform'>): Position[][] {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx!;
      y += dy!;
      return [x * sx + tx, y * sy + ty] as Position;
    });
  });
}

/** Web Mercator without the scale: x in radians of longitude, y growing northwards. */
export function mercator([lon, lat]: Position): Position {
  const rad = Math.PI / 180;
  return [lon * rad, Math.log(Math.tan(Math.PI / 4 + (lat * rad) / 2))];
}

/** Drops points within `tolerance` of the last one kept; the ends always stay (shared borders match). */
export function simplify(points: readonly Position[], tolerance: number): Position[] {
  if (points.length <= 2) return [...points];
  const out: Position[] = [points[0]!];
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const q = out[out.length - 1]!;
    if (Math.hypot(p[0] - q[0], p[1] - q[1]) >= tolerance) out.push(p);
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** A ring from its arcs (a negative index is arc ~i reversed); each arc after the first starts where the last ended. */
export function ringOf(indexes: readonly number[], arcs: readonly Position[][]): Position[] {
  const ring: Position[] = [];
  for (const i of indexes) {
    const arc = i >= 0 ? arcs[i]! : [...arcs[~i]!].reverse();
    ring.push(...(ring.length > 0 ? arc.slice(1) : arc));
  }
  return ring;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

export function pathOf(rings: readonly Position[][]): string {
  return rings
    .filter((r) => r.length >= 3)
    .map((r) => `M${r.map(([x, y]) => `${fmt(x)} ${fmt(y)}`).join('L')}Z`)
    .join('');
}

/** The projected, simplified areas of one layer of a topology, and the map's height. */
export function projectLayer(
  topology: Topology,
  layer: string,
  width = MAP_WIDTH,
): { areas: MapArea[]; height: number } {
  const lonLat = decodeArcs(topology);
  const projected = lonLat.map((arc) => arc.map(mercator));
  const geometries = topology.objects[layer]?.geometries ?? [];
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const arc of projected)
    for (const [x, y] of arc) {
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  const k = (width - 2 * PAD) / (maxX - minX);
  const height = Math.ceil((maxY - minY) * k + 2 * PAD);
  // Pixel space: north up, so y is flipped. Each arc simplified once, for every area that uses it.
  const pixels = projected.map((arc) =>
    simplify(
      arc.map(([x, y]) => [PAD + (x - minX) * k, PAD + (maxY - y) * k] as Position),
      TOLERANCE,
    ),
  );
  const areas = geometries.map((g) => {
    const polygons = (g.type === 'Polygon' ? [g.arcs] : g.arcs) as number[][][];
    const rings = polygons.flatMap((polygon) => polygon.map((ring) => ringOf(ring, pixels)));
    return {
      code: g.properties.CTYUA24CD ?? g.properties.RGN24CD ?? '',
      name: g.properties.CTYUA24NM ?? g.properties.RGN24NM ?? '',
      regionCode: g.properties.RGN24CD ?? '',
      d: pathOf(rings),
    };
  });
  return { areas, height };
}

let cached: { areas: MapArea[]; height: number } | undefined;
/** The 153 upper-tier authorities, read and projected on first use and kept. */
export function englandAreas(): { areas: MapArea[]; height: number } {
  if (!cached) {
    const file = fileURLToPath(
      new URL('../../../data/reference/boundaries/england_la24_buc.topojson', import.meta.url),
    );
    cached = projectLayer(JSON.parse(readFileSync(file, 'utf8')) as Topology, 'ctyua');
  }
  return cached;
}

// --- Shading ------------------------------------------------------------------------------------------

/** Five blues, light to dark (ColorBrewer Blues, safe for colour-blind readers). */
export const CLASS_FILLS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;
export const NO_DATA_FILL = 'url(#map-no-data)';

/**
 * Class breaks by quantile: up to five classes with about as many authorities in each. Returns the
 * upper bound of every class but the last (ascending, without repeats).
 */
export function quantileBreaks(values: readonly number[], classes = CLASS_FILLS.length): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))]!;
    if (b > (breaks.at(-1) ?? -Infinity) && b > sorted[0]!) breaks.push(b);
  }
  return breaks;
}

/** The class of a value: the first break it is below, or the last class. */
export function classOf(value: number, breaks: readonly number[]): number {
  const i = breaks.findIndex((b) => value < b);
  return i === -1 ? breaks.length : i;
}

export type MapOptions = {
  id: string;
  title: string;
  description: string;
  /** Boundary code to Mortar's code (the 2024 vintage differs for Barnsley and Sheffield). */
  recode?: ReadonlyMap<string, string>;
  /** The value shown for an authority by Mortar's code; null for no data. */
  valueOf: (code: string) => number | null;
  /** How a value reads in a title and the legend. */
  format: (value: number) => string;
  /** Optional link for each authority (to its row in the table, say). */
  hrefOf?: (code: string) => string | null;
};

export type RenderedMap = { svg: string; legend: { fill: string; label: string; noData?: boolean }[] };

/** The map as SVG with its legend entries (the caller shows the legend and the table beside it). */
export function renderEnglandMap(opts: MapOptions): RenderedMap {
  const { areas, height } = englandAreas();
  const codeOf = (a: MapArea) => opts.recode?.get(a.code) ?? a.code;
  const values = areas
    .map((a) => opts.valueOf(codeOf(a)))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const breaks = quantileBreaks(values);
  const fills = CLASS_FILLS.slice(CLASS_FILLS.length - (breaks.length + 1));
  const id = opts.id.replace(/[^A-Za-z0-9_-]/g, '');
  const paths = areas.map((a) => {
    const code = codeOf(a);
    const v = opts.valueOf(code);
    const known = v !== null && Number.isFinite(v);
    const fill = known ? fills[classOf(v, breaks)]! : NO_DATA_FILL.replace('map-no-data', `${id}-no-data`);
    const label = `${a.name}: ${known ? opts.format(v) : 'no data'}`;
    const path = `<path d="${a.d}" fill="${fill}" stroke="#425563" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd" data-code="${escapeXml(code)}"><title>${escapeXml(label)}</title></path>`;
    const href = opts.hrefOf?.(code);
    return href ? `<a href="${escapeXml(href)}">${path}</a>` : path;
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-map" viewBox="0 0 ${MAP_WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${escapeXml(opts.title)}</title><desc id="${id}-desc">${escapeXml(opts.description)}</desc>` +
    `<defs><pattern id="${id}-no-data" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#768692" stroke-width="2"/></pattern></defs>` +
    `<g>${paths.join('')}</g></svg>`;
  const legend: RenderedMap['legend'] = fills.map((fill, i) => {
    const lo = i === 0 ? null : breaks[i - 1]!;
    const hi = i < breaks.length ? breaks[i]! : null;
    const label =
      lo === null && hi === null
        ? 'Every authority with data'
        : lo === null
          ? `Below ${opts.format(hi!)}`
          : hi === null
            ? `${opts.format(lo)} or more`
            : `${opts.format(lo)} to below ${opts.format(hi)}`;
    return { fill, label };
  });
  if (values.length < areas.length) legend.push({ fill: `${id}-no-data`, label: 'No data', noData: true });
  return {
    svg,
    legend: values.length === 0 ? [{ fill: `${id}-no-data`, label: 'No data', noData: true }] : legend,
  };
}
