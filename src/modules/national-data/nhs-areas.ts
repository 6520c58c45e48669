// Which integrated care board (ICB) and sub-ICB location (SICBL) a local authority's figures are counted
// in. Pure, apart from reading the reference file (data/reference/ICB-LOOKUP.md says where it comes from).
//
// ONS publishes the NHS areas by small area (LSOA 2021), and 13 districts lie in two or more ICBs (Hart,
// Guildford, Waverley, North Yorkshire, Cumberland...), so some authorities do too. The best-fit rule: an
// authority belongs to the ICB, and the sub-ICB location, holding the most of its LSOAs (LSOAs have
// roughly equal populations, about 1,500 people); a tie goes to the lower code. The same rule serves a
// district or a county (the sum of its districts).

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export type NhsArea = { code: string; nhsCode: string; name: string };
/** One part of a district: how many of its LSOAs lie in one sub-ICB location (and so one ICB). */
export type DistrictPart = { district: string; sicbl: NhsArea; icb: NhsArea; lsoas: number };
export type AreaFit = {
  sicbl: NhsArea;
  icb: NhsArea;
  /** Share of the authority's LSOAs in the ICB. */ icbShare: number;
};

function largest<T>(parts: Map<string, { area: T; lsoas: number }>): { area: T; lsoas: number } {
  return [...parts.entries()].sort(([a, x], [b, y]) => y.lsoas - x.lsoas || (a < b ? -1 : 1))[0]![1];
}

/** The best fit of an area made of these district parts (throws when there are none). */
export function bestFit(parts: readonly DistrictPart[]): AreaFit {
  if (parts.length === 0) throw new RangeError('An area needs at least one part');
  const byIcb = new Map<string, { area: NhsArea; lsoas: number }>();
  const bySicbl = new Map<string, { area: NhsArea; lsoas: number }>();
  let total = 0;
  for (const p of parts) {
    total += p.lsoas;
    const i = byIcb.get(p.icb.code) ?? { area: p.icb, lsoas: 0 };
    i.lsoas += p.lsoas;
    byIcb.set(p.icb.code, i);
    const s = bySicbl.get(p.sicbl.code) ?? { area: p.sicbl, lsoas: 0 };
    s.lsoas += p.lsoas;
    bySicbl.set(p.sicbl.code, s);
  }
  const icb = largest(byIcb);
  return { icb: icb.area, sicbl: largest(bySicbl).area, icbShare: icb.lsoas / total };
}

const rowsOf = (text: string) =>
  parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

/** The reference file's rows (lad24_sicbl24_icb24.csv). */
export function parseDistrictParts(text: string): DistrictPart[] {
  return rowsOf(text).map((r) => {
    const lsoas = Number(r.lsoa21_count);
    if (!r.ltla24_code || !r.icb24_code || !Number.isSafeInteger(lsoas) || lsoas < 1)
      throw new Error(`The ICB lookup has a malformed row: ${JSON.stringify(r)}`);
    return {
      district: r.ltla24_code,
      sicbl: { code: r.sicbl24_code!, nhsCode: r.sicbl24_code_nhs!, name: r.sicbl24_name! },
      icb: { code: r.icb24_code, nhsCode: r.icb24_code_nhs!, name: r.icb24_name! },
      lsoas,
    };
  });
}

/** Authority code to its districts (a unitary authority is its own single district). */
export type Authorities = ReadonlyMap<string, readonly string[]>;

/**
 * Each authority's best fit. `districtsOf` gives each authority's districts; a district code may be the
 * 2023 one the lookup carries (Barnsley and Sheffield changed code in 2024), so `aliases` maps current
 * district codes to the lookup's.
 */
export function fitAuthorities(
  parts: readonly DistrictPart[],
  districtsOf: Authorities,
  aliases: ReadonlyMap<string, string> = new Map(),
): Map<string, AreaFit> {
  const byDistrict = new Map<string, DistrictPart[]>();
  for (const p of parts) byDistrict.set(p.district, [...(byDistrict.get(p.district) ?? []), p]);
  const out = new Map<string, AreaFit>();
  for (const [authority, districts] of districtsOf) {
    const own = districts.flatMap((d) => byDistrict.get(d) ?? byDistrict.get(aliases.get(d) ?? '') ?? []);
    if (own.length > 0) out.set(authority, bestFit(own));
  }
  return out;
}

const REFERENCE = new URL('../../../data/reference/', import.meta.url);

/** England's upper-tier authorities with their districts, and the lookup's codes for renamed districts. */
function readAuthorities(): { districtsOf: Map<string, string[]>; aliases: Map<string, string> } {
  const districtsOf = new Map<string, string[]>();
  const aliases = new Map<string, string>();
  for (const r of rowsOf(readFileSync(new URL('la_england_lower_tier.csv', REFERENCE), 'utf8'))) {
    districtsOf.set(r.utla_code!, [...(districtsOf.get(r.utla_code!) ?? []), r.ltla_code!]);
    if (r.ltla23_code && r.ltla23_code !== r.ltla_code) aliases.set(r.ltla_code!, r.ltla23_code);
  }
  return { districtsOf, aliases };
}

let loaded: Map<string, AreaFit> | undefined;

/** Every English upper-tier authority's ICB and sub-ICB location, read once from data/reference. */
export function authorityNhsAreas(): ReadonlyMap<string, AreaFit> {
  if (loaded) return loaded;
  const parts = parseDistrictParts(readFileSync(new URL('lad24_sicbl24_icb24.csv', REFERENCE), 'utf8'));
  const { districtsOf, aliases } = readAuthorities();
  loaded = fitAuthorities(parts, districtsOf, aliases);
  return loaded;
}
