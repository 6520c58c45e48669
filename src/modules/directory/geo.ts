/**
 * Where a postcode is, and how far apart two places are, without calling any outside service.
 * Pure: the centroid table is built from lines handed in (centroid-data.ts reads the shipped file),
 * and full postcodes are checked against the PostcodeLookup handed in.
 *
 * Centroid file format (data/reference/postcode-centroids.tsv.gz, gzip UTF-8, "\n" line ends;
 * version "centroids-v1", built by scripts/build-centroids.ts)
 * ------------------------------------------------------------------------------------------------
 * Lines starting with "#" are comments. Every other line is one postcode district ("LS6") or sector
 * ("LS6 1"), sorted by code, with 4 TAB-separated fields:
 *
 *   code  TAB  lat  TAB  long  TAB  la
 *
 *   lat, long  the mean position of the area's postcodes (WGS84 decimal degrees, 4 places, about 10 m).
 *   la         the upper-tier local authority (ONS GSS code) holding at least LA_SHARE_THRESHOLD of the
 *              area's postcodes; empty when the area is split between authorities.
 *
 * Example:  "LS6 1\t53.8234\t-1.5712\tE08000035"
 */
import type { Language } from '../../platform/language.ts';
import { normalisePostcode, OUTWARD } from '../../platform/postcode.ts';

export const CENTROIDS_FORMAT_VERSION = 'centroids-v1';

/** An area's authority is given only when at least this share of its postcodes are in it. */
export const LA_SHARE_THRESHOLD = 0.9;

export type LatLong = { lat: number; long: number };

export type Centroid = LatLong & { localAuthorityCode: string | null };

const OUTCODE_RE = new RegExp(`^${OUTWARD}$`);
const SECTOR_RE = new RegExp(`^${OUTWARD} [0-9]$`);

export class CentroidTable {
  readonly #areas: Map<string, Centroid>;

  private constructor(areas: Map<string, Centroid>) {
    this.#areas = areas;
  }

  /** Builds the table from lines in the format above; throws on a malformed line, naming it. */
  static fromLines(lines: Iterable<string>): CentroidTable {
    const areas = new Map<string, Centroid>();
    const codes = new Map<string, string>();
    let lineNo = 0;
    for (const raw of lines) {
      lineNo++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || line.startsWith('#')) continue;
      const fail = (why: string): never => {
        throw new Error(`centroid table line ${lineNo}: ${why}: ${JSON.stringify(line.slice(0, 80))}`);
      };
      const f = line.split('\t');
      if (f.length !== 4) fail('expected 4 tab-separated fields');
      const [code = '', latText = '', longText = '', la = ''] = f;
      if (!OUTCODE_RE.test(code) && !SECTOR_RE.test(code)) fail('bad district or sector');
      if (areas.has(code)) fail('duplicate code');
      const lat = Number(latText);
      const long = Number(longText);
      // Great Britain and its islands, generously.
      if (latText === '' || !(lat >= 49 && lat <= 61.5)) fail('bad latitude');
      if (longText === '' || !(long >= -9 && long <= 2.5)) fail('bad longitude');
      if (la !== '' && !/^[A-Z][0-9]{8}$/.test(la)) fail('bad LA code');
      let interned: string | null = null;
      if (la !== '') {
        interned = codes.get(la) ?? la;
        codes.set(la, interned);
      }
      areas.set(code, { lat, long, localAuthorityCode: interned });
    }
    return new CentroidTable(areas);
  }

  /** The centroid of a district ("LS6") or sector ("LS6 1"), in that exact form. */
  get(code: string): Centroid | undefined {
    return this.#areas.get(code);
  }

  get size(): number {
    return this.#areas.size;
  }
}

/** What a search box's text could mean, most likely first. Shape only: the tables decide what exists. */
export type PlaceCandidate =
  | { precision: 'postcode'; code: string }
  | { precision: 'sector'; code: string }
  | { precision: 'district'; code: string };

/** Longest text worth reading: a postcode with generous spacing. */
const MAX_QUERY_LENGTH = 16;

/**
 * Reads a full postcode ("LS6 1AN"), a sector ("LS6 1") or a district ("LS6"), in any case and with any
 * spacing. Returns [] when the text cannot be any of them.
 *
 * Without a space, "M11" could be the district M11 or the sector "M1 1": the district comes first,
 * as that is what people type. With a space before the last digit ("M1 1") it is the sector.
 */
export function parsePlaceQuery(input: string): PlaceCandidate[] {
  if (typeof input !== 'string' || input.length > MAX_QUERY_LENGTH) return [];
  const trimmed = input.trim();
  // ASCII only, checked before upper-casing (see normalisePostcode).
  if (!/^[A-Za-z0-9\s]+$/.test(trimmed)) return [];
  const full = normalisePostcode(trimmed);
  if (full) return [{ precision: 'postcode', code: full }];
  const upper = trimmed.toUpperCase();
  const compact = upper.replace(/\s+/g, '');
  const out: PlaceCandidate[] = [];
  const asDistrict = OUTCODE_RE.test(compact) ? compact : null;
  const asSector =
    /[0-9]$/.test(compact) && OUTCODE_RE.test(compact.slice(0, -1))
      ? `${compact.slice(0, -1)} ${compact.slice(-1)}`
      : null;
  // A space before the last digit means a sector, and only a sector.
  if (asSector && /\s[0-9]$/.test(upper)) return [{ precision: 'sector', code: asSector }];
  if (asDistrict) out.push({ precision: 'district', code: asDistrict });
  if (asSector) out.push({ precision: 'sector', code: asSector });
  return out;
}

