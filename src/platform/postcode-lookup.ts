/**
 * GB postcode -> local authority look-up, backed by data/reference/postcodes.tsv.gz (built by
 * scripts/build-postcodes.ts from OS Code-Point Open; see data/reference/POSTCODES.md for the
 * attribution, which must be shown wherever the data is used).
 *
 * File format (gzip-compressed UTF-8 text, "\n" line ends; version "postcodes-v1")
 * ------------------------------------------------------------------------------------------------
 * Lines starting with "#" are comments (the first line is "#postcodes-v1 ..."). Every other line is
 * one postcode sector, sorted by sector, with 4 or 5 TAB-separated fields:
 *
 *   sector  TAB  country  TAB  la  TAB  units  [TAB  exceptions]
 *
 *   sector      "LS6 1": outward code, a space, the sector digit.
 *   country     the sector's most common ONS country code (E92000001, S92000003, W92000004).
 *   la          the sector's most common upper-tier local authority code (UTLA: county or unitary in
 *               England, council area in Scotland, principal area in Wales); empty if most of the
 *               sector's units have none.
 *   units       the two-letter unit suffixes of every live postcode in the sector, concatenated and
 *               sorted ascending by code unit: "AAABADAE..." means LS6 1AA, LS6 1AB, LS6 1AD, ...
 *   exceptions  comma-separated "SUFFIX=LA" for units whose LA differs from the sector's `la`
 *               ("AN=E10000014"; "AN=" means the unit has no LA code). An optional "/COUNTRY"
 *               ("AN=/W92000004") overrides the country rule below; the builder writes it only when
 *               the rule would give the wrong answer.
 *
 * Country of a unit: the explicit "/COUNTRY" if present; otherwise derived from the unit's LA code
 * (E... -> E92000001, S... -> S92000003, W... -> W92000004); otherwise (no LA code) the sector's
 * country. Cross-border sectors (e.g. "CH4 9", "SY10 7") are therefore exact per unit.
 *
 * Example:  "LS6 1\tE92000001\tE08000035\tAAABADAEAFAG...\n"
 *
 * In memory: one Map entry per sector (about 10,900) holding the units string as is; a look-up is a
 * Map get plus a binary search over the units string, O(log n), with no per-postcode objects.
 */
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { normalisePostcode } from './postcode.ts';

export const POSTCODES_FORMAT_VERSION = 'postcodes-v1';

const gunzipAsync = promisify(gunzip);

export const DEFAULT_POSTCODES_PATH = new URL('../../data/reference/postcodes.tsv.gz', import.meta.url);

export interface PostcodeLookupResult {
  /** The normalised postcode, e.g. "LS6 1AN". */
  postcode: string;
  /** The upper-tier local authority (ONS GSS code), or null when Code-Point has none for the unit. */
  localAuthorityCode: string | null;
  /** ONS country code: E92000001 England, S92000003 Scotland, W92000004 Wales. */
  countryCode: string;
}

interface UnitOverride {
  /** '' when the unit has no LA code. */
  la: string;
  country: string;
}

interface Sector {
  /** Concatenated sorted two-letter suffixes. */
  units: string;
  /** Default LA for the sector ('' = none). */
  la: string;
  /** Country of units that use the default LA. */
  country: string;
  exceptions: Map<string, UnitOverride> | null;
}

const COUNTRY_BY_PREFIX: Readonly<Record<string, string>> = {
  E: 'E92000001',
  S: 'S92000003',
  W: 'W92000004',
};

/** The country implied by an LA code, falling back to the sector's country when there is no LA. */
export function countryForLa(la: string, sectorCountry: string): string {
  if (la === '') return sectorCountry;
  return COUNTRY_BY_PREFIX[la.charAt(0)] ?? sectorCountry;
}

const SECTOR_RE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]$/;
const GSS_RE = /^[A-Z][0-9]{8}$/;
const SUFFIX_RE = /^[A-Z]{2}$/;

export class PostcodeLookup {
  readonly #sectors: Map<string, Sector>;
  readonly #size: number;

  private constructor(sectors: Map<string, Sector>, size: number) {
    this.#sectors = sectors;
    this.#size = size;
  }

  /** Load the gzip table (default: the shipped data/reference/postcodes.tsv.gz). */
  static async load(path: string | URL = DEFAULT_POSTCODES_PATH): Promise<PostcodeLookup> {
    const text = (await gunzipAsync(await readFile(path))).toString('utf8');
    return PostcodeLookup.fromLines(text.split('\n'));
  }