/** A place found for a search. */
export type Place = LatLong & {
  /** What was entered, tidied: "LS6 1AN", "LS6 1" or "LS6". */
  label: string;
  /**
   * What the text was. The position is always an area's centroid: a full postcode gets its sector's
   * (typically within a few hundred metres of the address in a town, further in the country), a sector
   * its own and a district its own (a few miles across).
   */
  precision: 'postcode' | 'sector' | 'district';
  /**
   * The person's upper-tier local authority: exact for a full postcode (from PostcodeLookup); for a
   * sector or district, the authority holding most of it, or null when it is split.
   */
  localAuthorityCode: string | null;
};

export type LocateResult =
  | { ok: true; place: Place }
  /** 'empty': nothing entered; 'invalid': not shaped like a postcode; 'unknown': shaped like one, but not found. */
  | { ok: false; reason: 'empty' | 'invalid' | 'unknown' };

/** The part of PostcodeLookup that locate needs. */
export type PostcodeSource = {
  lookup(
    postcode: string,
  ): { postcode: string; localAuthorityCode: string | null; countryCode?: string } | null;
};

export function locate(
  query: string,
  tables: { centroids: CentroidTable; postcodes: PostcodeSource },
): LocateResult {
  if (typeof query !== 'string' || query.trim() === '') return { ok: false, reason: 'empty' };
  const candidates = parsePlaceQuery(query);
  if (candidates.length === 0) return { ok: false, reason: 'invalid' };
  for (const c of candidates) {
    if (c.precision === 'postcode') {
      const found = tables.postcodes.lookup(c.code);
      if (!found) return { ok: false, reason: 'unknown' };
      const sector = c.code.slice(0, -2);
      const centroid = tables.centroids.get(sector) ?? tables.centroids.get(sector.slice(0, -2));
      if (!centroid) return { ok: false, reason: 'unknown' };
      return {
        ok: true,
        place: {
          label: c.code,
          precision: 'postcode',
          lat: centroid.lat,
          long: centroid.long,
          localAuthorityCode: found.localAuthorityCode,
        },
      };
    }
    const centroid = tables.centroids.get(c.code);
    if (centroid) {
      return {
        ok: true,
        place: {
          label: c.code,
          precision: c.precision,
          lat: centroid.lat,
          long: centroid.long,
          localAuthorityCode: centroid.localAuthorityCode,
        },
      };
    }
  }
  return { ok: false, reason: 'unknown' };
}

/** Mean radius of the Earth in miles (6,371.0 km). */
const EARTH_RADIUS_MILES = 3958.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in miles (haversine). Within 0.5% of the true distance on the ellipsoid. */
export function distanceMiles(a: LatLong, b: LatLong): number {
  const dLat = rad(b.lat - a.lat);
  const dLong = rad(b.long - a.long);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLong / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const METRES_PER_MILE = 1609.344;

/**
 * A latitude/longitude box that holds every point within `miles` of `centre`: a cheap first filter
 * for a database query, before the exact distance. Not for use near the poles.
 */
export function boundingBox(
  centre: LatLong,
  miles: number,
): { minLat: number; maxLat: number; minLong: number; maxLong: number } {
  const dLat = (miles / EARTH_RADIUS_MILES) * (180 / Math.PI);
  const dLong = dLat / Math.max(0.01, Math.cos(rad(Math.min(89, Math.abs(centre.lat) + dLat))));
  return {
    minLat: centre.lat - dLat,
    maxLat: centre.lat + dLat,
    minLong: centre.long - dLong,
    maxLong: centre.long + dLong,
  };
}

/**
 * A distance as people say it: "0.4 miles", "1 mile", "1.2 miles", "15 miles". In Welsh a noun after a
 * number stays singular, and "milltir" (feminine) softens after one and two, as they are read aloud:
 * "0.4 milltir", "1 filltir", "2 filltir", "15 milltir".
 */
export function formatMiles(miles: number, lang: Language = 'en'): string {
  if (!Number.isFinite(miles) || miles < 0) return '';
  const cy = lang === 'cy';
  if (miles < 0.1) return cy ? 'llai na 0.1 milltir' : 'less than 0.1 miles';
  const rounded = miles < 10 ? Math.round(miles * 10) / 10 : Math.round(miles);
  if (cy) return `${rounded} ${rounded === 1 || rounded === 2 ? 'filltir' : 'milltir'}`;
  return rounded === 1 ? '1 mile' : `${rounded} miles`;
}