  /**
   * Build a table from lines in the file format above (comments and blank lines are skipped).
   * Throws on malformed input, naming the 1-based line number.
   */
  static fromLines(lines: Iterable<string>): PostcodeLookup {
    const sectors = new Map<string, Sector>();
    const codes = new Map<string, string>(); // interns the few hundred distinct codes
    const intern = (code: string): string => {
      const known = codes.get(code);
      if (known !== undefined) return known;
      codes.set(code, code);
      return code;
    };
    let size = 0;
    let lineNo = 0;
    for (const raw of lines) {
      lineNo++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || line.startsWith('#')) continue;
      const fail = (why: string): never => {
        throw new Error(`postcode table line ${lineNo}: ${why}: ${JSON.stringify(line.slice(0, 80))}`);
      };
      const fields = line.split('\t');
      if (fields.length !== 4 && fields.length !== 5) fail('expected 4 or 5 tab-separated fields');
      const [sectorCode = '', sectorCountry = '', la = '', units = '', exceptionsField = ''] = fields;
      if (!SECTOR_RE.test(sectorCode)) fail('bad sector');
      if (sectors.has(sectorCode)) fail('duplicate sector');
      if (!GSS_RE.test(sectorCountry)) fail('bad country code');
      if (la !== '' && !GSS_RE.test(la)) fail('bad LA code');
      if (units.length === 0 || units.length % 2 !== 0) fail('units must be non-empty pairs of letters');
      // Strictly ascending, letters only: the binary search relies on it.
      let prev = -1;
      for (let i = 0; i < units.length; i += 2) {
        const a = units.charCodeAt(i);
        const b = units.charCodeAt(i + 1);
        if (a < 65 || a > 90 || b < 65 || b > 90) fail('units must be upper-case letters');
        const key = a * 256 + b;
        if (key <= prev) fail('units must be sorted and unique');
        prev = key;
      }
      const sector: Sector = {
        units,
        la: intern(la),
        country: intern(countryForLa(la, sectorCountry)),
        exceptions: null,
      };
      if (exceptionsField !== '') {
        sector.exceptions = new Map();
        for (const item of exceptionsField.split(',')) {
          const eq = item.indexOf('=');
          const suffix = item.slice(0, eq);
          const value = item.slice(eq + 1);
          const slash = value.indexOf('/');
          const unitLa = slash === -1 ? value : value.slice(0, slash);
          const explicitCountry = slash === -1 ? null : value.slice(slash + 1);
          if (eq !== 2 || !SUFFIX_RE.test(suffix)) fail(`bad exception ${JSON.stringify(item)}`);
          if (unitLa !== '' && !GSS_RE.test(unitLa)) fail(`bad exception LA ${JSON.stringify(item)}`);
          if (explicitCountry !== null && !GSS_RE.test(explicitCountry)) {
            fail(`bad exception country ${JSON.stringify(item)}`);
          }
          if (indexOfUnit(units, suffix) < 0) fail(`exception for unknown unit ${suffix}`);
          if (sector.exceptions.has(suffix)) fail(`duplicate exception ${suffix}`);
          sector.exceptions.set(suffix, {
            la: intern(unitLa),
            country: intern(explicitCountry ?? countryForLa(unitLa, sectorCountry)),
          });
        }
      }
      sectors.set(sectorCode, sector);
      size += units.length / 2;
    }
    return new PostcodeLookup(sectors, size);
  }

  /** Number of postcodes (units) in the table. */
  get size(): number {
    return this.#size;
  }

  /** Number of postcode sectors in the table. */
  get sectorCount(): number {
    return this.#sectors.size;
  }

  /**
   * Look up a postcode given in any form normalisePostcode accepts. Returns null when the input is
   * not a postcode or the postcode is not in the table (terminated, Northern Ireland, Crown
   * dependencies, or simply non-existent).
   */
  lookup(postcode: string): PostcodeLookupResult | null {
    const pc = normalisePostcode(postcode);
    if (pc === null) return null;
    const sector = this.#sectors.get(pc.slice(0, -2));
    if (sector === undefined) return null;
    const suffix = pc.slice(-2);
    if (indexOfUnit(sector.units, suffix) < 0) return null;
    const override = sector.exceptions?.get(suffix);
    const la = override === undefined ? sector.la : override.la;
    const country = override === undefined ? sector.country : override.country;
    return { postcode: pc, localAuthorityCode: la === '' ? null : la, countryCode: country };
  }
}

/** Binary search for a two-letter suffix in a sorted concatenation of suffixes; unit index or -1. */
function indexOfUnit(units: string, suffix: string): number {
  const key = suffix.charCodeAt(0) * 256 + suffix.charCodeAt(1);
  let lo = 0;
  let hi = units.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const probe = units.charCodeAt(mid * 2) * 256 + units.charCodeAt(mid * 2 + 1);
    if (probe === key) return mid;
    if (probe < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
